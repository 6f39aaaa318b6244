// The implicit pool's block filters (design/implicit_block_filter.h) with AVX2 + FMA intrinsics,
// for the x86-64 CPUs without AVX-512: four doubles a vector, compares turned into bit masks by
// movemask, the round-up to a float as round-to-nearest plus one ulp where it fell below, FMA in
// the float32 distances (a bound's estimate: FMA only shrinks the rounding the margin covers).
// λ and the bounds are computed in the portable version's operations: the same bits (tested).
#include "design/implicit_block_filter.h"

#include <algorithm>

#include "design/implicit_filter_lanes.h"
#include "linalg/isa.h"

#if defined(ACTIVE_RM_X86)
#include <immintrin.h>

namespace arm {

namespace {

#define TARGET __attribute__((target("avx2,fma")))

// The smallest floats ≥ x (x ≥ 0), four lanes: round to nearest, then one ulp up where that fell
// below (the integer bits of a non-negative float grow with it).
TARGET inline __m128 round_up_4(__m256d x) {
  const __m128 nearest = _mm256_cvtpd_ps(x);
  const __m256d back = _mm256_cvtps_pd(nearest);
  const __m128i below = _mm256_castsi256_si128(_mm256_permutevar8x32_epi32(
      _mm256_castpd_si256(_mm256_cmp_pd(back, x, _CMP_LT_OQ)), _mm256_setr_epi32(0, 2, 4, 6, 0, 0, 0, 0)));
  return _mm_castsi128_ps(_mm_sub_epi32(_mm_castps_si128(nearest), below));  // below = −1 where bumped
}

// A 4-lane double compare mask as a 4-lane float select mask.
TARGET inline __m128 narrow_mask(__m256d mask) {
  return _mm_castsi128_ps(_mm256_castsi256_si128(_mm256_permutevar8x32_epi32(
      _mm256_castpd_si256(mask), _mm256_setr_epi32(0, 2, 4, 6, 0, 0, 0, 0))));
}

TARGET std::uint64_t filter_block_avx2(float* filed, std::int64_t count, double edge, float edge_up,
                                       double e_i, double r_i, double s_i, const double* e_j,
                                       const double* r_j, const double* s_j, double* lambda_out,
                                       double* bound_out) {
  const __m256d vedge = _mm256_set1_pd(edge), vedge_up = _mm256_set1_pd(static_cast<double>(edge_up));
  const __m256d vei = _mm256_set1_pd(e_i), vri = _mm256_set1_pd(r_i), vsi = _mm256_set1_pd(s_i);
  const __m256d widen = _mm256_set1_pd(1.0 + 1e-9);
  std::uint64_t need = 0;
  std::int64_t c = 0;
  for (; c + 4 <= count; c += 4) {
    const __m128 f = _mm_loadu_ps(filed + c);
    const __m256d fd = _mm256_cvtps_pd(f);
    const __m256d open = _mm256_cmp_pd(fd, vedge_up, _CMP_GE_OQ);  // NaN: not open
    const int open_bits = _mm256_movemask_pd(open);
    if (open_bits == 0) continue;
    const __m256d ej = _mm256_loadu_pd(e_j + c);
    const __m256d sum = _mm256_add_pd(vei, ej);
    const __m256d lambda = _mm256_div_pd(_mm256_mul_pd(vei, ej), _mm256_mul_pd(sum, sum));
    const __m256d radius = _mm256_add_pd(vri, _mm256_loadu_pd(r_j + c));
    const __m256d inner = _mm256_add_pd(_mm256_add_pd(_mm256_mul_pd(radius, radius), vsi), _mm256_loadu_pd(s_j + c));
    const __m256d pair_bound = _mm256_mul_pd(lambda, _mm256_mul_pd(inner, widen));
    const __m256d reach = _mm256_and_pd(open, _mm256_cmp_pd(pair_bound, vedge, _CMP_GE_OQ));
    const int reach_bits = _mm256_movemask_pd(reach);
    if (open_bits != reach_bits) {
      const __m256d tighten = _mm256_andnot_pd(reach, open);
      const __m128 rounded = round_up_4(_mm256_min_pd(pair_bound, fd));
      _mm_storeu_ps(filed + c, _mm_blendv_ps(f, rounded, narrow_mask(tighten)));
    }
    if (reach_bits != 0) {
      _mm256_storeu_pd(lambda_out + c, lambda);
      _mm256_storeu_pd(bound_out + c, pair_bound);
      need |= static_cast<std::uint64_t>(reach_bits) << c;
    }
  }
  for (; c < count; ++c)
    if (filter_lane::response(filed[c], edge, e_i, r_i, s_i, e_j[c], r_j[c], s_j[c], lambda_out[c], bound_out[c]))
      need |= std::uint64_t{1} << c;
  return need;
}

TARGET void block_distances_avx2(const float* x, const float* tiles, std::int64_t d, float* out) {
  const std::int64_t stride = 16 * d;  // one tile of 16 responses: two vectors of 8
  __m256 acc[8];
  for (int v = 0; v < 8; ++v) acc[v] = _mm256_setzero_ps();
  for (std::int64_t c = 0; c < d; ++c) {
    const __m256 xc = _mm256_set1_ps(x[c]);
#pragma GCC unroll 8
    for (int v = 0; v < 8; ++v) {
      const __m256 diff = _mm256_sub_ps(xc, _mm256_loadu_ps(tiles + (v / 2) * stride + 16 * c + 8 * (v % 2)));
      acc[v] = _mm256_fmadd_ps(diff, diff, acc[v]);
    }
  }
  for (int v = 0; v < 8; ++v) _mm256_storeu_ps(out + 8 * v, acc[v]);
}

void block_distances_rows_avx2(const float* const* xs, int rows, const float* tiles, std::int64_t d, float* out) {
  for (int r = 0; r < rows; ++r) block_distances_avx2(xs[r], tiles, d, out + r * kBlock);
}

TARGET std::uint64_t metric_filter_block_avx2(float* filed, std::int64_t count, std::uint64_t need,
                                              double edge, double m_i, const double* m_j,
                                              const float* distance, const double* lambda,
                                              double* bound, double* fresh) {
  const __m256d vedge = _mm256_set1_pd(edge), vmi = _mm256_set1_pd(m_i);
  const __m256i lane_bit = _mm256_setr_epi64x(1, 2, 4, 8);
  __m256d high = _mm256_set1_pd(-std::numeric_limits<double>::infinity());
  std::uint64_t left = need;
  std::int64_t c = 0;
  for (; c + 4 <= count; c += 4) {
    const std::int64_t bits4 = static_cast<std::int64_t>((need >> c) & 0xF);
    if (bits4 == 0) continue;
    const __m256d in = _mm256_castsi256_pd(_mm256_cmpeq_epi64(_mm256_and_si256(_mm256_set1_epi64x(bits4), lane_bit), lane_bit));
    const __m256d dist = _mm256_cvtps_pd(_mm_loadu_ps(distance + c));
    const __m256d metric = _mm256_mul_pd(_mm256_loadu_pd(lambda + c), _mm256_add_pd(dist, _mm256_add_pd(vmi, _mm256_loadu_pd(m_j + c))));
    const __m256d x = _mm256_min_pd(metric, _mm256_loadu_pd(bound + c));
    _mm256_storeu_pd(bound + c, x);
    const __m256d tighten = _mm256_and_pd(in, _mm256_cmp_pd(x, vedge, _CMP_LT_OQ));
    const int tighten_bits = _mm256_movemask_pd(tighten);
    if (tighten_bits == 0) continue;
    const __m128 f = _mm_loadu_ps(filed + c);
    const __m128 stored = _mm_blendv_ps(f, round_up_4(x), narrow_mask(tighten));
    _mm_storeu_ps(filed + c, stored);
    high = _mm256_blendv_pd(high, _mm256_max_pd(high, _mm256_cvtps_pd(stored)), tighten);
    left &= ~(static_cast<std::uint64_t>(tighten_bits) << c);
  }
  double lanes[4];
  _mm256_storeu_pd(lanes, high);
  double top = std::max(std::max(lanes[0], lanes[1]), std::max(lanes[2], lanes[3]));
  for (; c < count; ++c) {
    if (!((need >> c) & 1) || filter_lane::metric(filed[c], edge, m_i, m_j[c], distance[c], lambda[c], bound[c])) continue;
    top = std::max(top, static_cast<double>(filed[c]));
    left &= ~(std::uint64_t{1} << c);
  }
  *fresh = top;
  return left;
}

TARGET inline float horizontal_sum(__m256 v) {
  const __m128 half = _mm_add_ps(_mm256_castps256_ps128(v), _mm256_extractf128_ps(v, 1));
  const __m128 pair = _mm_add_ps(half, _mm_movehl_ps(half, half));
  return _mm_cvtss_f32(_mm_add_ss(pair, _mm_shuffle_ps(pair, pair, 1)));
}

TARGET void row_distances_avx2(const float* x, const float* rows, std::int64_t d, const std::int32_t* index,
                               std::int64_t count, float* out) {
  const std::int64_t body = d - d % 8;
  for (std::int64_t c = 0; c < count; c += 4) {
    const float* r[4];
    for (int x4 = 0; x4 < 4; ++x4) r[x4] = rows + static_cast<std::int64_t>(index[c + x4 < count ? c + x4 : c]) * d;
    __m256 acc[4] = {_mm256_setzero_ps(), _mm256_setzero_ps(), _mm256_setzero_ps(), _mm256_setzero_ps()};
    for (std::int64_t t = 0; t < body; t += 8) {
      const __m256 xv = _mm256_loadu_ps(x + t);
#pragma GCC unroll 4
      for (int x4 = 0; x4 < 4; ++x4) {
        const __m256 diff = _mm256_sub_ps(xv, _mm256_loadu_ps(r[x4] + t));
        acc[x4] = _mm256_fmadd_ps(diff, diff, acc[x4]);
      }
    }
    for (int x4 = 0; x4 < 4 && c + x4 < count; ++x4) {
      float sum = horizontal_sum(acc[x4]);
      for (std::int64_t t = body; t < d; ++t) sum += (x[t] - r[x4][t]) * (x[t] - r[x4][t]);
      out[c + x4] = sum;
    }
  }
}

TARGET double first_bounds_avx2(float* bound, std::int64_t count, double e_i, const double* e_j, double g_i,
                                const double* g_j, const float* distance, double margin, std::int32_t prompt_i,
                                const std::int32_t* prompt_j) {
  const __m256d vei = _mm256_set1_pd(e_i), vgi = _mm256_set1_pd(g_i), vmargin = _mm256_set1_pd(margin);
  const __m128i vprompt = _mm_set1_epi32(prompt_i);
  const __m128 nan = _mm_set1_ps(std::numeric_limits<float>::quiet_NaN());
  __m256d high = _mm256_set1_pd(-std::numeric_limits<double>::infinity());
  std::int64_t c = 0;
  for (; c + 4 <= count; c += 4) {
    // Members: a 32-bit lane mask (all ones where prompt_j ≠ prompt_i), and the same widened.
    __m128 member = _mm_castsi128_ps(_mm_set1_epi32(-1));
    if (prompt_j)
      member = _mm_castsi128_ps(_mm_xor_si128(_mm_cmpeq_epi32(_mm_loadu_si128(reinterpret_cast<const __m128i*>(prompt_j + c)), vprompt),
                                              _mm_set1_epi32(-1)));
    const __m256d sum = _mm256_add_pd(vgi, _mm256_loadu_pd(g_j + c));
    const __m256d q = _mm256_add_pd(_mm256_cvtps_pd(_mm_loadu_ps(distance + c)), _mm256_mul_pd(vmargin, sum));
    const __m256d ej = _mm256_loadu_pd(e_j + c);
    const __m256d s = _mm256_add_pd(vei, ej);
    const __m256d lambda = _mm256_div_pd(_mm256_mul_pd(vei, ej), _mm256_mul_pd(s, s));
    const __m256d x = _mm256_mul_pd(lambda, q);
    // round_up_4 assumes x ≥ 0: true up to the margin; a negative x takes the scalar rounding.
    __m128 rounded;
    if (_mm256_movemask_pd(_mm256_cmp_pd(x, _mm256_setzero_pd(), _CMP_LT_OQ)) == 0) {
      rounded = round_up_4(x);
    } else {
      double xs[4];
      _mm256_storeu_pd(xs, x);
      rounded = _mm_setr_ps(round_up_to_float(xs[0]), round_up_to_float(xs[1]), round_up_to_float(xs[2]), round_up_to_float(xs[3]));
    }
    const __m128 stored = _mm_blendv_ps(nan, rounded, member);
    _mm_storeu_ps(bound + c, stored);
    const __m256d member_d = _mm256_castsi256_pd(_mm256_cvtepi32_epi64(_mm_castps_si128(member)));
    high = _mm256_blendv_pd(high, _mm256_max_pd(high, _mm256_cvtps_pd(stored)), member_d);
  }
  double lanes[4];
  _mm256_storeu_pd(lanes, high);
  double top = std::max(std::max(lanes[0], lanes[1]), std::max(lanes[2], lanes[3]));
  return std::max(top, filter_lane::first_range(bound + c, count - c, e_i, e_j + c, g_i, g_j + c, distance + c, margin,
                                                 prompt_i, prompt_j ? prompt_j + c : nullptr));
}

#undef TARGET

}  // namespace

extern const ImplicitFilterKernels kImplicitFilterAvx2{filter_block_avx2, block_distances_rows_avx2,
                                                       metric_filter_block_avx2, row_distances_avx2,
                                                       first_bounds_avx2};

}  // namespace arm
#endif
