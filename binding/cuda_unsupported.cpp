// exports.cuda where the CUDA library cannot exist (Windows, macOS): the same shape as
// cuda_bridge.cpp, status() says why, and every kernel throws that reason. The bridge itself needs
// dlopen/dladdr and a Linux libactive_rm_cuda.so.
#include "cuda_bridge.h"

#include <string>

namespace arm_binding {
namespace {

#if defined(_WIN32)
constexpr const char* kReason = "CUDA not supported on this platform (win32: the CUDA library is built for Linux x64 only)";
#else
constexpr const char* kReason = "CUDA not supported on this platform (the CUDA library is built for Linux x64 only)";
#endif

Napi::Value Status(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  Napi::Object out = Napi::Object::New(env);
  out.Set("available", Napi::Boolean::New(env, false));
  out.Set("loaded", Napi::Boolean::New(env, false));
  out.Set("path", Napi::String::New(env, ""));
  out.Set("reason", Napi::String::New(env, kReason));
  return out;
}

Napi::Value Unavailable(const Napi::CallbackInfo& info) {
  throw Napi::Error::New(info.Env(), std::string("the CUDA backend is not available: ") + kReason);
}

}  // namespace

void RegisterCuda(Napi::Env env, Napi::Object exports) {
  Napi::Object cuda = Napi::Object::New(env);
  cuda.Set("status", Napi::Function::New(env, Status));
  for (const char* name : {"informationMatrix", "cholesky", "quadraticForms", "projectResponses", "greedy", "crossGreedy"})
    cuda.Set(name, Napi::Function::New(env, Unavailable, name));
  exports.Set("cuda", cuda);
}

}  // namespace arm_binding
