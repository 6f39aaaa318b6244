#include "design/implicit_block_filter.h"

#include <algorithm>

#include "design/greedy_directions.h"
#include "design/implicit_filter_lanes.h"
#include "linalg/isa.h"
#include "linalg/reductions.h"

namespace arm {

#if defined(ACTIVE_RM_X86) && defined(__ELF__)
#define ACTIVE_RM_CLONES_WIDE __attribute__((target_clones("avx512f", "avx2", "default")))
#else
#define ACTIVE_RM_CLONES_WIDE
#endif

namespace {

// Eight lanes as GCC/Clang vector values (U: unaligned), lowered to each clone's target.
typedef double D8 __attribute__((vector_size(64)));
typedef double D8U __attribute__((vector_size(64), aligned(8)));
typedef float F8 __attribute__((vector_size(32)));
typedef float F8U __attribute__((vector_size(32), aligned(4)));
typedef std::int32_t I8 __attribute__((vector_size(32)));
typedef std::int64_t L8 __attribute__((vector_size(64)));

// One block of a row (pairs (i, j0 + c), c < count): the lanes whose filed bound reaches the
// edge are re-bounded by λ_ij·(r_i + r_j)², in exactly the operations of pool.lambda and
// ResponseBounds::pair; lanes still reaching the edge are returned as bits with their λ and that
// bound, the others are filed at the tighter bound. Eight lanes at a time without a branch per
// pair: on flat scores most blocks are open and a branch per pair mispredicts half the time.
ACTIVE_RM_CLONES_WIDE std::uint64_t filter_block_ref(float* filed, std::int64_t count, double edge, float edge_up,
                                                 double e_i, double r_i, double s_i, const double* e_j,
                                                 const double* r_j, const double* s_j, double* lambda_out,
                                                 double* bound_out) {
  std::uint64_t need = 0;
  std::int64_t c = 0;
  const F8 edge8 = F8{} + edge_up;
  for (; c + 8 <= count; c += 8) {
    const F8 f = *reinterpret_cast<const F8U*>(filed + c);
    const I8 open = f >= edge8;  // NaN (head member, pick, non-member) compares false
    std::uint32_t any = 0;
    for (int l = 0; l < 8; ++l) any |= static_cast<std::uint32_t>(open[l] != 0) << l;
    if (any == 0) continue;
    const D8 ej = *reinterpret_cast<const D8U*>(e_j + c);
    const D8 sum = e_i + ej;
    const D8 lambda = (e_i * ej) / (sum * sum);
    const D8 radius = r_i + *reinterpret_cast<const D8U*>(r_j + c);
    const D8 pair_bound = lambda * (((radius * radius + s_i) + *reinterpret_cast<const D8U*>(s_j + c)) * (1.0 + 1e-9));
    const L8 reach = pair_bound >= (D8{} + edge);
    const D8 fd = __builtin_convertvector(f, D8);
    const D8 x = pair_bound < fd ? pair_bound : fd;  // std::min(filed, pair_bound)
    // round_up_to_float, lane-wise: x is a bound ≥ 0 or a filed float (exact, never bumped).
    const F8 xf = __builtin_convertvector(x, F8);
    const L8 bump = __builtin_convertvector(xf, D8) < x;
    const I8 bits = (I8)xf - __builtin_convertvector(bump, I8);
    const I8 tighten = open & ~__builtin_convertvector(reach, I8);
    const I8 kept = (I8)f;
    const I8 stored = tighten ? bits : kept;
    *reinterpret_cast<F8U*>(filed + c) = (F8)stored;
    for (int l = 0; l < 8; ++l) {
      if (open[l] != 0 && reach[l] != 0) {
        need |= std::uint64_t{1} << (c + l);
        lambda_out[c + l] = lambda[l];
        bound_out[c + l] = pair_bound[l];
      }
    }
  }
  for (; c < count; ++c)
    if (filter_lane::response(filed[c], edge, e_i, r_i, s_i, e_j[c], r_j[c], s_j[c], lambda_out[c], bound_out[c]))
      need |= std::uint64_t{1} << c;
  return need;
}


ACTIVE_RM_CLONES_WIDE void block_distances_ref(const float* x, const float* tiles, std::int64_t d, float* out) {
  typedef float F16 __attribute__((vector_size(64)));
  typedef float F16U __attribute__((vector_size(64), aligned(4)));
  // Loads written out, not through a lambda: a lambda is not compiled for the clone's target,
  // and returning a 64-byte vector from it changes the ABI (clang refuses it).
  const std::int64_t stride = 16 * d;  // one tile
  F16 acc[4][2] = {};
  std::int64_t c = 0;
  for (; c + 2 <= d; c += 2) {
    const F16 x0 = F16{} + x[c], x1 = F16{} + x[c + 1];
#pragma GCC unroll 4
    for (int t = 0; t < 4; ++t) {
      const float* row = tiles + t * stride + 16 * c;
      const F16 d0 = x0 - *reinterpret_cast<const F16U*>(row), d1 = x1 - *reinterpret_cast<const F16U*>(row + 16);
      acc[t][0] = acc[t][0] + d0 * d0;
      acc[t][1] = acc[t][1] + d1 * d1;
    }
  }
  if (c < d) {
    const F16 x0 = F16{} + x[c];
    for (int t = 0; t < 4; ++t) {
      const F16 d0 = x0 - *reinterpret_cast<const F16U*>(tiles + t * stride + 16 * c);
      acc[t][0] = acc[t][0] + d0 * d0;
    }
  }
  for (int t = 0; t < 4; ++t) *reinterpret_cast<F16U*>(out + 16 * t) = acc[t][0] + acc[t][1];
}

ACTIVE_RM_CLONES_WIDE std::uint64_t metric_filter_block_ref(float* filed, std::int64_t count, std::uint64_t need,
                                                        double edge, double m_i, const double* m_j,
                                                        const float* distance, const double* lambda,
                                                        double* bound, double* fresh) {
  const float low = -std::numeric_limits<float>::infinity();
  const I8 lane_bit = {1, 2, 4, 8, 16, 32, 64, 128};
  F8 fresh8 = F8{} + low;
  std::uint64_t left = need;
  std::int64_t c = 0;
  for (; c + 8 <= count; c += 8) {
    const std::int32_t bits8 = static_cast<std::int32_t>((need >> c) & 0xFF);
    if (bits8 == 0) continue;
    const I8 in = ((I8{} + bits8) & lane_bit) != 0;
    const D8 metric = *reinterpret_cast<const D8U*>(lambda + c) *
                     (__builtin_convertvector(*reinterpret_cast<const F8U*>(distance + c), D8) + (m_i + *reinterpret_cast<const D8U*>(m_j + c)));
    const D8 old = *reinterpret_cast<const D8U*>(bound + c);
    const D8 x = metric < old ? metric : old;
    const I8 reach = __builtin_convertvector(x >= (D8{} + edge), I8);
    // round_up_to_float, lane-wise (x ≥ 0).
    const F8 xf = __builtin_convertvector(x, F8);
    const L8 bump = __builtin_convertvector(xf, D8) < x;
    const I8 rounded = (I8)xf - __builtin_convertvector(bump, I8);
    const I8 tighten = in & ~reach;
    const F8 f = *reinterpret_cast<const F8U*>(filed + c);
    const I8 stored = tighten ? rounded : (I8)f;
    *reinterpret_cast<F8U*>(filed + c) = (F8)stored;
    fresh8 = tighten ? ((F8)stored > fresh8 ? (F8)stored : fresh8) : fresh8;
    *reinterpret_cast<D8U*>(bound + c) = x;
    std::uint32_t filed_bits = 0;
    for (int l = 0; l < 8; ++l) filed_bits |= static_cast<std::uint32_t>(tighten[l] & lane_bit[l]);
    left &= ~(static_cast<std::uint64_t>(filed_bits) << c);
  }
  float high = low;
  for (int l = 0; l < 8; ++l) high = fresh8[l] > high ? fresh8[l] : high;
  for (; c < count; ++c) {
    if (!((need >> c) & 1) || filter_lane::metric(filed[c], edge, m_i, m_j[c], distance[c], lambda[c], bound[c])) continue;
    high = std::max(high, filed[c]);
    left &= ~(std::uint64_t{1} << c);
  }
  *fresh = high;
  return left;
}

void block_distances_rows_ref(const float* const* xs, int rows, const float* tiles, std::int64_t d, float* out) {
  for (int r = 0; r < rows; ++r) block_distances_ref(xs[r], tiles, d, out + r * kBlock);
}

}  // namespace

void MetricTiles::build(const float* rows, std::int64_t n, std::int64_t dim) {
  d = dim;
  const std::int64_t padded = (n + kBlock - 1) / kBlock * kBlock;
  data.assign(static_cast<std::size_t>(padded * d), 0.0f);
  for (std::int64_t j = 0; j < n; ++j) {
    float* tile = data.data() + (j / 16) * 16 * d + j % 16;
    const float* row = rows + j * d;
    for (std::int64_t c = 0; c < d; ++c) tile[16 * c] = row[c];
  }
}

extern const ImplicitFilterKernels kImplicitFilterAvx512, kImplicitFilterAvx2;
const ImplicitFilterKernels kImplicitFilterRef{filter_block_ref, block_distances_rows_ref,
                                             metric_filter_block_ref,
                                             squared_distances_f32, filter_lane::first_range};

const ImplicitFilterKernels* implicit_filter_kernels(Isa isa) {
#if defined(ACTIVE_RM_X86)
  if (isa == Isa::avx512) return isa_supported(Isa::avx512) ? &kImplicitFilterAvx512 : nullptr;
  if (isa == Isa::avx2) return isa_supported(Isa::avx2) ? &kImplicitFilterAvx2 : nullptr;
#endif
  return isa == Isa::ref || isa_supported(isa) ? &kImplicitFilterRef : nullptr;
}

const ImplicitFilterKernels& implicit_filters() {
  static const ImplicitFilterKernels* active = implicit_filter_kernels(active_isa());
  return *active;
}

}  // namespace arm
