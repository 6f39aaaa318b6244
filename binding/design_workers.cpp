#include "design_workers.h"

#include <memory>
#include <string>

#include "arguments.h"
#include "design/design_selection.h"
#include "kernel_worker.h"

namespace arm_binding {

namespace {

Outcome outcome_of(const arm::DesignOutcome& design) {
  Outcome outcome;
  if (design.status == arm::DesignStatus::not_positive_definite) {
    outcome.code = "ERR_NOT_POSITIVE_DEFINITE";
    outcome.pivot = design.pivot;
    outcome.pivot_value = design.pivot_value;
  } else if (design.status == arm::DesignStatus::cancelled) {
    outcome.code = "ABORT_ERR";
  }
  return outcome;
}

arm::WeightedPairs weighted(const Checked<std::int32_t>& pairs, const double* weights, std::int64_t m) {
  return arm::WeightedPairs{pairs->data(), weights, m};
}

// Resolves to `result` with logDet = *log_det (and downdates = *downdates when given), which the
// worker fills in.
Settle with_log_det(Napi::Object result, std::shared_ptr<double> log_det,
                    std::shared_ptr<std::int64_t> downdates = nullptr) {
  auto ref = std::make_shared<Napi::ObjectReference>(Napi::Persistent(result));
  return [ref, log_det, downdates](Napi::Env e) -> Napi::Value {
    ref->Value().Set("logDet", Napi::Number::New(e, *log_det));
    if (downdates) ref->Value().Set("downdates", Napi::Number::New(e, static_cast<double>(*downdates)));
    return ref->Value();
  };
}

}  // namespace

// greedyDesign(features, n, d, pairs, lambdas, k, lazy, ridge, pastPairs?, pastWeights?, cancel?, progress?)
//   → Promise<{ picks, quadratic, logDet }>: M₀ = ridge·I + Σ_past w v vᵀ, its factor, the
// projection and the greedy picks in one worker; logDet is log det M₀.
Napi::Value GreedyDesign(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  const Problem p = problem_arguments(info, 3);
  Napi::Float64Array lambdas = float64_argument(info, 4, "lambdas", p.m);
  const std::int64_t k = size_argument(info, 5, "k", 0);
  if (k > p.m)
    throw_range(env, "k must be at most the number of pairs (" + std::to_string(p.m) + "), got " + std::to_string(k));
  const bool lazy = boolean_argument(info, 6, "lazy");
  const double ridge = finite_number(info, 7, "ridge");
  const PastArguments past = past_arguments(info, 8, p.n);
  Napi::Value cancel_holder = env.Undefined();
  const volatile std::int32_t* cancel = cancel_argument(info, 10, &cancel_holder);
  Napi::Value progress_holder = env.Undefined();
  volatile std::int32_t* progress = progress_argument(info, 11, &progress_holder);

  Napi::Int32Array picks = Napi::Int32Array::New(env, static_cast<std::size_t>(k));
  Napi::Float64Array quadratic = Napi::Float64Array::New(env, static_cast<std::size_t>(k));
  std::int32_t* pick_data = picks.Data();
  double* quad_data = quadratic.Data();
  const double* lambda_data = lambdas.Data();
  Napi::Object result = Napi::Object::New(env);
  result.Set("picks", picks);
  result.Set("quadratic", quadratic);
  auto log_det = std::make_shared<double>(0.0);
  auto downdates = std::make_shared<std::int64_t>(0);
  return run(
      env, {p.features.array, lambdas, cancel_holder, progress_holder},
      [=]() {
        arm::DesignOutcome design;
        with_features(p.features, [&](auto* phi) {
          design = arm::greedy_design(phi, p.n, p.d, ridge, weighted(past.pairs, past.weights->data(), past.m),
                                      weighted(p.pairs, lambda_data, p.m), k, lazy, cancel, progress, pick_data, quad_data);
        });
        *log_det = design.log_det;
        *downdates = design.downdates;
        return outcome_of(design);
      },
      with_log_det(result, log_det, downdates));
}

// doptScores(features, n, d, pairs, weights, ridge, poolInMatrix, pastPairs?, pastWeights?, cancel?)
//   → Promise<{ quadratic, logDet }>: q_p = v_pᵀ M⁻¹ v_p with M = ridge·I + Σ_past w v vᵀ
// (+ Σ_pairs w v vᵀ when poolInMatrix) formed, factored and projected in one worker.
Napi::Value DoptScores(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  const Problem p = problem_arguments(info, 3);
  const Checked<double> weights = float64_copy(info, 4, "weights", p.m);
  const double ridge = finite_number(info, 5, "ridge");
  const bool pool_in_matrix = boolean_argument(info, 6, "poolInMatrix");
  const PastArguments past = past_arguments(info, 7, p.n);
  Napi::Value cancel_holder = env.Undefined();
  const volatile std::int32_t* cancel = cancel_argument(info, 9, &cancel_holder);

  Napi::Float64Array quadratic = Napi::Float64Array::New(env, static_cast<std::size_t>(p.m));
  double* quad_data = quadratic.Data();
  Napi::Object result = Napi::Object::New(env);
  result.Set("quadratic", quadratic);
  auto log_det = std::make_shared<double>(0.0);
  return run(
      env, {p.features.array, cancel_holder},
      [=]() {
        arm::DesignOutcome design;
        with_features(p.features, [&](auto* phi) {
          design = arm::design_quadratic(phi, p.n, p.d, ridge, weighted(past.pairs, past.weights->data(), past.m),
                                         weighted(p.pairs, weights->data(), p.m), pool_in_matrix, cancel, quad_data);
        });
        *log_det = design.log_det;
        return outcome_of(design);
      },
      with_log_det(result, log_det));
}

}  // namespace arm_binding
