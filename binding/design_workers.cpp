#include "design_workers.h"

#include <algorithm>
#include <memory>
#include <string>
#include <unordered_map>
#include <vector>

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

namespace {

// Pairs of the implicit pool: every i < j ('all') or those across prompts ('cross'), less the
// distinct excluded pairs that are members.
std::int64_t implicit_pool_size(std::int64_t n, const std::int32_t* prompt, bool cross,
                                const std::vector<std::int32_t>& excluded) {
  std::int64_t size = n * (n - 1) / 2;
  if (cross) {
    std::unordered_map<std::int32_t, std::int64_t> group;
    for (std::int64_t i = 0; i < n; ++i) ++group[prompt[i]];
    for (const auto& g : group) size -= g.second * (g.second - 1) / 2;
  }
  std::vector<std::int64_t> keys;
  for (std::size_t e = 0; e < excluded.size(); e += 2)
    if (!cross || prompt[excluded[e]] != prompt[excluded[e + 1]])
      keys.push_back(static_cast<std::int64_t>(excluded[e]) * n + excluded[e + 1]);
  std::sort(keys.begin(), keys.end());
  return size - static_cast<std::int64_t>(std::unique(keys.begin(), keys.end()) - keys.begin());
}

}  // namespace

// greedyDesignImplicit(features, n, d, promptIds, cross, expRewards, rewards, excluded, k, ridge,
//   pastPairs?, pastWeights?, cancel?, progress?) → Promise<{ pairs, quadratic, logDet, downdates }>:
// greedyDesign over the exhaustive pool (cross-prompt pairs when cross, else all pairs) less the
// excluded pairs, enumerated in the kernel (no pair or λ arrays). λ_ij = e_i e_j/(e_i + e_j)² from
// expRewards, or, when expRewards is null, σ'(r_i − r_j) from rewards. pairs: the k picks (i < j)
// in pick order. progress (optional Int32Array(≥ 1)) receives the picks done so far.
Napi::Value GreedyDesignImplicit(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  const Problem p = problem_arguments(info, -1, 2);
  if (p.n > 2147483647) throw_range(env, "n must be below 2^31 for the implicit pool");
  const bool cross = boolean_argument(info, 4, "cross");
  if (!info[3].IsTypedArray() || info[3].As<Napi::TypedArray>().TypedArrayType() != napi_int32_array ||
      info[3].As<Napi::Int32Array>().ElementLength() != static_cast<std::size_t>(p.n))
    throw_type(env, "promptIds must be an Int32Array of n = " + std::to_string(p.n) + " entries; got " + describe(info, 3));
  require_fixed_length(env, info[3].As<Napi::TypedArray>(), "promptIds");
  const std::int32_t* prompt_data = info[3].As<Napi::Int32Array>().Data();
  auto prompt = std::make_shared<const std::vector<std::int32_t>>(prompt_data, prompt_data + p.n);
  Checked<double> exp_rewards;
  if (!is_missing(info, 5)) {
    exp_rewards = float64_copy(info, 5, "expRewards", p.n);
    for (const double e : *exp_rewards)
      if (!(e > 0.0)) throw_range(env, "expRewards must be positive (exp of centred rewards); pass null to use rewards");
  }
  const Checked<double> rewards = float64_copy(info, 6, "rewards", p.n);
  std::int64_t excluded_m = 0;
  const Checked<std::int32_t> excluded = pairs_argument(info, 7, p.n, &excluded_m, "excluded");
  const std::int64_t k = size_argument(info, 8, "k", 0);
  const std::int64_t size = implicit_pool_size(p.n, prompt->data(), cross, *excluded);
  if (k > size)
    throw_range(env, "k must be at most the number of pairs in the pool (" + std::to_string(size) + "), got " + std::to_string(k));
  const double ridge = finite_number(info, 9, "ridge");
  const PastArguments past = past_arguments(info, 10, p.n);
  Napi::Value cancel_holder = env.Undefined();
  const volatile std::int32_t* cancel = cancel_argument(info, 12, &cancel_holder);
  Napi::Value progress_holder = env.Undefined();
  // The same checks as cancel (an Int32Array of length ≥ 1, fixed length); written, not read.
  volatile std::int32_t* progress = progress_argument(info, 13, &progress_holder);

  Napi::Int32Array pairs = Napi::Int32Array::New(env, static_cast<std::size_t>(2 * k));
  Napi::Float64Array quadratic = Napi::Float64Array::New(env, static_cast<std::size_t>(k));
  std::int32_t* pair_data = pairs.Data();
  double* quad_data = quadratic.Data();
  Napi::Object result = Napi::Object::New(env);
  result.Set("pairs", pairs);
  result.Set("quadratic", quadratic);
  auto log_det = std::make_shared<double>(0.0);
  auto downdates = std::make_shared<std::int64_t>(0);
  return run(
      env, {p.features.array, cancel_holder, progress_holder},
      [=]() {
        arm::ImplicitPool pool;
        pool.n = p.n;
        pool.prompt = prompt->data();
        pool.cross = cross;
        pool.exp_rewards = exp_rewards ? exp_rewards->data() : nullptr;
        pool.rewards = rewards->data();
        pool.excluded = excluded->data();
        pool.excluded_m = excluded_m;
        arm::DesignOutcome design;
        with_features(p.features, [&](auto* phi) {
          design = arm::greedy_design_implicit(phi, p.d, ridge, weighted(past.pairs, past.weights->data(), past.m),
                                               pool, k, cancel, progress, pair_data, quad_data);
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
