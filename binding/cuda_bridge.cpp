#include "cuda_bridge.h"

#include <dlfcn.h>

#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "../cuda/active_rm_cuda.h"
#include "arguments.h"

namespace arm_binding {
namespace {

constexpr int kAbiVersion = 1;

// The C interface resolved from the shared library.
struct CudaApi {
  decltype(&arm_cuda_last_error) last_error;
  decltype(&arm_cuda_device_count) device_count;
  decltype(&arm_cuda_device_name) device_name;
  decltype(&arm_cuda_abi_version) abi_version;
  decltype(&arm_cuda_information) information;
  decltype(&arm_cuda_cholesky) cholesky;
  decltype(&arm_cuda_project) project;
  decltype(&arm_cuda_quadratic) quadratic;
  decltype(&arm_cuda_greedy) greedy;
  decltype(&arm_cuda_cross_greedy) cross_greedy;
};

struct CudaState {
  bool loaded = false;  // the library resolved; the host-only Cholesky works even without a GPU
  bool available = false;
  std::string reason, device, path;
  CudaApi api{};
};

// The library sits next to this addon (build/Release or prebuilds/<platform>), so find our own
// file first. ACTIVE_RM_CUDA_LIBRARY overrides it (tests, unusual layouts).
std::string library_path() {
  if (const char* env = std::getenv("ACTIVE_RM_CUDA_LIBRARY"); env && *env) return env;
  Dl_info self{};
  if (dladdr(reinterpret_cast<void*>(&library_path), &self) == 0 || !self.dli_fname) return "libactive_rm_cuda.so";
  std::string dir = self.dli_fname;
  const std::size_t slash = dir.rfind('/');
  dir = slash == std::string::npos ? "." : dir.substr(0, slash);
  return dir + "/libactive_rm_cuda.so";
}

template <class F>
bool resolve(void* handle, const char* name, F& out) {
  out = reinterpret_cast<F>(dlsym(handle, name));
  return out != nullptr;
}

CudaState load() {
  CudaState s;
  s.path = library_path();
  // RTLD_LOCAL: the statically linked CUDA runtime stays private to the library.
  void* handle = dlopen(s.path.c_str(), RTLD_NOW | RTLD_LOCAL);
  if (!handle) {
    const char* e = dlerror();
    s.reason = "the CUDA library is not built (" + std::string(e ? e : s.path) +
               "); it is built only where nvcc was found at install time";
    return s;
  }
  CudaApi& a = s.api;
  const bool ok = resolve(handle, "arm_cuda_last_error", a.last_error) &&
                  resolve(handle, "arm_cuda_device_count", a.device_count) &&
                  resolve(handle, "arm_cuda_device_name", a.device_name) &&
                  resolve(handle, "arm_cuda_abi_version", a.abi_version) &&
                  resolve(handle, "arm_cuda_information", a.information) &&
                  resolve(handle, "arm_cuda_cholesky", a.cholesky) &&
                  resolve(handle, "arm_cuda_project", a.project) &&
                  resolve(handle, "arm_cuda_quadratic", a.quadratic) &&
                  resolve(handle, "arm_cuda_greedy", a.greedy) &&
                  resolve(handle, "arm_cuda_cross_greedy", a.cross_greedy);
  if (!ok || a.abi_version() != kAbiVersion) {
    s.reason = "the CUDA library at " + s.path + " does not match this addon (stale build? run npm run build:native)";
    return s;
  }
  s.loaded = true;
  const int count = a.device_count();
  if (count < 1) {
    s.reason = std::string("no usable GPU: ") + (count < 0 ? a.last_error() : "no CUDA-capable device is detected");
    return s;
  }
  s.device = a.device_name();
  s.available = true;
  return s;
}

// Loaded once per process on first use; the handle is never closed (kernels may be in flight).
const CudaState& state() {
  static std::once_flag once;
  static CudaState s;
  std::call_once(once, [] { s = load(); });
  return s;
}

const CudaApi& require_api(Napi::Env env, bool host_only = false) {
  const CudaState& s = state();
  if (!s.available && !(host_only && s.loaded))
    throw Napi::Error::New(env, "the CUDA backend is not available: " + s.reason);
  return s.api;
}

struct Failure {
  int status = ARM_OK;
  std::string message;
  std::int64_t column = -1;
  double pivot = 0;
};

// Runs one C call off the JS thread and settles a promise. Inputs stay referenced until then.
class CudaWorker : public Napi::AsyncWorker {
 public:
  using Work = std::function<int(Failure&)>;
  using Settle = std::function<Napi::Value(Napi::Env)>;

  CudaWorker(Napi::Env env, const std::vector<Napi::Value>& keep, Work work, Settle settle)
      : Napi::AsyncWorker(env, "active-rm:cuda"),
        deferred_(Napi::Promise::Deferred::New(env)),
        work_(std::move(work)),
        settle_(std::move(settle)) {
    for (const Napi::Value& v : keep)
      if (v.IsObject()) keep_.push_back(Napi::Persistent(v.As<Napi::Object>()));
  }
  Napi::Promise promise() const { return deferred_.Promise(); }

  void Execute() override {
    try {
      failure_.status = work_(failure_);
      // The message is thread-local in the library: read it on this thread.
      if (failure_.status != ARM_OK && failure_.message.empty()) failure_.message = state().api.last_error();
    } catch (const std::bad_alloc&) {
      failure_.status = ARM_OUT_OF_MEMORY;
      failure_.message = "out of host memory";
    }
  }

  void OnOK() override {
    Napi::Env env = Env();
    if (failure_.status == ARM_OK) {
      deferred_.Resolve(settle_(env));
      return;
    }
    // Codes and messages as the CPU binding (workers.cpp), so lib/ maps both the same way.
    std::string code = "ERR_CUDA", message = failure_.message;
    switch (failure_.status) {
      case ARM_NOT_POSITIVE_DEFINITE:
        code = "ERR_NOT_POSITIVE_DEFINITE";
        message = "matrix is not positive definite (column " + std::to_string(failure_.column) + "); raise the ridge";
        break;
      case ARM_ABORTED:
        code = "ABORT_ERR";
        message = "The operation was aborted";
        break;
      case ARM_OUT_OF_MEMORY:
        code = "ERR_OUT_OF_MEMORY";
        message = "not enough GPU memory for this selection (" + failure_.message + ")";
        break;
      case ARM_INVALID_ARGUMENT:
        code = "ERR_INVALID_ARG_VALUE";
        break;
      default:
        message = "CUDA error: " + message;
    }
    Napi::Error error = Napi::Error::New(env, message);
    error.Set("code", Napi::String::New(env, code));
    if (code == "ABORT_ERR") error.Set("name", Napi::String::New(env, "AbortError"));
    if (failure_.column >= 0) {
      error.Set("column", Napi::Number::New(env, static_cast<double>(failure_.column)));
      error.Set("pivot", Napi::Number::New(env, failure_.pivot));
    }
    deferred_.Reject(error.Value());
  }

  void OnError(const Napi::Error& e) override { deferred_.Reject(e.Value()); }

 private:
  Napi::Promise::Deferred deferred_;
  std::vector<Napi::ObjectReference> keep_;
  Work work_;
  Settle settle_;
  Failure failure_;
};

Napi::Value run(Napi::Env env, const std::vector<Napi::Value>& keep, CudaWorker::Work work,
                CudaWorker::Settle settle) {
  auto* worker = new CudaWorker(env, keep, std::move(work), std::move(settle));
  Napi::Promise promise = worker->promise();
  worker->Queue();
  return promise;
}

CudaWorker::Settle resolve_to(Napi::Value value) {
  auto ref = std::make_shared<Napi::ObjectReference>(Napi::Persistent(value.As<Napi::Object>()));
  return [ref](Napi::Env) { return ref->Value(); };
}

// Kernels store float32: Float32Array features are used in place, Float64Array ones are
// converted once on the worker thread.
struct Features {
  const void* data;
  bool is_float32;
  std::size_t count;
  std::vector<float> converted;
  const float* get() {
    if (is_float32) return static_cast<const float*>(data);
    if (converted.empty()) {
      converted.resize(count);
      const double* src = static_cast<const double*>(data);
      for (std::size_t e = 0; e < count; ++e) converted[e] = static_cast<float>(src[e]);
    }
    return converted.data();
  }
};

std::shared_ptr<Features> features_of(const FeatureView& view, std::int64_t n, std::int64_t d) {
  return std::make_shared<Features>(
      Features{view.data, view.is_float32, static_cast<std::size_t>(n) * static_cast<std::size_t>(d), {}});
}

// status() → { available, loaded, reason?, device?, path }: opens the library on first call.
Napi::Value Status(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  const CudaState& s = state();
  Napi::Object out = Napi::Object::New(env);
  out.Set("available", Napi::Boolean::New(env, s.available));
  out.Set("loaded", Napi::Boolean::New(env, s.loaded));
  out.Set("path", Napi::String::New(env, s.path));
  if (!s.reason.empty()) out.Set("reason", Napi::String::New(env, s.reason));
  if (!s.device.empty()) out.Set("device", Napi::String::New(env, s.device));
  return out;
}

// informationMatrix(features, n, d, pairs, weights, ridge, base?) → Promise<Float64Array d×d>
Napi::Value InformationMatrix(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  const CudaApi& api = require_api(env);
  const std::int64_t n = size_argument(info, 1, "n", 1);
  const std::int64_t d = size_argument(info, 2, "d", 1);
  auto features = features_of(features_argument(info, 0, n, d), n, d);
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
  double* o = out.Data();
  return run(
      env, {info[0], base_value},
      [=](Failure&) {
        return api.information(features->get(), static_cast<int>(n), static_cast<int>(d), pairs->data(), m,
                               weights->data(), ridge, base, o);
      },
      resolve_to(out));
}

// cholesky(M, d) → Promise<{ factor, logDet }>; rejects with code ERR_NOT_POSITIVE_DEFINITE.
// Host float64 work: runs wherever the library loads, GPU or not.
Napi::Value Cholesky(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  const CudaApi& api = require_api(env, true);
  const std::int64_t d = size_argument(info, 1, "d", 1);
  Napi::Float64Array M = float64_argument(info, 0, "M", d * d, false);
  Napi::Float64Array factor = Napi::Float64Array::New(env, static_cast<std::size_t>(d * d));
  const double* m = M.Data();
  double* f = factor.Data();
  auto log_det = std::make_shared<double>(0.0);
  auto factor_ref = std::make_shared<Napi::ObjectReference>(Napi::Persistent(Napi::Object(factor)));
  return run(
      env, {M},
      [=](Failure& failure) {
        return api.cholesky(m, static_cast<int>(d), f, log_det.get(), &failure.column, &failure.pivot);
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
  const CudaApi& api = require_api(env);
  const std::int64_t n = size_argument(info, 1, "n", 1);
  const std::int64_t d = size_argument(info, 2, "d", 1);
  auto features = features_of(features_argument(info, 0, n, d), n, d);
  Napi::Float64Array factor = factor_argument(info, 3, d);
  std::int64_t m = 0;
  const Checked<std::int32_t> pairs = pairs_argument(info, 4, n, &m);
  Napi::Float64Array out = Napi::Float64Array::New(env, static_cast<std::size_t>(m));
  double* q = out.Data();
  const double* L = factor.Data();
  return run(
      env, {info[0], factor},
      [=](Failure&) {
        return api.quadratic(features->get(), static_cast<int>(n), static_cast<int>(d), L, pairs->data(), m, q);
      },
      resolve_to(out));
}

// projectResponses(features, n, d, factor) → Promise<{ Y: Float32Array n×d, deviceMs }>
Napi::Value ProjectResponses(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  const CudaApi& api = require_api(env);
  const std::int64_t n = size_argument(info, 1, "n", 1);
  const std::int64_t d = size_argument(info, 2, "d", 1);
  auto features = features_of(features_argument(info, 0, n, d), n, d);
  Napi::Float64Array factor = factor_argument(info, 3, d);
  Napi::Float32Array Y = Napi::Float32Array::New(env, static_cast<std::size_t>(n * d));
  float* y = Y.Data();
  const double* L = factor.Data();
  auto ms = std::make_shared<double>(0.0);
  auto y_ref = std::make_shared<Napi::ObjectReference>(Napi::Persistent(Napi::Object(Y)));
  return run(
      env, {info[0], factor},
      [=](Failure&) {
        return api.project(features->get(), static_cast<int>(n), static_cast<int>(d), L, y, ms.get());
      },
      [=](Napi::Env e) -> Napi::Value {
        Napi::Object result = Napi::Object::New(e);
        result.Set("Y", y_ref->Value());
        result.Set("deviceMs", Napi::Number::New(e, *ms));
        return result;
      });
}

// greedy(features, n, d, factor, pairs, lambdas, k, lazy, cancel?) → Promise<{ picks, quadratic }>
Napi::Value Greedy(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  const CudaApi& api = require_api(env);
  const std::int64_t n = size_argument(info, 1, "n", 1);
  const std::int64_t d = size_argument(info, 2, "d", 1);
  auto features = features_of(features_argument(info, 0, n, d), n, d);
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
  std::int32_t* pk = picks.Data();
  double* qd = quadratic.Data();
  const double* L = factor.Data();
  const double* lam = lambdas.Data();
  Napi::Object result = Napi::Object::New(env);
  result.Set("picks", picks);
  result.Set("quadratic", quadratic);
  return run(
      env, {info[0], factor, lambdas, cancel_holder},
      [=](Failure&) {
        if (k == 0) return static_cast<int>(ARM_OK);
        return api.greedy(features->get(), static_cast<int>(n), static_cast<int>(d), L, pairs->data(), m, lam,
                          static_cast<int>(k),
                          lazy ? 1 : 0, cancel, pk, qd);
      },
      resolve_to(result));
}

// crossGreedy(features, n, d, factor, promptIds, rewards, k, cancel?)
//   → Promise<{ pairs: Int32Array 2k, quadratic: Float64Array k, lambdas: Float64Array k }>
// Greedy over every cross-prompt pair (i < j, different prompts) without listing them.
Napi::Value CrossGreedy(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  const CudaApi& api = require_api(env);
  const std::int64_t n = size_argument(info, 1, "n", 2);
  const std::int64_t d = size_argument(info, 2, "d", 1);
  auto features = features_of(features_argument(info, 0, n, d), n, d);
  Napi::Float64Array factor = factor_argument(info, 3, d);
  if (is_missing(info, 4) || !info[4].IsTypedArray() ||
      info[4].As<Napi::TypedArray>().TypedArrayType() != napi_int32_array)
    throw_type(env, "promptIds must be an Int32Array");
  Napi::Int32Array prompts = info[4].As<Napi::Int32Array>();
  require_fixed_length(env, prompts, "promptIds");
  if (prompts.ElementLength() != static_cast<std::size_t>(n))
    throw_range(env, "promptIds must have n = " + std::to_string(n) + " entries, got " +
                         std::to_string(prompts.ElementLength()));
  Napi::Float64Array rewards = float64_argument(info, 5, "rewards", n);
  const std::int64_t k = size_argument(info, 6, "k", 0);
  Napi::Value cancel_holder = env.Undefined();
  const volatile std::int32_t* cancel = cancel_argument(info, 7, &cancel_holder);

  Napi::Int32Array pairs = Napi::Int32Array::New(env, static_cast<std::size_t>(2 * k));
  Napi::Float64Array quadratic = Napi::Float64Array::New(env, static_cast<std::size_t>(k));
  Napi::Float64Array lambdas = Napi::Float64Array::New(env, static_cast<std::size_t>(k));
  std::int32_t* pp = pairs.Data();
  double* qd = quadratic.Data();
  double* ld = lambdas.Data();
  const double* L = factor.Data();
  const std::int32_t* pr = prompts.Data();
  const double* r = rewards.Data();
  Napi::Object result = Napi::Object::New(env);
  result.Set("pairs", pairs);
  result.Set("quadratic", quadratic);
  result.Set("lambdas", lambdas);
  return run(
      env, {info[0], factor, prompts, rewards, cancel_holder},
      [=](Failure&) {
        if (k == 0) return static_cast<int>(ARM_OK);
        return api.cross_greedy(features->get(), static_cast<int>(n), static_cast<int>(d), L, pr, r,
                                static_cast<int>(k), cancel, pp, qd, ld);
      },
      resolve_to(result));
}

}  // namespace

void RegisterCuda(Napi::Env env, Napi::Object exports) {
  Napi::Object cuda = Napi::Object::New(env);
  cuda.Set("status", Napi::Function::New(env, Status));
  cuda.Set("informationMatrix", Napi::Function::New(env, InformationMatrix));
  cuda.Set("cholesky", Napi::Function::New(env, Cholesky));
  cuda.Set("quadraticForms", Napi::Function::New(env, QuadraticForms));
  cuda.Set("projectResponses", Napi::Function::New(env, ProjectResponses));
  cuda.Set("greedy", Napi::Function::New(env, Greedy));
  cuda.Set("crossGreedy", Napi::Function::New(env, CrossGreedy));
  exports.Set("cuda", cuda);
}

}  // namespace arm_binding
