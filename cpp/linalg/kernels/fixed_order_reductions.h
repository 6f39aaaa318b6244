// The fixed-order reductions of linalg/reductions.h written once over an 8-lane type L (L::V with
// +, −, ×; L::load; L::store): each ISA file instantiates it inside functions compiled for its
// target. Everything is forced inline so that it is compiled for that target. The accumulators
// are vector values, not arrays indexed by a variable (which GCC keeps in memory, making every
// add wait on a store: 3× slower).
#pragma once

#include <cstdint>

#define ACTIVE_RM_INLINE inline __attribute__((always_inline))

namespace arm {

template <class L>
struct FixedOrder {
  using V = typename L::V;

  static ACTIVE_RM_INLINE double reduce(V acc, std::int64_t t, std::int64_t d, const double* a,
                                        const double* b, bool squared_difference) {
    double l[8];
    L::store(l, acc);
    for (int e = 0; t < d; ++t, ++e) {
      const double term = squared_difference ? (a[t] - b[t]) * (a[t] - b[t]) : a[t] * b[t];
      l[e] += term;
    }
    return ((l[0] + l[4]) + (l[2] + l[6])) + ((l[1] + l[5]) + (l[3] + l[7]));
  }

  static ACTIVE_RM_INLINE double distance(const double* a, const double* b, std::int64_t d) {
    V acc = L::zero();
    std::int64_t t = 0;
    for (; t + 8 <= d; t += 8) {
      const V diff = L::load(a + t) - L::load(b + t);
      acc = acc + diff * diff;
    }
    return reduce(acc, t, d, a, b, true);
  }

  // J dot products of x with consecutive rows, each exactly dot(): one dot product alone is a
  // chain of dependent vector adds (latency-bound); several side by side keep the adders busy
  // and read x once.
  template <int J>
  static ACTIVE_RM_INLINE void dots(const double* x, const double* rows, std::int64_t d,
                                    double* out) {
    V acc[J];
#pragma GCC unroll 8
    for (int j = 0; j < J; ++j) acc[j] = L::zero();
    std::int64_t t = 0;
    for (; t + 8 <= d; t += 8) {
      const V xv = L::load(x + t);
#pragma GCC unroll 8
      for (int j = 0; j < J; ++j) acc[j] = acc[j] + xv * L::load(rows + j * d + t);
    }
    for (int j = 0; j < J; ++j) out[j] = reduce(acc[j], t, d, x, rows + j * d, false);
  }

  static ACTIVE_RM_INLINE double dot(const double* a, const double* b, std::int64_t d) {
    double out;
    dots<1>(a, b, d, &out);
    return out;
  }

  static ACTIVE_RM_INLINE void dots_many(const double* x, const double* rows, std::int64_t d,
                                         std::int64_t count, double* out) {
    std::int64_t j = 0;
    for (; j + 8 <= count; j += 8) dots<8>(x, rows + j * d, d, out + j);
    for (; j + 2 <= count; j += 2) dots<2>(x, rows + j * d, d, out + j);
    if (j < count) dots<1>(x, rows + j * d, d, out + j);
  }

  // A 4-row × D-direction register tile: each direction row is read once per 4 rows x instead of
  // once per row, which is what bounds a catch-up of many rows against the same directions. D is
  // as wide as the ISA's registers allow (4·D accumulators of 8 lanes: D = 4 fills AVX-512's 32
  // registers; on AVX2 and NEON an 8-lane value takes 2 and 4 registers, so D = 2); leftover
  // directions go through narrower tiles, one row's chain never alone.
  template <int D>
  static ACTIVE_RM_INLINE void tile_4(const double* const* xs, const double* u, std::int64_t d,
                                      double* const* outs, std::int64_t j) {
    V acc[4][D];
#pragma GCC unroll 4
    for (int r = 0; r < 4; ++r)
#pragma GCC unroll 4
      for (int e = 0; e < D; ++e) acc[r][e] = L::zero();
    std::int64_t t = 0;
    for (; t + 8 <= d; t += 8) {
      V a[D];
#pragma GCC unroll 4
      for (int e = 0; e < D; ++e) a[e] = L::load(u + e * d + t);
#pragma GCC unroll 4
      for (int r = 0; r < 4; ++r) {
        const V x = L::load(xs[r] + t);
#pragma GCC unroll 4
        for (int e = 0; e < D; ++e) acc[r][e] = acc[r][e] + x * a[e];
      }
    }
    for (int r = 0; r < 4; ++r)
      for (int e = 0; e < D; ++e) outs[r][j + e] = reduce(acc[r][e], t, d, xs[r], u + e * d, false);
  }

  template <int D>
  static ACTIVE_RM_INLINE void dots_4(const double* const* xs, const double* rows, std::int64_t d,
                                      std::int64_t count, double* const* outs) {
    std::int64_t j = 0;
    for (; j + D <= count; j += D) tile_4<D>(xs, rows + j * d, d, outs, j);
    if (D > 2)
      for (; j + 2 <= count; j += 2) tile_4<2>(xs, rows + j * d, d, outs, j);
    for (; j < count; ++j) tile_4<1>(xs, rows + j * d, d, outs, j);
  }

  // Four pairs side by side: one distance alone is a chain of dependent adds (latency-bound).
  static ACTIVE_RM_INLINE void pair_distances(const double* Y, std::int64_t d,
                                              const std::int32_t* pairs, std::int64_t begin,
                                              std::int64_t end, double* q) {
    auto row = [&](std::int64_t p, int side) {
      return Y + static_cast<std::int64_t>(pairs[2 * p + side]) * d;
    };
    std::int64_t p = begin;
    for (; p + 4 <= end; p += 4) {
      const double* a[4] = {row(p, 0), row(p + 1, 0), row(p + 2, 0), row(p + 3, 0)};
      const double* b[4] = {row(p, 1), row(p + 1, 1), row(p + 2, 1), row(p + 3, 1)};
      V acc[4];
#pragma GCC unroll 4
      for (int r = 0; r < 4; ++r) acc[r] = L::zero();
      std::int64_t t = 0;
      for (; t + 8 <= d; t += 8)
#pragma GCC unroll 4
        for (int r = 0; r < 4; ++r) {
          const V diff = L::load(a[r] + t) - L::load(b[r] + t);
          acc[r] = acc[r] + diff * diff;
        }
      for (int r = 0; r < 4; ++r) q[p + r] = reduce(acc[r], t, d, a[r], b[r], true);
    }
    for (; p < end; ++p) q[p] = distance(row(p, 0), row(p, 1), d);
  }
};

// Σ_s w_s (a_s − b_s)² for four (a, b) row pairs side by side (one alone is latency-bound).
template <class L>
ACTIVE_RM_INLINE void weighted_squared_differences_4(const double* const* a, const double* const* b,
                                                     const double* w, std::int64_t count,
                                                     double* out) {
  using V = typename L::V;
  V acc[4];
#pragma GCC unroll 4
  for (int r = 0; r < 4; ++r) acc[r] = L::zero();
  std::int64_t s = 0;
  for (; s + 8 <= count; s += 8) {
    const V wv = L::load(w + s);
#pragma GCC unroll 4
    for (int r = 0; r < 4; ++r) {
      const V diff = L::load(a[r] + s) - L::load(b[r] + s);
      acc[r] = acc[r] + wv * diff * diff;
    }
  }
  for (int r = 0; r < 4; ++r) {
    double l[8];
    L::store(l, acc[r]);
    double total = ((l[0] + l[4]) + (l[2] + l[6])) + ((l[1] + l[5]) + (l[3] + l[7]));
    for (std::int64_t x = s; x < count; ++x) total += w[x] * (a[r][x] - b[r][x]) * (a[r][x] - b[r][x]);
    out[r] = total;
  }
}

// out[c] = ‖x − rows[index[c]]‖² in float32 (rows of length d), four rows side by side with x
// read once per step; a bound's estimate (the caller adds a margin), so the order is free.
ACTIVE_RM_INLINE void float_squared_distances(const float* x, const float* rows, std::int64_t d,
                                              const std::int32_t* index, std::int64_t count,
                                              float* out) {
  typedef float F __attribute__((vector_size(64)));
  typedef float FU __attribute__((vector_size(64), aligned(4)));
  auto load = [](const float* p) { return *reinterpret_cast<const FU*>(p); };
  auto total = [](F v) {
    float l[16];
    *reinterpret_cast<FU*>(l) = v;
    float h[8];
    for (int e = 0; e < 8; ++e) h[e] = l[e] + l[e + 8];
    return ((h[0] + h[4]) + (h[2] + h[6])) + ((h[1] + h[5]) + (h[3] + h[7]));
  };
  const std::int64_t body = d - d % 16;
  std::int64_t c = 0;
  for (; c < count; c += 4) {
    const float* r[4];
    for (int x4 = 0; x4 < 4; ++x4) r[x4] = rows + static_cast<std::int64_t>(index[c + x4 < count ? c + x4 : c]) * d;
    F acc[4] = {F{}, F{}, F{}, F{}};
    for (std::int64_t t = 0; t < body; t += 16) {
      const F xv = load(x + t);
#pragma GCC unroll 4
      for (int x4 = 0; x4 < 4; ++x4) {
        const F diff = xv - load(r[x4] + t);
        acc[x4] = acc[x4] + diff * diff;
      }
    }
    for (int x4 = 0; x4 < 4 && c + x4 < count; ++x4) {
      float sum = total(acc[x4]);
      for (std::int64_t t = body; t < d; ++t) sum += (x[t] - r[x4][t]) * (x[t] - r[x4][t]);
      out[c + x4] = sum;
    }
  }
}

// 8 lanes as one GCC/Clang vector value: lowered to whatever the enclosing function targets.
struct VectorLanes {
  typedef double V __attribute__((vector_size(64)));
  typedef double VU __attribute__((vector_size(64), aligned(8)));
  static ACTIVE_RM_INLINE V zero() { return V{}; }
  static ACTIVE_RM_INLINE V load(const double* p) { return *reinterpret_cast<const VU*>(p); }
  static ACTIVE_RM_INLINE void store(double* p, V v) { *reinterpret_cast<VU*>(p) = v; }
};

}  // namespace arm

// One table of entry points compiled for TARGET (a function attribute, or nothing); TILE: the
// directions of dot_products_4's register tile.
#define ACTIVE_RM_REDUCTION_KERNELS(NAME, LANES, TARGET, TILE)                                       \
  namespace {                                                                                    \
  TARGET double NAME##_distance(const double* a, const double* b, std::int64_t d) {             \
    return FixedOrder<LANES>::distance(a, b, d);                                                 \
  }                                                                                              \
  TARGET double NAME##_dot(const double* a, const double* b, std::int64_t d) {                  \
    return FixedOrder<LANES>::dot(a, b, d);                                                      \
  }                                                                                              \
  TARGET void NAME##_dots(const double* x, const double* rows, std::int64_t d,                  \
                          std::int64_t count, double* out) {                                    \
    FixedOrder<LANES>::dots_many(x, rows, d, count, out);                                        \
  }                                                                                              \
  TARGET void NAME##_dots_4(const double* const* xs, const double* rows, std::int64_t d,        \
                            std::int64_t count, double* const* outs) {                          \
    FixedOrder<LANES>::template dots_4<TILE>(xs, rows, d, count, outs);                          \
  }                                                                                              \
  TARGET void NAME##_pairs(const double* Y, std::int64_t d, const std::int32_t* pairs,          \
                           std::int64_t begin, std::int64_t end, double* q) {                   \
    FixedOrder<LANES>::pair_distances(Y, d, pairs, begin, end, q);                               \
  }                                                                                              \
  TARGET void NAME##_weighted_4(const double* const* a, const double* const* b, const double* w, \
                                std::int64_t count, double* out) {                              \
    weighted_squared_differences_4<LANES>(a, b, w, count, out);                                  \
  }                                                                                              \
  TARGET void NAME##_distances_f32(const float* x, const float* rows, std::int64_t d,            \
                                   const std::int32_t* index, std::int64_t count, float* out) { \
    float_squared_distances(x, rows, d, index, count, out);                                      \
  }                                                                                              \
  }                                                                                              \
  extern const ReductionKernels k##NAME{NAME##_distance, NAME##_dot, NAME##_dots, NAME##_dots_4, \
                                        NAME##_pairs, NAME##_weighted_4, NAME##_distances_f32};
