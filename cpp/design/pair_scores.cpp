#include "design/pair_scores.h"

#include <algorithm>
#include <atomic>
#include <cstring>

#include "linalg/thread_pool.h"

namespace arm {

namespace {

// Lane l of the 8-wide accumulator sums the terms t ≡ l (mod 8); the d mod 8 leftover terms go to
// lanes 0, 1, …; then a fixed tree. Vector lanes round exactly as scalars, so the result is the
// same on every instruction set. The accumulator is a vector value, not an array indexed by a
// variable (which GCC keeps in memory, making every add wait on a store). Everything is forced
// inline so that it is compiled for the instruction set of each target_clones caller.
// load() copies bytes: clang ignores the lowered alignment of an aligned(8) vector typedef and
// emitted aligned loads (a crash on unaligned rows); both compilers make memcpy one unaligned load.
typedef double Lanes __attribute__((vector_size(64)));

__attribute__((always_inline)) inline Lanes load(const double* p) {
  Lanes v;
  __builtin_memcpy(&v, p, sizeof v);
  return v;
}

__attribute__((always_inline)) inline double reduce(Lanes acc, std::int64_t t, std::int64_t d, const double* a, const double* b,
                     bool squared_difference) {
  double l[8];
  std::memcpy(l, &acc, sizeof l);
  for (int e = 0; t < d; ++t, ++e) {
    const double term = squared_difference ? (a[t] - b[t]) * (a[t] - b[t]) : a[t] * b[t];
    l[e] += term;
  }
  return ((l[0] + l[4]) + (l[2] + l[6])) + ((l[1] + l[5]) + (l[3] + l[7]));
}

__attribute__((always_inline)) inline double fixed_order_dot(const double* a, const double* b, std::int64_t d) {
  Lanes acc = {};
  std::int64_t t = 0;
  for (; t + 8 <= d; t += 8) acc += load(a + t) * load(b + t);
  return reduce(acc, t, d, a, b, false);
}

__attribute__((always_inline)) inline double fixed_order_distance(const double* a, const double* b, std::int64_t d) {
  Lanes acc = {};
  std::int64_t t = 0;
  for (; t + 8 <= d; t += 8) {
    const Lanes diff = load(a + t) - load(b + t);
    acc += diff * diff;
  }
  return reduce(acc, t, d, a, b, true);
}

// J dot products of x with consecutive rows, each exactly fixed_order_dot: one dot product alone is
// a chain of dependent vector adds (latency-bound), while several side by side keep the adders
// busy and read x once.
constexpr int kChains = 8;
template <int J>
__attribute__((always_inline)) inline void fixed_order_dots(const double* x, const double* rows, std::int64_t d, double* out) {
  Lanes acc[J];
#pragma GCC unroll 8
  for (int j = 0; j < J; ++j) acc[j] = Lanes{};
  std::int64_t t = 0;
  for (; t + 8 <= d; t += 8) {
    const Lanes xv = load(x + t);
#pragma GCC unroll 8
    for (int j = 0; j < J; ++j) acc[j] += xv * load(rows + j * d + t);
  }
  for (int j = 0; j < J; ++j) out[j] = reduce(acc[j], t, d, x, rows + j * d, false);
}

// Four pairs side by side: one distance alone is a chain of dependent adds (latency-bound).
// (An always_inline body under a thin clone, as dot_products_4, for clang.)
__attribute__((always_inline)) inline void score_range_body(
    const double* Y, std::int64_t d, const std::int32_t* pairs, std::int64_t begin,
    std::int64_t end, double* q) {
  auto row = [&](std::int64_t p, int side) {
    return Y + static_cast<std::int64_t>(pairs[2 * p + side]) * d;
  };
  std::int64_t p = begin;
  for (; p + 4 <= end; p += 4) {
    const double* a[4] = {row(p, 0), row(p + 1, 0), row(p + 2, 0), row(p + 3, 0)};
    const double* b[4] = {row(p, 1), row(p + 1, 1), row(p + 2, 1), row(p + 3, 1)};
    Lanes acc[4] = {};
    std::int64_t t = 0;
    for (; t + 8 <= d; t += 8)
#pragma GCC unroll 4
      for (int r = 0; r < 4; ++r) {
        const Lanes diff = load(a[r] + t) - load(b[r] + t);
        acc[r] += diff * diff;
      }
    for (int r = 0; r < 4; ++r) q[p + r] = reduce(acc[r], t, d, a[r], b[r], true);
  }
  for (; p < end; ++p) q[p] = fixed_order_distance(row(p, 0), row(p, 1), d);
}

__attribute__((target_clones("avx512f", "avx2", "default"))) void score_range(
    const double* Y, std::int64_t d, const std::int32_t* pairs, std::int64_t begin,
    std::int64_t end, double* q) {
  score_range_body(Y, d, pairs, begin, end, q);
}

}  // namespace

__attribute__((target_clones("avx512f", "avx2", "default"))) double squared_distance(
    const double* a, const double* b, std::int64_t d) {
  return fixed_order_distance(a, b, d);
}

__attribute__((target_clones("avx512f", "avx2", "default"))) double dot_product(
    const double* a, const double* b, std::int64_t d) {
  return fixed_order_dot(a, b, d);
}

__attribute__((target_clones("avx512f", "avx2", "default"))) void dot_products(
    const double* x, const double* rows, std::int64_t d, std::int64_t count, double* out) {
  std::int64_t j = 0;
  for (; j + kChains <= count; j += kChains) fixed_order_dots<kChains>(x, rows + j * d, d, out + j);
  for (; j + 2 <= count; j += 2) fixed_order_dots<2>(x, rows + j * d, d, out + j);
  if (j < count) fixed_order_dots<1>(x, rows + j * d, d, out + j);
}

// A 4-row × 2-direction register tile: each direction row is read from cache once per 4 rows x
// instead of once per row, which is what bounds a catch-up of many rows against the same
// directions. Each of the 8 chains is fixed_order_dot's arithmetic. The body is an always_inline
// helper, as for the other clones: clang rejects the vector-valued helper calls written directly in
// the default clone (a 512-bit vector by value without AVX-512).
__attribute__((always_inline)) inline void dot_products_4_body(
    const double* const* xs, const double* rows, std::int64_t d, std::int64_t count,
    double* const* outs) {
  std::int64_t j = 0;
  for (; j + 2 <= count; j += 2) {
    const double* u0 = rows + j * d;
    const double* u1 = u0 + d;
    Lanes acc[4][2];
#pragma GCC unroll 4
    for (int r = 0; r < 4; ++r) acc[r][0] = acc[r][1] = Lanes{};
    std::int64_t t = 0;
    for (; t + 8 <= d; t += 8) {
      const Lanes a = load(u0 + t), b = load(u1 + t);
#pragma GCC unroll 4
      for (int r = 0; r < 4; ++r) {
        const Lanes x = load(xs[r] + t);
        acc[r][0] += x * a;
        acc[r][1] += x * b;
      }
    }
    for (int r = 0; r < 4; ++r) {
      outs[r][j] = reduce(acc[r][0], t, d, xs[r], u0, false);
      outs[r][j + 1] = reduce(acc[r][1], t, d, xs[r], u1, false);
    }
  }
  if (j < count)
    for (int r = 0; r < 4; ++r) fixed_order_dots<1>(xs[r], rows + j * d, d, outs[r] + j);
}

__attribute__((target_clones("avx512f", "avx2", "default"))) void dot_products_4(
    const double* const* xs, const double* rows, std::int64_t d, std::int64_t count,
    double* const* outs) {
  dot_products_4_body(xs, rows, d, count, outs);
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
