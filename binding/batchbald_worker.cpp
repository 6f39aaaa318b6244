#include "batchbald_worker.h"

#include <string>

#include "active_rm/active_rm.h"
#include "arguments.h"
#include "kernel_worker.h"

namespace arm_binding {

// batchbaldGreedy(prob, condEntropy, S, k, configurations, uniforms, cancel?, progress?)
//   → Promise<{ positions: Int32Array k, scores: Float64Array k }>; m = condEntropy.length.
// The arrays only change the answer, not which memory is touched, so they are read in place.
Napi::Value BatchBaldGreedy(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  const std::int64_t S = size_argument(info, 2, "S", 1);
  if (info.Length() <= 1 || !info[1].IsTypedArray() ||
      info[1].As<Napi::TypedArray>().TypedArrayType() != napi_float64_array)
    throw_type(env, "condEntropy must be a Float64Array (one entry per candidate); got " + describe(info, 1));
  const std::int64_t m = static_cast<std::int64_t>(info[1].As<Napi::Float64Array>().ElementLength());
  if (m < 1) throw_range(env, "condEntropy must have at least one entry (one per candidate pair)");
  Napi::Float64Array cond = float64_argument(info, 1, "condEntropy", m);
  Napi::Float64Array prob = float64_argument(info, 0, "prob", m * S);
  for (std::int64_t e = 0; e < m * S; ++e)
    if (!(prob.Data()[e] >= 0 && prob.Data()[e] <= 1))
      throw_range(env, "prob entry " + std::to_string(e) + " = " + std::to_string(prob.Data()[e]) +
                           " is not a probability in [0, 1]");
  const std::int64_t k = size_argument(info, 3, "k", 1);
  if (k > m) throw_range(env, "k (" + std::to_string(k) + ") is larger than the " + std::to_string(m) + " candidates");
  const std::int64_t configurations = size_argument(info, 4, "configurations", 1);
  if (info.Length() <= 5 || !info[5].IsTypedArray() ||
      info[5].As<Napi::TypedArray>().TypedArrayType() != napi_float64_array)
    throw_type(env, "uniforms must be a Float64Array of U(0, 1) draws; got " + describe(info, 5));
  Napi::Float64Array uniforms = float64_argument(info, 5, "uniforms",
                                                 static_cast<std::int64_t>(info[5].As<Napi::Float64Array>().ElementLength()));
  Napi::Value cancel_holder = env.Undefined();
  const volatile std::int32_t* cancel = cancel_argument(info, 6, &cancel_holder);
  Napi::Value progress_holder = env.Undefined();
  volatile std::int32_t* progress = progress_argument(info, 7, &progress_holder);

  Napi::Int32Array positions = Napi::Int32Array::New(env, static_cast<std::size_t>(k));
  Napi::Float64Array scores = Napi::Float64Array::New(env, static_cast<std::size_t>(k));
  Napi::Object result = Napi::Object::New(env);
  result.Set("positions", positions);
  result.Set("scores", scores);
  std::int32_t* pos = positions.Data();
  double* sc = scores.Data();
  const arm::BatchBaldInput in{prob.Data(), cond.Data(), m, S, k, configurations, uniforms.Data(),
                               static_cast<std::int64_t>(uniforms.ElementLength()), cancel, progress};
  return run(
      env, {prob, cond, uniforms, cancel_holder, progress_holder},
      [=]() {
        Outcome outcome;
        switch (arm::batchbald_greedy(in, pos, sc)) {
          case arm::BatchBaldStatus::ok:
            break;
          case arm::BatchBaldStatus::cancelled:
            outcome.code = "ABORT_ERR";
            break;
          case arm::BatchBaldStatus::out_of_uniforms:
            outcome.code = "ERR_INVALID_ARG_VALUE";
            outcome.message = "uniforms ran out; pass configurations·(k + 1) draws";
            break;
        }
        return outcome;
      },
      resolve_to(result));
}

// batchbaldProbabilities(features, n, d, samples, pairs, cancel?)
//   → Promise<{ prob: Float64Array m×S, condEntropy: Float64Array m }>; samples: S×d, row s = w_s.
Napi::Value BatchBaldProbabilities(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  const std::int64_t n = size_argument(info, 1, "n", 1);
  const std::int64_t d = size_argument(info, 2, "d", 1);
  const FeatureView features = features_argument(info, 0, n, d);
  if (info.Length() <= 3 || !info[3].IsTypedArray() ||
      info[3].As<Napi::TypedArray>().TypedArrayType() != napi_float64_array)
    throw_type(env, "samples must be a Float64Array of S×d posterior samples of the head; got " + describe(info, 3));
  const std::int64_t length = static_cast<std::int64_t>(info[3].As<Napi::Float64Array>().ElementLength());
  if (length == 0 || length % d != 0)
    throw_range(env, "samples must hold S×d entries (S ≥ 1, d = " + std::to_string(d) + "); got " + std::to_string(length));
  const std::int64_t S = length / d;
  Napi::Float64Array samples = float64_argument(info, 3, "samples", length);
  std::int64_t m = 0;
  const Checked<std::int32_t> pairs = pairs_argument(info, 4, n, &m);
  Napi::Value cancel_holder = env.Undefined();
  const volatile std::int32_t* cancel = cancel_argument(info, 5, &cancel_holder);
  Napi::Float64Array prob = Napi::Float64Array::New(env, static_cast<std::size_t>(m * S));
  Napi::Float64Array cond = Napi::Float64Array::New(env, static_cast<std::size_t>(m));
  Napi::Object result = Napi::Object::New(env);
  result.Set("prob", prob);
  result.Set("condEntropy", cond);
  double* prob_data = prob.Data();
  double* cond_data = cond.Data();
  const double* w = samples.Data();
  return run(
      env, {features.array, samples, cancel_holder},
      [=]() {
        Outcome outcome;
        bool done = true;
        with_features(features, [&](auto* phi) {
          done = arm::batchbald_probabilities(phi, n, d, w, S, pairs->data(), m, prob_data, cond_data, cancel);
        });
        if (!done) outcome.code = "ABORT_ERR";
        return outcome;
      },
      resolve_to(result));
}

}  // namespace arm_binding
