// The CUDA layer as seen from the addon: exports.cuda, an object whose functions open
// libactive_rm_cuda.so (next to this addon) at first use and run its C interface in async
// workers. The addon never links the CUDA library, so it loads on machines without CUDA.
#pragma once

#include <napi.h>

namespace arm_binding {

void RegisterCuda(Napi::Env env, Napi::Object exports);

}  // namespace arm_binding
