// Exact greedy D-optimal selection in projected coordinates (y_i = L⁻¹ φ_i, M₀ = L Lᵀ).
//
// Score of candidate p at step t: λ_p · q_p(t). The argmax is picked, ties to the lower position.
// After picking p* = (a, b) with q*, λ*: z = y_a − y_b, u_t = z − Σ_{s<t} β_s (u_s·z) u_s,
// β_t = λ*/(1 + λ* q*), c_t = Y u_t, and q_p(t+1) = q_p(t) − β_t (c_t[i] − c_t[j])².
//
// Plain greedy applies every downdate to all m candidates. The lazy mode (greedy_blocked.h) keeps
// stale scores and response-level bounds (upper bounds: q only decreases) and brings a candidate
// up to date by applying the missing downdates in the same order with the same arithmetic, so both
// modes pick identically.
#pragma once

#include <cstdint>

namespace arm {

struct GreedyInput {
  const double* Y;  // n×d projected responses
  std::int64_t n, d;
  const std::int32_t* pairs;  // 2m
  const double* lambdas;      // m
  std::int64_t m, k;
  bool lazy;
  const volatile std::int32_t* cancel;  // nonzero asks the selection to stop (checked every step)
  // Optional: the number of picks made so far, stored after every pick for a caller that polls it
  // from another thread (a progress display; never read back).
  volatile std::int32_t* progress = nullptr;
};

enum class GreedyStatus { ok, cancelled };

// picks: k positions; quadratic: q of each pick when it was picked; downdates (optional): how many
// q downdates were applied (plain greedy: Σ_{t<k−1} (m − 1 − t)), for the benchmark's lazy share.
GreedyStatus greedy_dopt(const GreedyInput& in, std::int32_t* picks, double* quadratic,
                         std::int64_t* downdates = nullptr);

}  // namespace arm
