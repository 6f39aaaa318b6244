// q_p = ‖y_i − y_j‖² for every pair over the projected responses Y (n×d, float64).
#pragma once

#include <cstdint>

// The fixed-order dot products and distances (same bits on every ISA and call site), which the
// greedy and the gains use alongside the pair scores.
#include "linalg/reductions.h"

namespace arm {

// Returns false when *cancel became nonzero before all pairs were scored (checked per chunk).
bool pair_scores(const double* Y, std::int64_t d, const std::int32_t* pairs, std::int64_t m,
                 double* q, const volatile std::int32_t* cancel);

}  // namespace arm
