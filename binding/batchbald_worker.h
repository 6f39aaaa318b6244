// batchbaldGreedy: BatchBALD's lazy greedy over label configurations (cpp/rules/batchbald.h).
#pragma once

#include <napi.h>

namespace arm_binding {

Napi::Value BatchBaldGreedy(const Napi::CallbackInfo& info);

}  // namespace arm_binding
