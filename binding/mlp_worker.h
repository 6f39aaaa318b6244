// The MLP reward model's kernels (cpp/train/mlp.h): validated on the JS thread, run in an AsyncWorker,
// each returning a Promise. lib/train/mlp.ts is the caller and the reference semantics.
#pragma once

#include <napi.h>

namespace arm_binding {

// mlpForward(features, n, inputDim, width, params) → Promise<{ phi, rewards }>
Napi::Value MlpForward(const Napi::CallbackInfo& info);
// mlpGradient(features, n, inputDim, width, params, pairs, labels) → Promise<{ loss, grad }>
Napi::Value MlpGradient(const Napi::CallbackInfo& info);
// mlpTrain(features, n, inputDim, width, params, adamM, adamV, steps, pairs, labels, order,
//          epochs, batchSize, lr, weightDecay, cancel?) → Promise<{ params, adamM, adamV, steps, losses }>
Napi::Value MlpTrain(const Napi::CallbackInfo& info);

}  // namespace arm_binding
