// Exact greedy D-optimal selection over an implicit exhaustive pool (design/implicit_pool.h):
// plain greedy's picks, bit for bit, with 4 bytes of state per pair (a float32 upper bound on its
// score) instead of the materialized path's ~32 (pair, λ, q, step, bound).
//
// A pair's exact q at step t is recomputed from scratch when needed: q0 = squared_distance(y_i,
// y_j) (the fixed-order reduction pair_scores uses), then the downdates q −= β_s (c_s[i] − c_s[j])²
// for s < t in pick order, read from a per-response history of c-vectors (n × k doubles). That is
// the same sequence of double operations plain greedy applies incrementally, so the same bits.
//
// Otherwise the scheme of greedy_blocked.h: a head (pairs whose bound reaches an edge below the
// largest bound) is run as plain greedy while its best stays above the edge, which bounds every
// pair outside; then one streaming pass over the bounds (skipping 64-pair blocks whose maximum is
// below the edge) forms the next head. A pass tightens a candidate's bound by the response-level
// bound λ(r_i + r_j)² (response_bounds.h), then by its score in the current metric, ‖w_i − w_j‖²
// with w = Rᵀy, P_t = RRᵀ (O(d) at any step, float32, with a rounding margin), and computes the
// exact q only where that still reaches the edge. Bounds are stored rounded up to float32. The
// edge rises during a pass when the head would grow past head_cap members.
#pragma once

#include <cstdint>

#include "design/greedy_dopt.h"
#include "design/implicit_pool.h"

namespace arm {

struct ImplicitGreedyInput {
  const double* Y;  // n×d projected responses (n = pool.n)
  std::int64_t d;
  ImplicitPool pool;
  std::int64_t k;  // at most the pool's size (the caller counts it)
  const volatile std::int32_t* cancel;  // nonzero asks the selection to stop (checked every step)
  volatile std::int32_t* progress;      // optional: picks done so far, stored every step
  // Head members admitted per rise of the edge during a pass: bounds the head (32 bytes a member)
  // where scores are flat and a pass would otherwise admit a large share of the pool.
  std::int64_t head_cap = 1 << 16;
};

// pairs: 2k response indices (i < j) in pick order; quadratic: q of each pick when it was picked;
// downdates (optional): q downdates done, counting a from-scratch evaluation at step t as t.
GreedyStatus greedy_implicit(const ImplicitGreedyInput& in, std::int32_t* pairs, double* quadratic,
                             std::int64_t* downdates = nullptr);

}  // namespace arm
