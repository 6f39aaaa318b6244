// The d×d factorization runs on the host in float64: it is O(d³/3) once per selection, needs
// float64 (log det within 1e-5), and a host version can be checked without a GPU.
#pragma once

#include <cstdint>

namespace arm {

// L (d×d row-major, strict upper zero) from the lower triangle of M. Returns -1 on success, else
// the index of the first pivot that is not positive or not finite (its value in *bad_pivot).
std::int64_t host_cholesky(const double* M, std::int64_t d, double* L, double* log_det, double* bad_pivot);

// Inverses of the diagonal blocks of L (block size b, last block zero-padded to b×b), b×b each,
// row-major, lower triangular: what the blocked projection multiplies by.
void inverse_diagonal_blocks(const double* L, std::int64_t d, int b, double* out);

}  // namespace arm
