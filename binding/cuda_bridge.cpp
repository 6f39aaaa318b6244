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
#include "entry_arguments.h"
#include "kernel_worker.h"

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
  std::string message;
  std::int64_t column = -1;
  double pivot = 0;
};

// A C call of the library as the shared worker's work (kernel_worker.h): the status becomes the
// same codes and messages the CPU entries use, so lib/ maps both alike.
Work cuda_work(std::function<int(Failure&)> call) {
  return [call = std::move(call)]() {
    Failure failure;
    const int status = call(failure);
    Outcome outcome;
    if (status == ARM_OK) return outcome;
    // The message is thread-local in the library: read it on this (the worker's) thread.
    const std::string detail = failure.message.empty() ? std::string(state().api.last_error()) : failure.message;
    switch (status) {
      case ARM_NOT_POSITIVE_DEFINITE:
        outcome.code = "ERR_NOT_POSITIVE_DEFINITE";
        outcome.pivot = failure.column;
        outcome.pivot_value = failure.pivot;
        break;
      case ARM_ABORTED:
        outcome.code = "ABORT_ERR";
        break;
      case ARM_OUT_OF_MEMORY:
        outcome.code = "ERR_OUT_OF_MEMORY";
        outcome.message = "not enough GPU memory for this selection (" + detail + ")";
        break;
      case ARM_INVALID_ARGUMENT:
        outcome.code = "ERR_INVALID_ARG_VALUE";
        outcome.message = detail;
        break;
      default:
        outcome.code = "ERR_CUDA";
        outcome.message = "CUDA error: " + detail;
    }
    return outcome;
  };
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
  const CudaApi& api = require_api(info.Env());
  InformationCall c = information_call(info);
  const Problem p = c.p;
  auto features = features_of(p.features, p.n, p.d);
  const Checked<double> weights = c.weights;
  const double ridge = c.ridge;
  const double* base = c.base;
  double* o = c.out.Data();
  return run(
      info.Env(), {info[0], c.base_value},
      cuda_work([=](Failure&) {
        return api.information(features->get(), static_cast<int>(p.n), static_cast<int>(p.d), p.pairs->data(), p.m,
                               weights->data(), ridge, base, o);
      }),
      resolve_to(c.out));
}

// cholesky(M, d) → Promise<{ factor, logDet }>; rejects with code ERR_NOT_POSITIVE_DEFINITE.
// Host float64 work: runs wherever the library loads, GPU or not.
Napi::Value Cholesky(const Napi::CallbackInfo& info) {
  const CudaApi& api = require_api(info.Env(), true);
  CholeskyCall c = cholesky_call(info);
  const std::int64_t d = c.d;
  const double* m = c.M.Data();
  double* f = c.factor.Data();
  const std::shared_ptr<double> log_det = c.log_det;
  return run(
      info.Env(), {c.M},
      cuda_work([=](Failure& failure) {
        return api.cholesky(m, static_cast<int>(d), f, log_det.get(), &failure.column, &failure.pivot);
      }),
      c.settle);
}

// quadraticForms(features, n, d, factor, pairs) → Promise<Float64Array m>
Napi::Value QuadraticForms(const Napi::CallbackInfo& info) {
  const CudaApi& api = require_api(info.Env());
  const FactoredCall c = factored_call(info, 4);
  const Problem p = c.p;
  auto features = features_of(p.features, p.n, p.d);
  Napi::Float64Array out = Napi::Float64Array::New(info.Env(), static_cast<std::size_t>(p.m));
  double* q = out.Data();
  const double* L = c.factor.Data();
  return run(
      info.Env(), {info[0], c.factor},
      cuda_work([=](Failure&) {
        return api.quadratic(features->get(), static_cast<int>(p.n), static_cast<int>(p.d), L, p.pairs->data(), p.m, q);
      }),
      resolve_to(out));
}

// projectResponses(features, n, d, factor) → Promise<{ Y: Float32Array n×d, deviceMs }>
Napi::Value ProjectResponses(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  const CudaApi& api = require_api(env);
  const FactoredCall c = factored_call(info, -1);
  const Problem p = c.p;
  auto features = features_of(p.features, p.n, p.d);
  Napi::Float32Array Y = Napi::Float32Array::New(env, static_cast<std::size_t>(p.n * p.d));
  float* y = Y.Data();
  const double* L = c.factor.Data();
  auto ms = std::make_shared<double>(0.0);
  auto y_ref = std::make_shared<Napi::ObjectReference>(Napi::Persistent(Napi::Object(Y)));
  return run(
      env, {info[0], c.factor},
      cuda_work([=](Failure&) {
        return api.project(features->get(), static_cast<int>(p.n), static_cast<int>(p.d), L, y, ms.get());
      }),
      [=](Napi::Env e) -> Napi::Value {
        Napi::Object result = Napi::Object::New(e);
        result.Set("Y", y_ref->Value());
        result.Set("deviceMs", Napi::Number::New(e, *ms));
        return result;
      });
}

// greedy(features, n, d, factor, pairs, lambdas, k, lazy, cancel?) → Promise<{ picks, quadratic }>
Napi::Value Greedy(const Napi::CallbackInfo& info) {
  const CudaApi& api = require_api(info.Env());
  const GreedyCall c = greedy_call(info);
  auto features = features_of(c.p.features, c.p.n, c.p.d);
  return run(
      info.Env(), {info[0], c.factor, c.lambdas, c.cancel_holder},
      cuda_work([=](Failure&) {
        if (c.k == 0) return static_cast<int>(ARM_OK);
        return api.greedy(features->get(), static_cast<int>(c.p.n), static_cast<int>(c.p.d), c.L, c.p.pairs->data(), c.p.m,
                          c.lambda_data, static_cast<int>(c.k), c.lazy ? 1 : 0, c.cancel, c.picks, c.quadratic);
      }),
      resolve_to(c.result));
}

// crossGreedy(features, n, d, factor, promptIds, rewards, k, cancel?)
//   → Promise<{ pairs: Int32Array 2k, quadratic: Float64Array k, lambdas: Float64Array k }>
// Greedy over every cross-prompt pair (i < j, different prompts) without listing them.
Napi::Value CrossGreedy(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  const CudaApi& api = require_api(env);
  const FactoredCall c = factored_call(info, -1, 2);
  const std::int64_t n = c.p.n, d = c.p.d;
  auto features = features_of(c.p.features, n, d);
  const Napi::Float64Array& factor = c.factor;
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
      cuda_work([=](Failure&) {
        if (k == 0) return static_cast<int>(ARM_OK);
        return api.cross_greedy(features->get(), static_cast<int>(n), static_cast<int>(d), L, pr, r,
                                static_cast<int>(k), cancel, pp, qd, ld);
      }),
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
