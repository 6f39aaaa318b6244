// Entry point of the factorization; the work is host float64 (host_cholesky.cpp), so this one
// needs no device and is usable for checks on GPU-less machines.
#include <string>

#include "common.cuh"
#include "host_cholesky.h"

extern "C" int arm_cuda_cholesky(const double* M, int d, double* factor, double* log_det, std::int64_t* bad_column,
                                 double* bad_pivot) {
  return arm::guarded([&] {
    arm::require(d > 0, "d must be positive");
    double pivot = 0;
    const std::int64_t bad = arm::host_cholesky(M, d, factor, log_det, &pivot);
    if (bad_column) *bad_column = bad;
    if (bad >= 0) {
      if (bad_pivot) *bad_pivot = pivot;
      throw arm::Failure(ARM_NOT_POSITIVE_DEFINITE,
                         "matrix is not positive definite (column " + std::to_string(bad) + ")");
    }
  });
}
