// The implicit pool's block filters (design/implicit_block_filter.h) with AVX-512F intrinsics:
// compares give bit masks directly (the portable vector code spends a third of its time turning
// lane masks into bits), a double converts to the next float up in one instruction, and the
// distances use fused multiply-adds (a bound's estimate: FMA only shrinks the rounding the
// margin covers). filter_block and metric_filter_block compute λ and the bounds in the portable
// version's operations, so both give the same bits (tested).
#include "design/implicit_block_filter.h"

#include <algorithm>

#include "design/implicit_filter_lanes.h"
#include "linalg/isa.h"

#if defined(ACTIVE_RM_X86)
#include <immintrin.h>

// GCC 12 reports _mm512_undefined_pd() inside its own intrinsics as uninitialized (a false positive).
#pragma GCC diagnostic ignored "-Wuninitialized"
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"

namespace arm {

namespace {

#define TARGET __attribute__((target("avx512f")))

TARGET std::uint64_t filter_block_avx512(float* filed, std::int64_t count, double edge, float edge_up,
                                         double e_i, double r_i, double s_i, const double* e_j,
                                         const double* r_j, const double* s_j, double* lambda_out,
                                         double* bound_out) {
  const __m512d vedge = _mm512_set1_pd(edge), vedge_up = _mm512_set1_pd(static_cast<double>(edge_up));
  const __m512d vei = _mm512_set1_pd(e_i), vri = _mm512_set1_pd(r_i), vsi = _mm512_set1_pd(s_i);
  const __m512d widen = _mm512_set1_pd(1.0 + 1e-9);
  std::uint64_t need = 0;
  std::int64_t c = 0;
  for (; c + 8 <= count; c += 8) {
    const __m256 f = _mm256_loadu_ps(filed + c);
    const __m512d fd = _mm512_cvtps_pd(f);
    const __mmask8 open = _mm512_cmp_pd_mask(fd, vedge_up, _CMP_GE_OQ);  // NaN: not open
    if (open == 0) continue;
    const __m512d ej = _mm512_loadu_pd(e_j + c);
    const __m512d sum = _mm512_add_pd(vei, ej);
    const __m512d lambda = _mm512_div_pd(_mm512_mul_pd(vei, ej), _mm512_mul_pd(sum, sum));
    const __m512d radius = _mm512_add_pd(vri, _mm512_loadu_pd(r_j + c));
    const __m512d inner = _mm512_add_pd(_mm512_add_pd(_mm512_mul_pd(radius, radius), vsi), _mm512_loadu_pd(s_j + c));
    const __m512d pair_bound = _mm512_mul_pd(lambda, _mm512_mul_pd(inner, widen));
    const __mmask8 reach = _mm512_mask_cmp_pd_mask(open, pair_bound, vedge, _CMP_GE_OQ);
    const __mmask8 tighten = open & static_cast<__mmask8>(~reach);
    if (tighten != 0) {
      // min(filed, bound) rounded to the next float up; lanes not tightened keep their float.
      const __m512d x = _mm512_min_pd(pair_bound, fd);
      const __m256 stored = _mm512_mask_cvt_roundpd_ps(f, tighten, x, _MM_FROUND_TO_POS_INF | _MM_FROUND_NO_EXC);
      _mm256_storeu_ps(filed + c, stored);
    }
    if (reach != 0) {
      _mm512_storeu_pd(lambda_out + c, lambda);
      _mm512_storeu_pd(bound_out + c, pair_bound);
      need |= static_cast<std::uint64_t>(reach) << c;
    }
  }
  for (; c < count; ++c)
    if (filter_lane::response(filed[c], edge, e_i, r_i, s_i, e_j[c], r_j[c], s_j[c], lambda_out[c], bound_out[c]))
      need |= std::uint64_t{1} << c;
  return need;
}

TARGET void block_distances_avx512(const float* x, const float* tiles, std::int64_t d, float* out) {
  const std::int64_t stride = 16 * d;  // one tile
  __m512 acc[4][2];
  for (int t = 0; t < 4; ++t) acc[t][0] = acc[t][1] = _mm512_setzero_ps();
  std::int64_t c = 0;
  for (; c + 2 <= d; c += 2) {
    const __m512 x0 = _mm512_set1_ps(x[c]), x1 = _mm512_set1_ps(x[c + 1]);
#pragma GCC unroll 4
    for (int t = 0; t < 4; ++t) {
      const float* row = tiles + t * stride + 16 * c;
      const __m512 d0 = _mm512_sub_ps(x0, _mm512_loadu_ps(row));
      const __m512 d1 = _mm512_sub_ps(x1, _mm512_loadu_ps(row + 16));
      acc[t][0] = _mm512_fmadd_ps(d0, d0, acc[t][0]);
      acc[t][1] = _mm512_fmadd_ps(d1, d1, acc[t][1]);
    }
  }
  if (c < d) {
    const __m512 x0 = _mm512_set1_ps(x[c]);
    for (int t = 0; t < 4; ++t) {
      const __m512 d0 = _mm512_sub_ps(x0, _mm512_loadu_ps(tiles + t * stride + 16 * c));
      acc[t][0] = _mm512_fmadd_ps(d0, d0, acc[t][0]);
    }
  }
  for (int t = 0; t < 4; ++t) _mm512_storeu_ps(out + 16 * t, _mm512_add_ps(acc[t][0], acc[t][1]));
}

// R rows against the same four tiles: a tile row loaded once serves R rows (4R accumulators).
template <int R>
TARGET void block_distances_r_avx512(const float* const* xs, const float* tiles, std::int64_t d, float* out) {
  const std::int64_t stride = 16 * d;
  __m512 acc[R][4];
  for (int r = 0; r < R; ++r)
    for (int t = 0; t < 4; ++t) acc[r][t] = _mm512_setzero_ps();
  for (std::int64_t c = 0; c < d; ++c) {
    __m512 tile[4];
#pragma GCC unroll 4
    for (int t = 0; t < 4; ++t) tile[t] = _mm512_loadu_ps(tiles + t * stride + 16 * c);
#pragma GCC unroll 4
    for (int r = 0; r < R; ++r) {
      const __m512 x = _mm512_set1_ps(xs[r][c]);
#pragma GCC unroll 4
      for (int t = 0; t < 4; ++t) {
        const __m512 diff = _mm512_sub_ps(x, tile[t]);
        acc[r][t] = _mm512_fmadd_ps(diff, diff, acc[r][t]);
      }
    }
  }
  for (int r = 0; r < R; ++r)
    for (int t = 0; t < 4; ++t) _mm512_storeu_ps(out + r * kBlock + 16 * t, acc[r][t]);
}

TARGET void block_distances_rows_avx512(const float* const* xs, int rows, const float* tiles, std::int64_t d, float* out) {
  switch (rows) {
    case 4: block_distances_r_avx512<4>(xs, tiles, d, out); break;
    case 3: block_distances_r_avx512<3>(xs, tiles, d, out); break;
    case 2: block_distances_r_avx512<2>(xs, tiles, d, out); break;
    default: block_distances_avx512(xs[0], tiles, d, out); break;
  }
}

TARGET std::uint64_t metric_filter_block_avx512(float* filed, std::int64_t count, std::uint64_t need,
                                                double edge, double m_i, const double* m_j,
                                                const float* distance, const double* lambda,
                                                double* bound, double* fresh) {
  const __m512d vedge = _mm512_set1_pd(edge), vmi = _mm512_set1_pd(m_i);
  __m512d high = _mm512_set1_pd(-std::numeric_limits<double>::infinity());
  std::uint64_t left = need;
  std::int64_t c = 0;
  for (; c + 8 <= count; c += 8) {
    const __mmask8 in = static_cast<__mmask8>((need >> c) & 0xFF);
    if (in == 0) continue;
    const __m512d dist = _mm512_cvtps_pd(_mm256_loadu_ps(distance + c));
    const __m512d metric = _mm512_mul_pd(_mm512_loadu_pd(lambda + c), _mm512_add_pd(dist, _mm512_add_pd(vmi, _mm512_loadu_pd(m_j + c))));
    const __m512d x = _mm512_min_pd(metric, _mm512_loadu_pd(bound + c));
    _mm512_storeu_pd(bound + c, x);
    const __mmask8 tighten = _mm512_mask_cmp_pd_mask(in, x, vedge, _CMP_LT_OQ);
    if (tighten == 0) continue;
    const __m256 f = _mm256_loadu_ps(filed + c);
    const __m256 stored = _mm512_mask_cvt_roundpd_ps(f, tighten, x, _MM_FROUND_TO_POS_INF | _MM_FROUND_NO_EXC);
    _mm256_storeu_ps(filed + c, stored);
    high = _mm512_mask_max_pd(high, tighten, high, _mm512_cvtps_pd(stored));
    left &= ~(static_cast<std::uint64_t>(tighten) << c);
  }
  double lanes[8];
  _mm512_storeu_pd(lanes, high);
  double top = lanes[0];
  for (int l = 1; l < 8; ++l) top = std::max(top, lanes[l]);
  for (; c < count; ++c) {
    if (!((need >> c) & 1) || filter_lane::metric(filed[c], edge, m_i, m_j[c], distance[c], lambda[c], bound[c])) continue;
    top = std::max(top, static_cast<double>(filed[c]));
    left &= ~(std::uint64_t{1} << c);
  }
  *fresh = top;
  return left;
}

// Four rows side by side with x read once per step; the sum of lanes once per row.
TARGET void row_distances_avx512(const float* x, const float* rows, std::int64_t d, const std::int32_t* index,
                                 std::int64_t count, float* out) {
  const std::int64_t body = d - d % 16;
  for (std::int64_t c = 0; c < count; c += 4) {
    const float* r[4];
    for (int x4 = 0; x4 < 4; ++x4) r[x4] = rows + static_cast<std::int64_t>(index[c + x4 < count ? c + x4 : c]) * d;
    __m512 acc[4] = {_mm512_setzero_ps(), _mm512_setzero_ps(), _mm512_setzero_ps(), _mm512_setzero_ps()};
    for (std::int64_t t = 0; t < body; t += 16) {
      const __m512 xv = _mm512_loadu_ps(x + t);
#pragma GCC unroll 4
      for (int x4 = 0; x4 < 4; ++x4) {
        const __m512 diff = _mm512_sub_ps(xv, _mm512_loadu_ps(r[x4] + t));
        acc[x4] = _mm512_fmadd_ps(diff, diff, acc[x4]);
      }
    }
    for (int x4 = 0; x4 < 4 && c + x4 < count; ++x4) {
      float sum = _mm512_reduce_add_ps(acc[x4]);
      for (std::int64_t t = body; t < d; ++t) sum += (x[t] - r[x4][t]) * (x[t] - r[x4][t]);
      out[c + x4] = sum;
    }
  }
}

TARGET double first_bounds_avx512(float* bound, std::int64_t count, double e_i, const double* e_j, double g_i,
                                  const double* g_j, const float* distance, double margin, std::int32_t prompt_i,
                                  const std::int32_t* prompt_j) {
  const __m512d vei = _mm512_set1_pd(e_i), vgi = _mm512_set1_pd(g_i), vmargin = _mm512_set1_pd(margin);
  const __m512i vprompt = _mm512_set1_epi64(prompt_i);
  const __m256 nan = _mm256_set1_ps(std::numeric_limits<float>::quiet_NaN());
  __m512d high = _mm512_set1_pd(-std::numeric_limits<double>::infinity());
  std::int64_t c = 0;
  for (; c + 8 <= count; c += 8) {
    const __mmask8 member = prompt_j ? _mm512_cmpneq_epi64_mask(_mm512_cvtepi32_epi64(_mm256_loadu_si256(reinterpret_cast<const __m256i*>(prompt_j + c))), vprompt)
                                     : static_cast<__mmask8>(0xFF);
    const __m512d sum = _mm512_add_pd(vgi, _mm512_loadu_pd(g_j + c));
    const __m512d q = _mm512_add_pd(_mm512_cvtps_pd(_mm256_loadu_ps(distance + c)), _mm512_mul_pd(vmargin, sum));
    const __m512d ej = _mm512_loadu_pd(e_j + c);
    const __m512d s = _mm512_add_pd(vei, ej);
    const __m512d lambda = _mm512_div_pd(_mm512_mul_pd(vei, ej), _mm512_mul_pd(s, s));
    const __m256 stored = _mm512_mask_cvt_roundpd_ps(nan, member, _mm512_mul_pd(lambda, q), _MM_FROUND_TO_POS_INF | _MM_FROUND_NO_EXC);
    _mm256_storeu_ps(bound + c, stored);
    high = _mm512_mask_max_pd(high, member, high, _mm512_cvtps_pd(stored));
  }
  double lanes[8];
  _mm512_storeu_pd(lanes, high);
  double top = lanes[0];
  for (int l = 1; l < 8; ++l) top = std::max(top, lanes[l]);
  return std::max(top, filter_lane::first_range(bound + c, count - c, e_i, e_j + c, g_i, g_j + c, distance + c, margin,
                                                 prompt_i, prompt_j ? prompt_j + c : nullptr));
}

#undef TARGET

}  // namespace

extern const ImplicitFilterKernels kImplicitFilterAvx512{filter_block_avx512, block_distances_rows_avx512,
                                                         metric_filter_block_avx512, row_distances_avx512,
                                                         first_bounds_avx512};

}  // namespace arm
#endif
