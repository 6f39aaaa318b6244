// Module entry: the CPU kernels, plus what the JS side needs to describe the build.
#include <napi.h>

#include "active_rm/active_rm.h"
#include "batchbald_worker.h"
#include "coreset_worker.h"
#include "design_workers.h"
#include "cuda_bridge.h"
#include "mlp_worker.h"
#include "workers.h"

namespace {

Napi::Object Init(Napi::Env env, Napi::Object exports) {
  exports.Set("informationMatrix", Napi::Function::New(env, arm_binding::InformationMatrix));
  exports.Set("cholesky", Napi::Function::New(env, arm_binding::Cholesky));
  exports.Set("quadraticForms", Napi::Function::New(env, arm_binding::QuadraticForms));
  exports.Set("projectResponses", Napi::Function::New(env, arm_binding::ProjectResponses));
  exports.Set("sequentialGains", Napi::Function::New(env, arm_binding::SequentialGains));
  exports.Set("greedyDesign", Napi::Function::New(env, arm_binding::GreedyDesign));
  exports.Set("greedyDesignImplicit", Napi::Function::New(env, arm_binding::GreedyDesignImplicit));
  exports.Set("doptScores", Napi::Function::New(env, arm_binding::DoptScores));
  exports.Set("greedy", Napi::Function::New(env, arm_binding::Greedy));
  exports.Set("batchbaldGreedy", Napi::Function::New(env, arm_binding::BatchBaldGreedy));
  exports.Set("batchbaldProbabilities", Napi::Function::New(env, arm_binding::BatchBaldProbabilities));
  exports.Set("coresetSensitivities", Napi::Function::New(env, arm_binding::CoresetSensitivities));
  exports.Set("mlpForward", Napi::Function::New(env, arm_binding::MlpForward));
  exports.Set("mlpGradient", Napi::Function::New(env, arm_binding::MlpGradient));
  exports.Set("mlpTrain", Napi::Function::New(env, arm_binding::MlpTrain));
  exports.Set("simd", Napi::String::New(env, arm::simd_level_name()));
  exports.Set("threads", Napi::Number::New(env, arm::worker_count()));
  arm_binding::RegisterCuda(env, exports);  // exports.cuda; opens the CUDA library on first use
  return exports;
}

}  // namespace

NODE_API_MODULE(active_rm, Init)
