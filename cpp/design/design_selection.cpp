#include "design/design_selection.h"

#include <vector>

#include "design/greedy_dopt.h"
#include "design/greedy_implicit.h"
#include "design/information_matrix.h"
#include "design/pair_scores.h"
#include "design/project_responses.h"
#include "linalg/cholesky.h"

namespace arm {

namespace {

// M, then L in place. The past-only and candidates-only cases call information_matrix exactly as
// lib/rules did with the separate kernels (the past term as `base` only when both are present),
// so the sums round the same way.
template <class T>
DesignOutcome factor_start(const T* phi, std::int64_t n, std::int64_t d, double ridge,
                           const WeightedPairs& past, const WeightedPairs* candidates,
                           std::vector<double>& L) {
  L.assign(static_cast<std::size_t>(d * d), 0.0);
  if (candidates == nullptr) {
    information_matrix(phi, n, d, past.pairs, past.m, past.weights, ridge, nullptr, L.data());
  } else if (past.m == 0) {
    information_matrix(phi, n, d, candidates->pairs, candidates->m, candidates->weights, ridge,
                       nullptr, L.data());
  } else {
    std::vector<double> base(static_cast<std::size_t>(d * d));
    information_matrix(phi, n, d, past.pairs, past.m, past.weights, 0.0, nullptr, base.data());
    information_matrix(phi, n, d, candidates->pairs, candidates->m, candidates->weights, ridge,
                       base.data(), L.data());
  }
  DesignOutcome outcome;
  outcome.pivot = cholesky_in_place(L.data(), d, &outcome.log_det, &outcome.pivot_value);
  if (outcome.pivot >= 0) outcome.status = DesignStatus::not_positive_definite;
  return outcome;
}

}  // namespace

template <class T>
DesignOutcome greedy_design(const T* phi, std::int64_t n, std::int64_t d, double ridge,
                            const WeightedPairs& past, const WeightedPairs& candidates,
                            std::int64_t k, bool lazy, const volatile std::int32_t* cancel,
                            volatile std::int32_t* progress, std::int32_t* picks, double* quadratic) {
  std::vector<double> L;
  DesignOutcome outcome = factor_start(phi, n, d, ridge, past, nullptr, L);
  if (outcome.status != DesignStatus::ok || k == 0) return outcome;
  if (cancel && *cancel) {
    outcome.status = DesignStatus::cancelled;
    return outcome;
  }
  std::vector<double> Y(static_cast<std::size_t>(n * d));
  project_responses(phi, n, d, L.data(), Y.data());
  const GreedyInput in{Y.data(), n, d, candidates.pairs, candidates.weights, candidates.m, k, lazy, cancel, progress};
  if (greedy_dopt(in, picks, quadratic, &outcome.downdates) == GreedyStatus::cancelled) outcome.status = DesignStatus::cancelled;
  return outcome;
}

template <class T>
DesignOutcome greedy_design_implicit(const T* phi, std::int64_t d, double ridge, const WeightedPairs& past,
                                     const ImplicitPool& pool, std::int64_t k,
                                     const volatile std::int32_t* cancel, volatile std::int32_t* progress,
                                     std::int32_t* pairs, double* quadratic) {
  const std::int64_t n = pool.n;
  std::vector<double> L;
  DesignOutcome outcome = factor_start(phi, n, d, ridge, past, nullptr, L);
  if (outcome.status != DesignStatus::ok || k == 0) return outcome;
  if (cancel && *cancel) {
    outcome.status = DesignStatus::cancelled;
    return outcome;
  }
  std::vector<double> Y(static_cast<std::size_t>(n * d));
  project_responses(phi, n, d, L.data(), Y.data());
  const ImplicitGreedyInput in{Y.data(), d, pool, k, cancel, progress};
  if (greedy_implicit(in, pairs, quadratic, &outcome.downdates) == GreedyStatus::cancelled)
    outcome.status = DesignStatus::cancelled;
  return outcome;
}

template <class T>
DesignOutcome design_quadratic(const T* phi, std::int64_t n, std::int64_t d, double ridge,
                               const WeightedPairs& past, const WeightedPairs& candidates,
                               bool candidates_in_matrix, const volatile std::int32_t* cancel,
                               double* quadratic) {
  std::vector<double> L;
  DesignOutcome outcome =
      factor_start(phi, n, d, ridge, past, candidates_in_matrix ? &candidates : nullptr, L);
  if (outcome.status != DesignStatus::ok) return outcome;
  if (cancel && *cancel) {
    outcome.status = DesignStatus::cancelled;
    return outcome;
  }
  std::vector<double> Y(static_cast<std::size_t>(n * d));
  project_responses(phi, n, d, L.data(), Y.data());
  if (!pair_scores(Y.data(), d, candidates.pairs, candidates.m, quadratic, cancel))
    outcome.status = DesignStatus::cancelled;
  return outcome;
}

#define ARM_DESIGN_INSTANTIATE(T)                                                                 \
  template DesignOutcome greedy_design<T>(const T*, std::int64_t, std::int64_t, double,           \
                                          const WeightedPairs&, const WeightedPairs&,             \
                                          std::int64_t, bool, const volatile std::int32_t*,       \
                                          volatile std::int32_t*, std::int32_t*, double*);                                \
  template DesignOutcome design_quadratic<T>(const T*, std::int64_t, std::int64_t, double,        \
                                             const WeightedPairs&, const WeightedPairs&, bool,    \
                                             const volatile std::int32_t*, double*);   \
  template DesignOutcome greedy_design_implicit<T>(const T*, std::int64_t, double,                \
                                                   const WeightedPairs&, const ImplicitPool&,     \
                                                   std::int64_t, const volatile std::int32_t*,    \
                                                   volatile std::int32_t*, std::int32_t*, double*);
ARM_DESIGN_INSTANTIATE(float)
ARM_DESIGN_INSTANTIATE(double)
#undef ARM_DESIGN_INSTANTIATE

}  // namespace arm
