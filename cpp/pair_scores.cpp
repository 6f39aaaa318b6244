#include "pair_scores.h"

#include <algorithm>
#include <atomic>

#include "thread_pool.h"

namespace arm {

namespace {

template <class Term>
inline double fixed_order_sum(std::int64_t d, Term term) {
  double acc[8] = {0, 0, 0, 0, 0, 0, 0, 0};
  std::int64_t t = 0;
  for (; t + 8 <= d; t += 8)
#pragma GCC unroll 8
    for (int l = 0; l < 8; ++l) acc[l] += term(t + l);
  for (int l = 0; t < d; ++t, ++l) acc[l] += term(t);
  return ((acc[0] + acc[4]) + (acc[2] + acc[6])) + ((acc[1] + acc[5]) + (acc[3] + acc[7]));
}

__attribute__((target_clones("avx512f", "avx2", "default"))) void score_range(
    const double* Y, std::int64_t d, const std::int32_t* pairs, std::int64_t begin,
    std::int64_t end, double* q) {
  for (std::int64_t p = begin; p < end; ++p) {
    const double* a = Y + static_cast<std::int64_t>(pairs[2 * p]) * d;
    const double* b = Y + static_cast<std::int64_t>(pairs[2 * p + 1]) * d;
    q[p] = fixed_order_sum(d, [&](std::int64_t t) {
      const double diff = a[t] - b[t];
      return diff * diff;
    });
  }
}

}  // namespace

__attribute__((target_clones("avx512f", "avx2", "default"))) double squared_distance(
    const double* a, const double* b, std::int64_t d) {
  return fixed_order_sum(d, [&](std::int64_t t) {
    const double diff = a[t] - b[t];
    return diff * diff;
  });
}

__attribute__((target_clones("avx512f", "avx2", "default"))) double dot_product(
    const double* a, const double* b, std::int64_t d) {
  return fixed_order_sum(d, [&](std::int64_t t) { return a[t] * b[t]; });
}

bool pair_scores(const double* Y, std::int64_t d, const std::int32_t* pairs, std::int64_t m,
                 double* q, const volatile std::int32_t* cancel) {
  const std::int64_t chunk = 1 << 16;
  const std::int64_t chunks = (m + chunk - 1) / chunk;
  std::atomic<bool> cancelled{false};
  parallel_for(static_cast<std::size_t>(chunks), [&](std::size_t c) {
    if (cancelled.load(std::memory_order_relaxed)) return;
    if (cancel && *cancel) {
      cancelled.store(true);
      return;
    }
    const std::int64_t begin = static_cast<std::int64_t>(c) * chunk;
    score_range(Y, d, pairs, begin, std::min(m, begin + chunk), q);
  });
  return !cancelled.load();
}

}  // namespace arm
