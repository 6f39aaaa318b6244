#include "linalg/cholesky.h"

#include <algorithm>
#include <cmath>

#include "gemm/gemm.h"
#include "linalg/thread_pool.h"

namespace arm {

namespace {

constexpr std::int64_t kBlock = 96;

// Σ_{t<len} x[t]·y[t] with a SIMD reduction (a plain loop would not vectorize under strict FP).
inline double dot(const double* x, const double* y, std::int64_t len) {
  double s = 0.0;
#pragma omp simd reduction(+ : s)
  for (std::int64_t t = 0; t < len; ++t) s += x[t] * y[t];
  return s;
}

}  // namespace

std::int64_t cholesky_in_place(double* a, std::int64_t d, double* log_det, double* failed_pivot) {
  double sum_log = 0.0;
  for (std::int64_t k0 = 0; k0 < d; k0 += kBlock) {
    const std::int64_t kb = std::min(kBlock, d - k0);
    const std::int64_t end = k0 + kb;
    for (std::int64_t j = k0; j < end; ++j) {
      double* rj = a + j * d;
      const double pivot = rj[j] - dot(rj + k0, rj + k0, j - k0);
      if (!(pivot > 0.0) || !std::isfinite(pivot)) {
        *failed_pivot = pivot;
        return j;
      }
      rj[j] = std::sqrt(pivot);
      sum_log += std::log(rj[j]);
      for (std::int64_t i = j + 1; i < end; ++i) {
        double* ri = a + i * d;
        ri[j] = (ri[j] - dot(ri + k0, rj + k0, j - k0)) / rj[j];
      }
    }
    const std::int64_t below = d - end;
    if (below == 0) break;
    // Panel: L21 = A21 · L11⁻ᵀ, each row an independent forward substitution.
    const std::int64_t rows_per_task = 32;
    parallel_for(static_cast<std::size_t>((below + rows_per_task - 1) / rows_per_task),
                 [&](std::size_t task) {
                   const std::int64_t r0 = end + static_cast<std::int64_t>(task) * rows_per_task;
                   const std::int64_t r1 = std::min(d, r0 + rows_per_task);
                   for (std::int64_t i = r0; i < r1; ++i) {
                     double* ri = a + i * d;
                     for (std::int64_t j = k0; j < end; ++j) {
                       const double* rj = a + j * d;
                       ri[j] = (ri[j] - dot(ri + k0, rj + k0, j - k0)) / rj[j];
                     }
                   }
                 });
    // Trailing update A22 −= L21 L21ᵀ (the whole square; only its lower triangle is read later).
    const StridedMatrix<double> L21{a + end * d + k0, d, 1};
    const StridedMatrix<double> L21t{a + end * d + k0, 1, d};
    GemmOptions opt;
    opt.alpha = -1.0;
    opt.accumulate = true;
    gemm<double>(below, below, kb, L21, L21t, a + end * d + end, d, opt);
  }
  for (std::int64_t i = 0; i < d; ++i) std::fill(a + i * d + i + 1, a + (i + 1) * d, 0.0);
  *log_det = 2.0 * sum_log;
  return -1;
}

}  // namespace arm
