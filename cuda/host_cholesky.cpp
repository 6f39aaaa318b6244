#include "host_cholesky.h"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <thread>
#include <vector>

namespace arm {
namespace {

constexpr std::int64_t kBlock = 64;

// Four independent accumulators per dot: breaks the add dependency chain without reassociating
// across rows, so results do not depend on the thread count.
inline double dot(const double* x, const double* y, std::int64_t n) {
  double s0 = 0, s1 = 0, s2 = 0, s3 = 0;
  std::int64_t k = 0;
  for (; k + 4 <= n; k += 4) {
    s0 += x[k] * y[k];
    s1 += x[k + 1] * y[k + 1];
    s2 += x[k + 2] * y[k + 2];
    s3 += x[k + 3] * y[k + 3];
  }
  for (; k < n; ++k) s0 += x[k] * y[k];
  return (s0 + s1) + (s2 + s3);
}

// Row i of the block column [j0, j1): subtract the contributions of columns < j0, then the
// triangular solve against the already factored diagonal block.
void panel_row(double* L, std::int64_t d, std::int64_t i, std::int64_t j0, std::int64_t j1) {
  double* li = L + i * d;
  for (std::int64_t j = j0; j < j1; ++j) {
    const double* lj = L + j * d;
    const double s = li[j] - dot(li, lj, j);
    li[j] = s / lj[j];
  }
}

template <class F>
void parallel_rows(std::int64_t begin, std::int64_t end, F&& f) {
  const std::int64_t rows = end - begin;
  unsigned threads = std::max(1u, std::min(16u, std::thread::hardware_concurrency()));
  if (rows < 64 || threads == 1) {
    for (std::int64_t i = begin; i < end; ++i) f(i);
    return;
  }
  threads = static_cast<unsigned>(std::min<std::int64_t>(threads, rows / 16));
  std::vector<std::thread> pool;
  // Interleaved rows balance the triangular work (later rows are longer).
  for (unsigned t = 0; t < threads; ++t)
    pool.emplace_back([&, t] {
      for (std::int64_t i = begin + t; i < end; i += threads) f(i);
    });
  for (auto& th : pool) th.join();
}

}  // namespace

std::int64_t host_cholesky(const double* M, std::int64_t d, double* L, double* log_det, double* bad_pivot) {
  for (std::int64_t i = 0; i < d; ++i) {
    std::memcpy(L + i * d, M + i * d, sizeof(double) * (i + 1));
    std::fill(L + i * d + i + 1, L + (i + 1) * d, 0.0);
  }
  double ld = 0;
  for (std::int64_t j0 = 0; j0 < d; j0 += kBlock) {
    const std::int64_t j1 = std::min(d, j0 + kBlock);
    // Diagonal block: left-looking, row by row (rows of the block only need columns < their own).
    for (std::int64_t i = j0; i < j1; ++i) {
      double* li = L + i * d;
      for (std::int64_t j = j0; j < i; ++j) li[j] = (li[j] - dot(li, L + j * d, j)) / L[j * d + j];
      const double s = li[i] - dot(li, li, i);
      if (!(s > 0) || !std::isfinite(s)) {
        *bad_pivot = s;
        return i;
      }
      li[i] = std::sqrt(s);
      ld += std::log(li[i]);
    }
    parallel_rows(j1, d, [&](std::int64_t i) { panel_row(L, d, i, j0, j1); });
  }
  *log_det = 2 * ld;
  return -1;
}

void inverse_diagonal_blocks(const double* L, std::int64_t d, int b, double* out) {
  const std::int64_t blocks = (d + b - 1) / b;
  std::fill(out, out + blocks * b * b, 0.0);
  for (std::int64_t J = 0; J < blocks; ++J) {
    const std::int64_t j0 = J * b, w = std::min<std::int64_t>(b, d - j0);
    double* X = out + J * b * b;
    // Column c of the inverse by forward substitution: X[r][c] for r ≥ c.
    for (std::int64_t c = 0; c < w; ++c) {
      X[c * b + c] = 1.0 / L[(j0 + c) * d + j0 + c];
      for (std::int64_t r = c + 1; r < w; ++r) {
        const double* lr = L + (j0 + r) * d + j0;
        double s = 0;
        for (std::int64_t t = c; t < r; ++t) s += lr[t] * X[t * b + c];
        X[r * b + c] = -s / lr[r];
      }
    }
  }
}

}  // namespace arm
