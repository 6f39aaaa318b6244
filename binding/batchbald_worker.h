// batchbaldGreedy: BatchBALD's lazy greedy over label configurations (cpp/rules/batchbald.h);
// batchbaldProbabilities: the posterior samples' pair probabilities it starts from.
#pragma once

#include <napi.h>

namespace arm_binding {

Napi::Value BatchBaldGreedy(const Napi::CallbackInfo& info);
Napi::Value BatchBaldProbabilities(const Napi::CallbackInfo& info);

}  // namespace arm_binding
