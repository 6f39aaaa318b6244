// The exported kernels: each validates its arguments on the JS thread, then runs in a
// Napi::AsyncWorker and resolves a Promise.
#pragma once

#include <napi.h>

namespace arm_binding {

Napi::Value InformationMatrix(const Napi::CallbackInfo& info);
Napi::Value Cholesky(const Napi::CallbackInfo& info);
Napi::Value QuadraticForms(const Napi::CallbackInfo& info);
Napi::Value ProjectResponses(const Napi::CallbackInfo& info);
Napi::Value Greedy(const Napi::CallbackInfo& info);
Napi::Value SequentialGains(const Napi::CallbackInfo& info);

}  // namespace arm_binding
