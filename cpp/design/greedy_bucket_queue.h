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

// q0: ‖y_i − y_j‖² per candidate. downdates (optional): candidate downdates done.
GreedyStatus greedy_bucket_queue(const GreedyInput& in, const std::vector<double>& q0,
                                 std::int32_t* picks, double* quadratic, std::int64_t* downdates);

}  // namespace arm
