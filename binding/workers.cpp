#include "workers.h"

#include <cstring>
#include <functional>
#include <memory>
#include <new>
#include <string>
#include <vector>

#include "active_rm/active_rm.h"
#include "arguments.h"
#include "kernel_worker.h"

namespace arm_binding {

// informationMatrix(features, n, d, pairs, weights, ridge, base?) → Promise<Float64Array d×d>
Napi::Value InformationMatrix(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  const std::int64_t n = size_argument(info, 1, "n", 1);
  const std::int64_t d = size_argument(info, 2, "d", 1);
  const FeatureView features = features_argument(info, 0, n, d);
  std::int64_t m = 0;
  const Checked<std::int32_t> pairs = pairs_argument(info, 3, n, &m);
  const Checked<double> weights = float64_copy(info, 4, "weights", m);
  const double ridge = finite_number(info, 5, "ridge");
  Napi::Value base_value = env.Undefined();
  const double* base = nullptr;
  if (!is_missing(info, 6)) {
    base = float64_argument(info, 6, "base", d * d).Data();
    base_value = info[6];
  }
  Napi::Float64Array out = Napi::Float64Array::New(env, static_cast<std::size_t>(d * d));
  double* out_data = out.Data();
  return run(
      env, {features.array, base_value},
      [=]() {
        with_features(features, [&](auto* phi) {
          arm::information_matrix(phi, n, d, pairs->data(), m, weights->data(), ridge, base,
                                  out_data);
        });
        return Outcome{};
      },
      resolve_to(out));
}

// cholesky(M, d) → Promise<{ factor, logDet }>; rejects with code ERR_NOT_POSITIVE_DEFINITE.
Napi::Value Cholesky(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  const std::int64_t d = size_argument(info, 1, "d", 1);
  Napi::Float64Array M = float64_argument(info, 0, "M", d * d, false);
  Napi::Float64Array factor = Napi::Float64Array::New(env, static_cast<std::size_t>(d * d));
  std::memcpy(factor.Data(), M.Data(), static_cast<std::size_t>(d * d) * sizeof(double));
  double* data = factor.Data();
  auto log_det = std::make_shared<double>(0.0);
  auto factor_ref = std::make_shared<Napi::ObjectReference>(Napi::Persistent(Napi::Object(factor)));
  return run(
      env, {},
      [=]() {
        Outcome outcome;
        outcome.pivot = arm::cholesky_in_place(data, d, log_det.get(), &outcome.pivot_value);
        if (outcome.pivot >= 0) outcome.code = "ERR_NOT_POSITIVE_DEFINITE";
        return outcome;
      },
      [=](Napi::Env e) -> Napi::Value {
        Napi::Object result = Napi::Object::New(e);
        result.Set("factor", factor_ref->Value());
        result.Set("logDet", Napi::Number::New(e, *log_det));
        return result;
      });
}

// quadraticForms(features, n, d, factor, pairs) → Promise<Float64Array m>
Napi::Value QuadraticForms(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  const std::int64_t n = size_argument(info, 1, "n", 1);
  const std::int64_t d = size_argument(info, 2, "d", 1);
  const FeatureView features = features_argument(info, 0, n, d);
  Napi::Float64Array factor = factor_argument(info, 3, d);
  std::int64_t m = 0;
  const Checked<std::int32_t> pairs = pairs_argument(info, 4, n, &m);
  Napi::Float64Array out = Napi::Float64Array::New(env, static_cast<std::size_t>(m));
  double* q = out.Data();
  const double* L = factor.Data();
  return run(
      env, {features.array, factor},
      [=]() {
        std::vector<double> Y(static_cast<std::size_t>(n * d));
        with_features(features, [&](auto* phi) { arm::project_responses(phi, n, d, L, Y.data()); });
        arm::pair_scores(Y.data(), d, pairs->data(), m, q, nullptr);
        return Outcome{};
      },
      resolve_to(out));
}

// projectResponses(features, n, d, factor) → Promise<Float64Array n×d>: Y = Φ L⁻ᵀ, the projection
// kernel on its own (benchmarks report its GFLOP/s).
Napi::Value ProjectResponses(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  const std::int64_t n = size_argument(info, 1, "n", 1);
  const std::int64_t d = size_argument(info, 2, "d", 1);
  const FeatureView features = features_argument(info, 0, n, d);
  Napi::Float64Array factor = factor_argument(info, 3, d);
  Napi::Float64Array out = Napi::Float64Array::New(env, static_cast<std::size_t>(n * d));
  double* Y = out.Data();
  const double* L = factor.Data();
  return run(
      env, {features.array, factor},
      [=]() {
        with_features(features, [&](auto* phi) { arm::project_responses(phi, n, d, L, Y); });
        return Outcome{};
      },
      resolve_to(out));
}

// greedy(features, n, d, factor, pairs, lambdas, k, lazy, cancel?) → Promise<{ picks, quadratic }>
// cancel: Int32Array(1) that JS sets to 1 (on AbortSignal abort); checked every pick.
Napi::Value Greedy(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  const std::int64_t n = size_argument(info, 1, "n", 1);
  const std::int64_t d = size_argument(info, 2, "d", 1);
  const FeatureView features = features_argument(info, 0, n, d);
  Napi::Float64Array factor = factor_argument(info, 3, d);
  const GreedyArguments g = greedy_arguments(info, n);
  const Checked<std::int32_t>& pairs = g.pairs;
  const std::int64_t m = g.m, k = g.k;
  const Napi::Float64Array& lambdas = g.lambdas;
  const bool lazy = g.lazy;
  const Napi::Value& cancel_holder = g.cancel_holder;
  const volatile std::int32_t* cancel = g.cancel;

  Napi::Int32Array picks = Napi::Int32Array::New(env, static_cast<std::size_t>(k));
  Napi::Float64Array quadratic = Napi::Float64Array::New(env, static_cast<std::size_t>(k));
  std::int32_t* pick_data = picks.Data();
  double* quad_data = quadratic.Data();
  const double* L = factor.Data();
  const double* lambda_data = lambdas.Data();
  Napi::Object result = Napi::Object::New(env);
  result.Set("picks", picks);
  result.Set("quadratic", quadratic);
  return run(
      env, {features.array, factor, lambdas, cancel_holder},
      [=]() {
        if (k == 0) return Outcome{};
        std::vector<double> Y(static_cast<std::size_t>(n * d));
        with_features(features, [&](auto* phi) { arm::project_responses(phi, n, d, L, Y.data()); });
        const arm::GreedyInput in{Y.data(), n, d, pairs->data(), lambda_data, m, k, lazy, cancel};
        Outcome outcome;
        if (arm::greedy_dopt(in, pick_data, quad_data) == arm::GreedyStatus::cancelled)
          outcome.code = "ABORT_ERR";
        return outcome;
      },
      resolve_to(result));
}

// sequentialGains(features, n, d, factor, pairs, lambdas) → Promise<Float64Array k>: the log det
// gain of each pair added in the given order to M₀ = L Lᵀ (k = pairs.length / 2).
Napi::Value SequentialGains(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  const std::int64_t n = size_argument(info, 1, "n", 1);
  const std::int64_t d = size_argument(info, 2, "d", 1);
  const FeatureView features = features_argument(info, 0, n, d);
  Napi::Float64Array factor = factor_argument(info, 3, d);
  std::int64_t k = 0;
  const Checked<std::int32_t> pairs = pairs_argument(info, 4, n, &k);
  const Checked<double> lambdas = float64_copy(info, 5, "lambdas", k);
  Napi::Float64Array out = Napi::Float64Array::New(env, static_cast<std::size_t>(k));
  double* gains = out.Data();
  const double* L = factor.Data();
  return run(
      env, {features.array, factor},
      [=]() {
        with_features(features, [&](auto* phi) {
          arm::sequential_gains(phi, d, L, pairs->data(), lambdas->data(), k, gains);
        });
        return Outcome{};
      },
      resolve_to(out));
}

}  // namespace arm_binding
