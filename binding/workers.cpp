#include "workers.h"

#include <cstring>
#include <functional>
#include <memory>
#include <new>
#include <string>
#include <vector>

#include "../cpp/cholesky.h"
#include "../cpp/greedy_dopt.h"
#include "../cpp/information_matrix.h"
#include "../cpp/pair_scores.h"
#include "../cpp/project_responses.h"
#include "../cpp/sequential_gains.h"
#include "arguments.h"

namespace arm_binding {

namespace {

struct Outcome {
  std::string code;  // empty on success; else an error code the JS side maps to its own errors
  std::int64_t pivot = -1;
  double pivot_value = 0.0;
};

// Runs `work` off the JS thread; `settle` builds the resolved value on the JS thread. Inputs and
// the preallocated outputs are held by references until the promise settles, so the garbage
// collector cannot free a buffer the worker is reading or writing.
class KernelWorker : public Napi::AsyncWorker {
 public:
  using Work = std::function<Outcome()>;
  using Settle = std::function<Napi::Value(Napi::Env)>;

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
      what_ = e.what();
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
        what_ = "an input's ArrayBuffer was detached (transferred) while the call ran; keep inputs "
                "attached until the promise settles";
      }
    if (outcome_.code.empty())
      deferred_.Resolve(settle_(env));
    else
      deferred_.Reject(error_value(env));
  }

  void OnError(const Napi::Error& e) override { deferred_.Reject(e.Value()); }

 private:
  Napi::Value error_value(Napi::Env env) const {
    const std::string& code = outcome_.code;
    std::string message = what_;
    if (code == "ERR_NOT_POSITIVE_DEFINITE")
      message = "matrix is not positive definite (column " + std::to_string(outcome_.pivot) +
                "); raise the ridge";
    else if (code == "ABORT_ERR")
      message = "The operation was aborted";
    else if (code == "ERR_OUT_OF_MEMORY")
      message = "not enough memory for this selection";
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
  std::string what_;
};

Napi::Value run(Napi::Env env, const std::vector<Napi::Value>& keep, KernelWorker::Work work,
                KernelWorker::Settle settle) {
  auto* worker = new KernelWorker(env, keep, std::move(work), std::move(settle));
  Napi::Promise promise = worker->promise();
  worker->Queue();  // the worker deletes itself after settling
  return promise;
}

// Resolves to a JS value kept alive (and reachable) until then.
KernelWorker::Settle resolve_to(Napi::Value value) {
  auto ref = std::make_shared<Napi::ObjectReference>(Napi::Persistent(value.As<Napi::Object>()));
  return [ref](Napi::Env) { return ref->Value(); };
}

template <class F>
void with_features(const FeatureView& f, F&& body) {
  if (f.is_float32)
    body(static_cast<const float*>(f.data));
  else
    body(static_cast<const double*>(f.data));
}

}  // namespace

// informationMatrix(features, n, d, pairs, weights, ridge, base?) → Promise<Float64Array d×d>
Napi::Value InformationMatrix(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  const std::int64_t n = size_argument(info, 1, "n", 1);
  const std::int64_t d = size_argument(info, 2, "d", 1);
  const FeatureView features = features_argument(info, 0, n, d);
  std::int64_t m = 0;
  const Checked<std::int32_t> pairs = pairs_argument(info, 3, n, &m);
  const Checked<double> weights = float64_copy(info, 4, "weights", m);
  const double ridge = finite_number(info, 5, "ridge");
  Napi::Value base_value = env.Undefined();
  const double* base = nullptr;
  if (!is_missing(info, 6)) {
    base = float64_argument(info, 6, "base", d * d).Data();
    base_value = info[6];
  }
  Napi::Float64Array out = Napi::Float64Array::New(env, static_cast<std::size_t>(d * d));
  double* out_data = out.Data();
  return run(
      env, {features.array, base_value},
      [=]() {
        with_features(features, [&](auto* phi) {
          arm::information_matrix(phi, n, d, pairs->data(), m, weights->data(), ridge, base,
                                  out_data);
        });
        return Outcome{};
      },
      resolve_to(out));
}

// cholesky(M, d) → Promise<{ factor, logDet }>; rejects with code ERR_NOT_POSITIVE_DEFINITE.
Napi::Value Cholesky(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  const std::int64_t d = size_argument(info, 1, "d", 1);
  Napi::Float64Array M = float64_argument(info, 0, "M", d * d, false);
  Napi::Float64Array factor = Napi::Float64Array::New(env, static_cast<std::size_t>(d * d));
  std::memcpy(factor.Data(), M.Data(), static_cast<std::size_t>(d * d) * sizeof(double));
  double* data = factor.Data();
  auto log_det = std::make_shared<double>(0.0);
  auto factor_ref = std::make_shared<Napi::ObjectReference>(Napi::Persistent(Napi::Object(factor)));
  return run(
      env, {},
      [=]() {
        Outcome outcome;
        outcome.pivot = arm::cholesky_in_place(data, d, log_det.get(), &outcome.pivot_value);
        if (outcome.pivot >= 0) outcome.code = "ERR_NOT_POSITIVE_DEFINITE";
        return outcome;
      },
      [=](Napi::Env e) -> Napi::Value {
        Napi::Object result = Napi::Object::New(e);
        result.Set("factor", factor_ref->Value());
        result.Set("logDet", Napi::Number::New(e, *log_det));
        return result;
      });
}

// quadraticForms(features, n, d, factor, pairs) → Promise<Float64Array m>
Napi::Value QuadraticForms(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  const std::int64_t n = size_argument(info, 1, "n", 1);
  const std::int64_t d = size_argument(info, 2, "d", 1);
  const FeatureView features = features_argument(info, 0, n, d);
  Napi::Float64Array factor = factor_argument(info, 3, d);
  std::int64_t m = 0;
  const Checked<std::int32_t> pairs = pairs_argument(info, 4, n, &m);
  Napi::Float64Array out = Napi::Float64Array::New(env, static_cast<std::size_t>(m));
  double* q = out.Data();
  const double* L = factor.Data();
  return run(
      env, {features.array, factor},
      [=]() {
        std::vector<double> Y(static_cast<std::size_t>(n * d));
        with_features(features, [&](auto* phi) { arm::project_responses(phi, n, d, L, Y.data()); });
        arm::pair_scores(Y.data(), d, pairs->data(), m, q, nullptr);
        return Outcome{};
      },
      resolve_to(out));
}

// projectResponses(features, n, d, factor) → Promise<Float64Array n×d>: Y = Φ L⁻ᵀ, the projection
// kernel on its own (benchmarks report its GFLOP/s).
Napi::Value ProjectResponses(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  const std::int64_t n = size_argument(info, 1, "n", 1);
  const std::int64_t d = size_argument(info, 2, "d", 1);
  const FeatureView features = features_argument(info, 0, n, d);
  Napi::Float64Array factor = factor_argument(info, 3, d);
  Napi::Float64Array out = Napi::Float64Array::New(env, static_cast<std::size_t>(n * d));
  double* Y = out.Data();
  const double* L = factor.Data();
  return run(
      env, {features.array, factor},
      [=]() {
        with_features(features, [&](auto* phi) { arm::project_responses(phi, n, d, L, Y); });
        return Outcome{};
      },
      resolve_to(out));
}

// greedy(features, n, d, factor, pairs, lambdas, k, lazy, cancel?) → Promise<{ picks, quadratic }>
// cancel: Int32Array(1) that JS sets to 1 (on AbortSignal abort); checked every pick.
Napi::Value Greedy(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  const std::int64_t n = size_argument(info, 1, "n", 1);
  const std::int64_t d = size_argument(info, 2, "d", 1);
  const FeatureView features = features_argument(info, 0, n, d);
  Napi::Float64Array factor = factor_argument(info, 3, d);
  const GreedyArguments g = greedy_arguments(info, n);
  const Checked<std::int32_t>& pairs = g.pairs;
  const std::int64_t m = g.m, k = g.k;
  const Napi::Float64Array& lambdas = g.lambdas;
  const bool lazy = g.lazy;
  const Napi::Value& cancel_holder = g.cancel_holder;
  const volatile std::int32_t* cancel = g.cancel;

  Napi::Int32Array picks = Napi::Int32Array::New(env, static_cast<std::size_t>(k));
  Napi::Float64Array quadratic = Napi::Float64Array::New(env, static_cast<std::size_t>(k));
  std::int32_t* pick_data = picks.Data();
  double* quad_data = quadratic.Data();
  const double* L = factor.Data();
  const double* lambda_data = lambdas.Data();
  Napi::Object result = Napi::Object::New(env);
  result.Set("picks", picks);
  result.Set("quadratic", quadratic);
  return run(
      env, {features.array, factor, lambdas, cancel_holder},
      [=]() {
        if (k == 0) return Outcome{};
        std::vector<double> Y(static_cast<std::size_t>(n * d));
        with_features(features, [&](auto* phi) { arm::project_responses(phi, n, d, L, Y.data()); });
        const arm::GreedyInput in{Y.data(), n, d, pairs->data(), lambda_data, m, k, lazy, cancel};
        Outcome outcome;
        if (arm::greedy_dopt(in, pick_data, quad_data) == arm::GreedyStatus::cancelled)
          outcome.code = "ABORT_ERR";
        return outcome;
      },
      resolve_to(result));
}

// sequentialGains(features, n, d, factor, pairs, lambdas) → Promise<Float64Array k>: the log det
// gain of each pair added in the given order to M₀ = L Lᵀ (k = pairs.length / 2).
Napi::Value SequentialGains(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  const std::int64_t n = size_argument(info, 1, "n", 1);
  const std::int64_t d = size_argument(info, 2, "d", 1);
  const FeatureView features = features_argument(info, 0, n, d);
  Napi::Float64Array factor = factor_argument(info, 3, d);
  std::int64_t k = 0;
  const Checked<std::int32_t> pairs = pairs_argument(info, 4, n, &k);
  const Checked<double> lambdas = float64_copy(info, 5, "lambdas", k);
  Napi::Float64Array out = Napi::Float64Array::New(env, static_cast<std::size_t>(k));
  double* gains = out.Data();
  const double* L = factor.Data();
  return run(
      env, {features.array, factor},
      [=]() {
        with_features(features, [&](auto* phi) {
          arm::sequential_gains(phi, d, L, pairs->data(), lambdas->data(), k, gains);
        });
        return Outcome{};
      },
      resolve_to(out));
}

}  // namespace arm_binding
