// The vector filters of the implicit exhaustive pool's scan (greedy_implicit.cpp), one 64-pair
// block of a row of the triangle at a time: where filed float32 bounds reach the edge, tighter
// bounds are computed for all lanes side by side, without a branch per pair. Bounds only steer
// the search: a lane they let through gets plain greedy's exact chain, so the picks do not depend
// on how tight these are, only on their being upper bounds.
#pragma once

#include <cstdint>
#include <limits>
#include <vector>

#include "linalg/isa.h"

namespace arm {

constexpr std::int64_t kBlock = 64;  // bounds whose maximum a scan checks before looking inside

// Largest non-NaN value of x[0 … count), or −∞ (NaN marks head members, picks, non-members).
inline float block_max(const float* x, std::int64_t count) {
  typedef float F __attribute__((vector_size(16)));
  typedef float FU __attribute__((vector_size(16), aligned(4)));
  const float low = -std::numeric_limits<float>::infinity();
  F h[4] = {F{low, low, low, low}, F{low, low, low, low}, F{low, low, low, low}, F{low, low, low, low}};
  std::int64_t e = 0;
  for (; e + 16 <= count; e += 16)
#pragma GCC unroll 4
    for (int v = 0; v < 4; ++v) {
      const F x4 = *reinterpret_cast<const FU*>(x + e + 4 * v);
      h[v] = x4 > h[v] ? x4 : h[v];  // a NaN compares false and is passed over
    }
  float high = low;
  for (int v = 0; v < 4; ++v)
    for (int l = 0; l < 4; ++l) high = h[v][l] > high ? h[v][l] : high;
  for (; e < count; ++e) high = x[e] > high ? x[e] : high;
  return high;
}

// The current metric's float32 rows w_j − w̄ transposed in tiles of 16 responses: entry (j, c) at
// (j / 16)·16·d + 16·c + j mod 16, n padded with zeros to a multiple of kBlock. Sixteen distances
// then accumulate lane-wise, one row element broadcast against one tile row: no horizontal sum
// per pair, which is what a row-major distance spends most of its time on at d = 128.
struct MetricTiles {
  std::int64_t d = 0;
  std::vector<float> data;
  void build(const float* rows, std::int64_t n, std::int64_t dim);
  // The tiles of the kBlock responses from jc (a multiple of kBlock).
  const float* block(std::int64_t jc) const { return data.data() + jc * d; }
};

// filter_block: one block of a row (pairs (i, j0 + c), c < count): the lanes whose filed bound
// reaches the edge are re-bounded by λ_ij·(r_i + r_j)², λ in exactly pool.lambda's operations;
// lanes still reaching the edge are returned as bits with their λ and that bound, the others are
// filed at the tighter bound, rounded up to a float.
//
// metric_filter_block: the metric bound for the lanes in `need` (those filter_block let through,
// with their λ and response bound in lambda and bound): bound[c] becomes min(bound, λ·(distance +
// m_i + m_j)), m_i the metric's rounding margin of response i; lanes that fall below the edge are
// filed there and leave the mask, which is returned. The largest bound filed goes to *fresh.
//
// block_distances_rows: out[r·64 + l] = ‖x_r − w_{jc+l}‖² in float32 for r < rows ≤ 4, l < kBlock
// (x_r metric rows, tiles = MetricTiles::block(jc)), order unspecified (a bound's estimate, whose
// margin covers any order); each tile row read from cache serves every x_r.
//
// row_distances: out[c] = ‖x − rows + index[c]·d‖² in float32 for c < count (the lanes of one row
// that a block bounds one by one), order unspecified.
//
// first_bounds: the first bound of the pairs (i, j0 + c), c < count, from their float32 distances
// in the first metric: NaN where prompt_j[c] == prompt_i (prompt_j null: every pair is a member),
// else λ_ij·(distance[c] + margin·(g_i + g_j)) rounded up to a float, λ in pool.lambda's
// operations. Returns the largest, or −∞.
struct ImplicitFilterKernels {
  std::uint64_t (*filter_block)(float* filed, std::int64_t count, double edge, float edge_up, double e_i,
                                double r_i, double s_i, const double* e_j, const double* r_j,
                                const double* s_j, double* lambda_out, double* bound_out);
  void (*block_distances_rows)(const float* const* xs, int rows, const float* tiles, std::int64_t d, float* out);
  std::uint64_t (*metric_filter_block)(float* filed, std::int64_t count, std::uint64_t need, double edge,
                                       double m_i, const double* m_j, const float* distance,
                                       const double* lambda, double* bound, double* fresh);
  void (*row_distances)(const float* x, const float* rows, std::int64_t d, const std::int32_t* index,
                        std::int64_t count, float* out);
  double (*first_bounds)(float* bound, std::int64_t count, double e_i, const double* e_j, double g_i,
                         const double* g_j, const float* distance, double margin, std::int32_t prompt_i,
                         const std::int32_t* prompt_j);
};

// The kernels of `isa` (AVX-512F or AVX2 + FMA intrinsics, the portable vector code for ref and
// NEON), or nullptr where this CPU or build cannot run them; tests compare them.
const ImplicitFilterKernels* implicit_filter_kernels(Isa isa);
// Those of active_isa().
const ImplicitFilterKernels& implicit_filters();

}  // namespace arm
