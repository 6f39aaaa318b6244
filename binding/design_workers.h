// The fused design entries: one call, one worker, per selection of a D-optimal rule family.
#pragma once

#include <napi.h>

namespace arm_binding {

Napi::Value GreedyDesign(const Napi::CallbackInfo& info);
Napi::Value GreedyDesignImplicit(const Napi::CallbackInfo& info);
Napi::Value DoptScores(const Napi::CallbackInfo& info);

}  // namespace arm_binding
