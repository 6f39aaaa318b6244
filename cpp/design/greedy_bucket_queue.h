// Lazy greedy over a bucket queue of stale scores (the lazy mode before greedy_blocked.h), kept for
// pools that are small against n·d: it computes c_s only for the responses its re-scorings touch,
// where the blocked mode computes c_s for every response at every pick. Same picks and arithmetic
// as plain greedy. It degrades when stale bounds are loose (no head, fast-decaying scores): the
// whole pool enters the queue (32 bytes per candidate) and is caught up serially several times,
// which is why large pools go to the blocked mode.
#pragma once

#include <cstdint>
#include <vector>

#include "design/greedy_dopt.h"

namespace arm {

// For tests (a re-cut must not change a pick): how often the buckets were re-cut, and optionally
// the cut to take at each look (every 16 picks from pick 16) instead of the one the fall asks for.
struct BucketQueueProbe {
  const std::vector<int>* schedule = nullptr;  // shifts in [46, 50]; past its end, the fall decides
  std::size_t first_admission = 0;  // candidates queued at first (0: the default, ≥ 65,536)
  std::int32_t coarser = 0, finer = 0;
  bool recut_with_waiting = false;  // a re-cut while candidates still waited below the floor
  std::int32_t admissions_after_recut = 0;  // of waiting candidates, after such a re-cut
};

// The bucket shift (46 = finest: exponent and 6 mantissa bits; 50 = coarsest) for a best score
// falling by `fall` (natural log) per pick, starting from `shift`.
int bucket_shift(int shift, double fall);

// q0: ‖y_i − y_j‖² per candidate. downdates (optional): candidate downdates done.
GreedyStatus greedy_bucket_queue(const GreedyInput& in, const std::vector<double>& q0,
                                 std::int32_t* picks, double* quadratic, std::int64_t* downdates,
                                 BucketQueueProbe* probe = nullptr);

}  // namespace arm
