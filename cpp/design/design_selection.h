// A whole D-optimal selection step in one call: form M from the ridge and the labeled pairs (and,
// for dopt, the candidates), factor it, project every response once, then pick greedily or score
// every candidate. The binding runs each of these in a single worker, so a selection crosses the
// JS/native boundary once and the factor never leaves native memory.
//
// The arithmetic is exactly that of the separate kernels called in the same order
// (information_matrix, cholesky_in_place, project_responses, greedy_dopt / pair_scores), so the
// fused call and the step-by-step calls give bit-identical answers.
#pragma once

#include <cstdint>

#include "design/implicit_pool.h"

namespace arm {

// Weighted pairs (i, j interleaved) of a Fisher term Σ w v vᵀ; m = 0 means none.
struct WeightedPairs {
  const std::int32_t* pairs = nullptr;
  const double* weights = nullptr;
  std::int64_t m = 0;
};

enum class DesignStatus { ok, not_positive_definite, cancelled };

struct DesignOutcome {
  DesignStatus status = DesignStatus::ok;
  double log_det = 0.0;       // log det of the matrix the quadratic forms refer to
  std::int64_t pivot = -1;    // first failed Cholesky column when not_positive_definite
  double pivot_value = 0.0;
  std::int64_t downdates = 0;  // greedy only: candidate downdates applied (the bench's work share)
};

// Greedy from M₀ = ridge·I + Σ_past w v vᵀ over the candidates (weights = λ), k picks.
// picks: k positions in candidates; quadratic: v_pᵀ M_t⁻¹ v_p of each pick when picked.
template <class T>
DesignOutcome greedy_design(const T* features, std::int64_t n, std::int64_t d, double ridge,
                            const WeightedPairs& past, const WeightedPairs& candidates,
                            std::int64_t k, bool lazy, const volatile std::int32_t* cancel,
                            volatile std::int32_t* progress, std::int32_t* picks, double* quadratic);

// The same over an implicit exhaustive pool (design/greedy_implicit.h): pairs receives the k picks
// as response pairs (i < j), 2k entries; progress (optional) the picks done so far.
template <class T>
DesignOutcome greedy_design_implicit(const T* features, std::int64_t d, double ridge,
                                     const WeightedPairs& past, const ImplicitPool& pool,
                                     std::int64_t k, const volatile std::int32_t* cancel,
                                     volatile std::int32_t* progress, std::int32_t* pairs,
                                     double* quadratic);

// q_p = v_pᵀ M⁻¹ v_p for every candidate, M = ridge·I + Σ_past w v vᵀ (+ Σ_candidates w v vᵀ when
// candidates_in_matrix: the dopt rules). quadratic: m entries.
template <class T>
DesignOutcome design_quadratic(const T* features, std::int64_t n, std::int64_t d, double ridge,
                               const WeightedPairs& past, const WeightedPairs& candidates,
                               bool candidates_in_matrix, const volatile std::int32_t* cancel,
                               double* quadratic);

}  // namespace arm
