#include "kernel_worker.h"

#include <memory>
#include <new>

namespace arm_binding {

namespace {

// Runs `work` off the JS thread; `settle` builds the resolved value on the JS thread. Inputs and
// the preallocated outputs are held by references until the promise settles, so the garbage
// collector cannot free a buffer the worker is reading or writing.
class KernelWorker : public Napi::AsyncWorker {
 public:
  KernelWorker(Napi::Env env, const std::vector<Napi::Value>& keep, Work work, Settle settle)
      : Napi::AsyncWorker(env, "active-rm:kernel"),
        deferred_(Napi::Promise::Deferred::New(env)),
        work_(std::move(work)),
        settle_(std::move(settle)) {
    for (const Napi::Value& v : keep) {
      if (!v.IsObject()) continue;
      keep_.push_back(Napi::Persistent(v.As<Napi::Object>()));
      if (v.IsTypedArray())
        buffers_.push_back(Napi::Persistent(Napi::Object(v.As<Napi::TypedArray>().ArrayBuffer())));
    }
  }

  Napi::Promise promise() const { return deferred_.Promise(); }

  void Execute() override {
    try {
      outcome_ = work_();
    } catch (const std::bad_alloc&) {
      outcome_.code = "ERR_OUT_OF_MEMORY";
    } catch (const std::exception& e) {
      outcome_.code = "ERR_NATIVE";
      outcome_.message = e.what();
    }
  }

  void OnOK() override {
    Napi::Env env = Env();
    // A transfer of an input mid-call moved the memory the worker read (or freed it, when the
    // receiver was collected): refuse to hand back a result computed from it. Node-API cannot
    // pin a buffer, so this reports the misuse rather than preventing it (docs/reliability.md).
    for (const Napi::ObjectReference& b : buffers_)
      if (b.Value().As<Napi::ArrayBuffer>().IsDetached()) {
        outcome_.code = "ERR_INPUT_DETACHED";
        outcome_.message = "an input's ArrayBuffer was detached (transferred) while the call ran; keep inputs "
                "attached until the promise settles";
      }
    if (outcome_.code.empty())
      deferred_.Resolve(settle_(env));
    else
      deferred_.Reject(error_value(env));
  }

  void OnError(const Napi::Error& e) override { deferred_.Reject(e.Value()); }

 private:
  std::string default_message() const {
    const std::string& code = outcome_.code;
    if (code == "ERR_NOT_POSITIVE_DEFINITE")
      return "matrix is not positive definite (column " + std::to_string(outcome_.pivot) +
             "); raise the ridge";
    if (code == "ABORT_ERR") return "The operation was aborted";
    if (code == "ERR_OUT_OF_MEMORY") return "not enough memory for this call";
    return code;
  }

  Napi::Value error_value(Napi::Env env) const {
    const std::string& code = outcome_.code;
    const std::string message = outcome_.message.empty() ? default_message() : outcome_.message;
    Napi::Error error = Napi::Error::New(env, message);
    error.Set("code", Napi::String::New(env, code));
    if (code == "ABORT_ERR") error.Set("name", Napi::String::New(env, "AbortError"));
    if (outcome_.pivot >= 0) {
      error.Set("column", Napi::Number::New(env, static_cast<double>(outcome_.pivot)));
      error.Set("pivot", Napi::Number::New(env, outcome_.pivot_value));
    }
    return error.Value();
  }

  Napi::Promise::Deferred deferred_;
  std::vector<Napi::ObjectReference> keep_;
  std::vector<Napi::ObjectReference> buffers_;
  Work work_;
  Settle settle_;
  Outcome outcome_;
};

}  // namespace

Napi::Value run(Napi::Env env, const std::vector<Napi::Value>& keep, Work work, Settle settle) {
  auto* worker = new KernelWorker(env, keep, std::move(work), std::move(settle));
  Napi::Promise promise = worker->promise();
  worker->Queue();  // the worker deletes itself after settling
  return promise;
}

// Resolves to a JS value kept alive (and reachable) until then.
Settle resolve_to(Napi::Value value) {
  auto ref = std::make_shared<Napi::ObjectReference>(Napi::Persistent(value.As<Napi::Object>()));
  return [ref](Napi::Env) { return ref->Value(); };
}

}  // namespace arm_binding
