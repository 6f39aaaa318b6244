#include "workers.h"

#include <cstring>
#include <memory>
#include <vector>

#include "active_rm/active_rm.h"
#include "arguments.h"
#include "entry_arguments.h"
#include "kernel_worker.h"

namespace arm_binding {

// informationMatrix(features, n, d, pairs, weights, ridge, base?) → Promise<Float64Array d×d>
Napi::Value InformationMatrix(const Napi::CallbackInfo& info) {
  InformationCall c = information_call(info);
  const Problem p = c.p;
  const Checked<double> weights = c.weights;
  const double ridge = c.ridge;
  const double* base = c.base;
  double* out = c.out.Data();
  return run(
      info.Env(), {p.features.array, c.base_value},
      [=]() {
        with_features(p.features, [&](auto* phi) {
          arm::information_matrix(phi, p.n, p.d, p.pairs->data(), p.m, weights->data(), ridge, base, out);
        });
        return Outcome{};
      },
      resolve_to(c.out));
}

// cholesky(M, d) → Promise<{ factor, logDet }>; rejects with code ERR_NOT_POSITIVE_DEFINITE.
Napi::Value Cholesky(const Napi::CallbackInfo& info) {
  CholeskyCall c = cholesky_call(info);
  const std::int64_t d = c.d;
  std::memcpy(c.factor.Data(), c.M.Data(), static_cast<std::size_t>(d * d) * sizeof(double));
  double* data = c.factor.Data();
  const std::shared_ptr<double> log_det = c.log_det;
  return run(
      info.Env(), {},
      [=]() {
        Outcome outcome;
        outcome.pivot = arm::cholesky_in_place(data, d, log_det.get(), &outcome.pivot_value);
        if (outcome.pivot >= 0) outcome.code = "ERR_NOT_POSITIVE_DEFINITE";
        return outcome;
      },
      c.settle);
}

// quadraticForms(features, n, d, factor, pairs) → Promise<Float64Array m>
Napi::Value QuadraticForms(const Napi::CallbackInfo& info) {
  const FactoredCall c = factored_call(info, 4);
  const Problem p = c.p;
  Napi::Float64Array out = Napi::Float64Array::New(info.Env(), static_cast<std::size_t>(p.m));
  double* q = out.Data();
  const double* L = c.factor.Data();
  return run(
      info.Env(), {p.features.array, c.factor},
      [=]() {
        std::vector<double> Y(static_cast<std::size_t>(p.n * p.d));
        with_features(p.features, [&](auto* phi) { arm::project_responses(phi, p.n, p.d, L, Y.data()); });
        arm::pair_scores(Y.data(), p.d, p.pairs->data(), p.m, q, nullptr);
        return Outcome{};
      },
      resolve_to(out));
}

// projectResponses(features, n, d, factor) → Promise<Float64Array n×d>: Y = Φ L⁻ᵀ, the projection
// kernel on its own (benchmarks report its GFLOP/s).
Napi::Value ProjectResponses(const Napi::CallbackInfo& info) {
  const FactoredCall c = factored_call(info, -1);
  const Problem p = c.p;
  Napi::Float64Array out = Napi::Float64Array::New(info.Env(), static_cast<std::size_t>(p.n * p.d));
  double* Y = out.Data();
  const double* L = c.factor.Data();
  return run(
      info.Env(), {p.features.array, c.factor},
      [=]() {
        with_features(p.features, [&](auto* phi) { arm::project_responses(phi, p.n, p.d, L, Y); });
        return Outcome{};
      },
      resolve_to(out));
}

// greedy(features, n, d, factor, pairs, lambdas, k, lazy, cancel?, progress?) → Promise<{ picks, quadratic }>
// cancel: Int32Array(1) that JS sets to 1 (on AbortSignal abort); checked every pick. progress:
// Int32Array(1) that receives the picks made so far.
Napi::Value Greedy(const Napi::CallbackInfo& info) {
  const GreedyCall c = greedy_call(info);
  // The kernel's downdate count, filled by the worker and added to the result when it settles.
  auto downdates = std::make_shared<std::int64_t>(0);
  Settle with_count = [settle = resolve_to(c.result), downdates](Napi::Env e) {
    Napi::Object out = settle(e).As<Napi::Object>();
    out.Set("downdates", Napi::Number::New(e, static_cast<double>(*downdates)));
    return Napi::Value(out);
  };
  return run(
      info.Env(), {c.p.features.array, c.factor, c.lambdas, c.cancel_holder, c.progress_holder},
      [=]() {
        if (c.k == 0) return Outcome{};
        const Problem& p = c.p;
        std::vector<double> Y(static_cast<std::size_t>(p.n * p.d));
        with_features(p.features, [&](auto* phi) { arm::project_responses(phi, p.n, p.d, c.L, Y.data()); });
        const arm::GreedyInput in{Y.data(), p.n, p.d, p.pairs->data(), c.lambda_data, p.m, c.k, c.lazy, c.cancel, c.progress};
        Outcome outcome;
        if (arm::greedy_dopt(in, c.picks, c.quadratic, downdates.get()) == arm::GreedyStatus::cancelled)
          outcome.code = "ABORT_ERR";
        return outcome;
      },
      with_count);
}

// sequentialGains(features, n, d, factor, pairs, lambdas) → Promise<Float64Array k>: the log det
// gain of each pair added in the given order to M₀ = L Lᵀ (k = pairs.length / 2).
Napi::Value SequentialGains(const Napi::CallbackInfo& info) {
  const FactoredCall c = factored_call(info, 4);
  const Problem p = c.p;
  const Checked<double> lambdas = float64_copy(info, 5, "lambdas", p.m);
  Napi::Float64Array out = Napi::Float64Array::New(info.Env(), static_cast<std::size_t>(p.m));
  double* gains = out.Data();
  const double* L = c.factor.Data();
  return run(
      info.Env(), {p.features.array, c.factor},
      [=]() {
        with_features(p.features, [&](auto* phi) {
          arm::sequential_gains(phi, p.d, L, p.pairs->data(), lambdas->data(), p.m, gains);
        });
        return Outcome{};
      },
      resolve_to(out));
}

}  // namespace arm_binding
