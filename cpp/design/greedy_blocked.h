// Blocked exact greedy: plain greedy's picks and arithmetic, with the pool's downdates applied in
// blocks (one streaming pass per block) instead of one pass per pick.
//
// The pool is kept current at the block's first step t0. A head H (the candidates whose key λ·q at
// t0 lies in the top few histogram buckets) is run as plain greedy pick by pick; every candidate
// outside H has a key below H's lower edge, an upper bound on its later scores (q only decreases),
// so H's best is the pool's best while it stays at or above that edge. When it falls below, or the
// block's c-vector buffer is full, one pass brings every other candidate up to date, each with the
// same downdates in the same order as plain greedy, and the next block starts.
//
// Cost: plain greedy's downdates, but read from a block buffer of c-vectors held per response (one
// short contiguous row per endpoint) and with one pass over the m-long arrays per block, not per
// pick; how many picks a block certifies no longer depends on how loose the stale bounds are.
#pragma once

#include <cstdint>
#include <vector>

#include "design/greedy_dopt.h"

namespace arm {

// q: ‖y_i − y_j‖² per candidate on entry (overwritten). Returns the number of candidate downdates
// done through `downdates` (for the benchmarks' "share of plain greedy's work").
GreedyStatus greedy_blocked(const GreedyInput& in, std::vector<double>& q, std::int32_t* picks,
                            double* quadratic, std::int64_t* downdates);

}  // namespace arm
