// Blocked right-looking Cholesky M = L Lᵀ in float64; the trailing update goes through the GEMM
// microkernel, so large d runs near GEMM speed.
#pragma once

#include <cstdint>

namespace arm {

// a: d×d row-major, read from its lower triangle and overwritten by L (strict upper set to 0).
// Returns -1 on success, else the index of the first pivot that is not positive (or not finite),
// whose value goes to *failed_pivot.
std::int64_t cholesky_in_place(double* a, std::int64_t d, double* log_det, double* failed_pivot);

}  // namespace arm
