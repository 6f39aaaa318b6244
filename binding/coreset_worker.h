// coresetSensitivities: the coreset rule's k-means and sensitivities (cpp/rules/coreset.h).
#pragma once

#include <napi.h>

namespace arm_binding {

Napi::Value CoresetSensitivities(const Napi::CallbackInfo& info);

}  // namespace arm_binding
