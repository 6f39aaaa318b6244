#include "gemm/gemm.h"

#include <algorithm>
#include <cstring>
#include <vector>

#include <immintrin.h>

#include "linalg/simd.h"
#include "linalg/thread_pool.h"

namespace arm {

namespace {

constexpr std::int64_t kKc = 256;  // depth of one packed block: A and B micro-panels stay in L1/L2

// One microkernel shape per instruction set: MR rows × (NV vectors of V) columns of accumulators,
// sized to the register file (AVX-512: 6×4 zmm; AVX2: 6×2 ymm; SSE2: 4×2 xmm).
template <class V, int MR_, int NV_>
struct Shape {
  using Vec = V;
  static constexpr int MR = MR_;
  static constexpr int NV = NV_;
  static constexpr int LANES = sizeof(V) / sizeof(double);
  static constexpr int NR = NV * LANES;
};

using Avx512Shape = Shape<v8d, 6, 4>;
using Avx2Shape = Shape<v4d, 6, 2>;
using GenericShape = Shape<v2d, 4, 2>;

// Ap: kc×MR (row index fastest), Bp: kc×NR. Writes alpha·Ap·Bp into the mr×nr corner of C.
template <class S>
inline __attribute__((always_inline)) void microkernel_body(std::int64_t kc, const double* Ap,
                                                            const double* Bp, double* C,
                                                            std::int64_t ldc, int mr, int nr,
                                                            double alpha, bool overwrite) {
  using V = typename S::Vec;
  typedef double VU __attribute__((vector_size(sizeof(V)), aligned(8)));
  V acc[S::MR][S::NV];
#pragma GCC unroll 8
  for (int r = 0; r < S::MR; ++r)
#pragma GCC unroll 8
    for (int v = 0; v < S::NV; ++v) acc[r][v] = V{} * 0.0;
  for (std::int64_t k = 0; k < kc; ++k) {
    V b[S::NV];
#pragma GCC unroll 8
    for (int v = 0; v < S::NV; ++v) b[v] = *reinterpret_cast<const VU*>(Bp + k * S::NR + v * S::LANES);
#pragma GCC unroll 8
    for (int r = 0; r < S::MR; ++r) {
      const V a = V{} + Ap[k * S::MR + r];
#pragma GCC unroll 8
      for (int v = 0; v < S::NV; ++v) acc[r][v] += a * b[v];
    }
  }
  if (mr == S::MR && nr == S::NR) {
#pragma GCC unroll 8
    for (int r = 0; r < S::MR; ++r)
#pragma GCC unroll 8
      for (int v = 0; v < S::NV; ++v) {
        VU* out = reinterpret_cast<VU*>(C + r * ldc + v * S::LANES);
        *out = overwrite ? alpha * acc[r][v] : *out + alpha * acc[r][v];
      }
    return;
  }
  double tile[S::MR][S::NR];
  for (int r = 0; r < S::MR; ++r)
    for (int v = 0; v < S::NV; ++v) std::memcpy(&tile[r][v * S::LANES], &acc[r][v], sizeof(V));
  for (int r = 0; r < mr; ++r)
    for (int c = 0; c < nr; ++c)
      C[r * ldc + c] = overwrite ? alpha * tile[r][c] : C[r * ldc + c] + alpha * tile[r][c];
}

using MicrokernelFn = void (*)(std::int64_t, const double*, const double*, double*, std::int64_t,
                               int, int, double, bool);

// AVX-512 gets its own body with intrinsics: `_mm512_set1_pd` from memory is a load-port
// broadcast, while GCC lowers the template's scalar-to-vector splat to a load plus a port-5
// shuffle per row, competing with the FMAs (52 → 84 GFLOP/s per core with the panels in L1, the
// machine's FMA peak). Same fused multiply-adds in the same order: results are unchanged.
__attribute__((target("avx512f,fma"))) void microkernel_avx512(std::int64_t kc, const double* Ap,
                                                                const double* Bp, double* C,
                                                                std::int64_t ldc, int mr, int nr,
                                                                double alpha, bool overwrite) {
  constexpr int MR = Avx512Shape::MR, NV = Avx512Shape::NV, NR = Avx512Shape::NR;
  __m512d acc[MR][NV];
#pragma GCC unroll 16
  for (int r = 0; r < MR; ++r)
#pragma GCC unroll 4
    for (int v = 0; v < NV; ++v) acc[r][v] = _mm512_setzero_pd();
  for (std::int64_t k = 0; k < kc; ++k) {
    const double* b = Bp + k * NR;
    __m512d bv[NV];
#pragma GCC unroll 4
    for (int v = 0; v < NV; ++v) bv[v] = _mm512_loadu_pd(b + 8 * v);
#pragma GCC unroll 16
    for (int r = 0; r < MR; ++r) {
      const __m512d a = _mm512_set1_pd(Ap[k * MR + r]);
#pragma GCC unroll 4
      for (int v = 0; v < NV; ++v) acc[r][v] = _mm512_fmadd_pd(a, bv[v], acc[r][v]);
    }
  }
  const __m512d va = _mm512_set1_pd(alpha);
  if (mr == MR && nr == NR) {
#pragma GCC unroll 16
    for (int r = 0; r < MR; ++r)
#pragma GCC unroll 4
      for (int v = 0; v < NV; ++v) {
        double* out = C + r * ldc + v * 8;
        const __m512d x = _mm512_mul_pd(va, acc[r][v]);
        _mm512_storeu_pd(out, overwrite ? x : _mm512_add_pd(_mm512_loadu_pd(out), x));
      }
    return;
  }
  alignas(64) double tile[MR][NR];
  for (int r = 0; r < MR; ++r)
    for (int v = 0; v < NV; ++v) _mm512_store_pd(&tile[r][v * 8], acc[r][v]);
  for (int r = 0; r < mr; ++r)
    for (int c = 0; c < nr; ++c)
      C[r * ldc + c] = overwrite ? alpha * tile[r][c] : C[r * ldc + c] + alpha * tile[r][c];
}

__attribute__((target("avx2,fma"))) void microkernel_avx2(std::int64_t kc, const double* Ap,
                                                           const double* Bp, double* C,
                                                           std::int64_t ldc, int mr, int nr,
                                                           double alpha, bool overwrite) {
  microkernel_body<Avx2Shape>(kc, Ap, Bp, C, ldc, mr, nr, alpha, overwrite);
}
void microkernel_generic(std::int64_t kc, const double* Ap, const double* Bp, double* C,
                         std::int64_t ldc, int mr, int nr, double alpha, bool overwrite) {
  microkernel_body<GenericShape>(kc, Ap, Bp, C, ldc, mr, nr, alpha, overwrite);
}

template <class S, class T>
void gemm_shaped(MicrokernelFn kernel, std::int64_t M, std::int64_t N, std::int64_t K,
                 const StridedMatrix<T>& A, const StridedMatrix<double>& B, double* C,
                 std::int64_t ldc, const GemmOptions& opt) {
  constexpr int MR = S::MR, NR = S::NR;
  if (M <= 0 || N <= 0) return;
  if (K <= 0) {
    if (!opt.accumulate)
      for (std::int64_t i = 0; i < M; ++i) std::fill(C + i * ldc, C + i * ldc + N, 0.0);
    return;
  }
  const std::int64_t panelsN = (N + NR - 1) / NR;
  // Row blocks small enough that every thread gets several, large enough to amortize packing.
  const std::int64_t threads = worker_count();
  std::int64_t mc = (M + 4 * threads - 1) / (4 * threads);
  mc = std::max<std::int64_t>(MR, std::min<std::int64_t>(192, (mc + MR - 1) / MR * MR));
  const std::int64_t blocksM = (M + mc - 1) / mc;
  std::vector<double> Bp(static_cast<std::size_t>(kKc * panelsN * NR));

  for (std::int64_t pc = 0; pc < K; pc += kKc) {
    const std::int64_t kc = std::min(kKc, K - pc);
    for (std::int64_t jp = 0; jp < panelsN; ++jp) {
      double* dst = Bp.data() + jp * kKc * NR;
      for (std::int64_t k = 0; k < kc; ++k)
        for (int c = 0; c < NR; ++c) {
          const std::int64_t j = jp * NR + c;
          dst[k * NR + c] = j < N ? B.at(pc + k, j) : 0.0;
        }
    }
    const bool overwrite = pc == 0 && !opt.accumulate;
    parallel_for(static_cast<std::size_t>(blocksM), [&](std::size_t block) {
      const std::int64_t i0 = static_cast<std::int64_t>(block) * mc;
      const std::int64_t mrows = std::min(mc, M - i0);
      const std::int64_t panelsM = (mrows + MR - 1) / MR;
      std::vector<double> Ap(static_cast<std::size_t>(panelsM * kc * MR));
      for (std::int64_t ip = 0; ip < panelsM; ++ip) {
        double* dst = Ap.data() + ip * kc * MR;
        // Row by row: contiguous reads (and float → double conversion) of A's rows when unstrided.
        for (int r = 0; r < MR; ++r) {
          const std::int64_t i = i0 + ip * MR + r;
          if (i >= M) {
            for (std::int64_t k = 0; k < kc; ++k) dst[k * MR + r] = 0.0;
          } else if (!A.col_index && A.col_stride == 1) {
            const T* src = A.data + i * A.row_stride + pc;
            for (std::int64_t k = 0; k < kc; ++k) dst[k * MR + r] = static_cast<double>(src[k]);
          } else {
            for (std::int64_t k = 0; k < kc; ++k) dst[k * MR + r] = static_cast<double>(A.at(i, pc + k));
          }
        }
      }
      for (std::int64_t jp = 0; jp < panelsN; ++jp) {
        std::int64_t kc_used = kc;
        if (opt.b_upper) kc_used = std::max<std::int64_t>(0, std::min(kc, jp * NR + NR - pc));
        const int nr = static_cast<int>(std::min<std::int64_t>(NR, N - jp * NR));
        for (std::int64_t ip = 0; ip < panelsM; ++ip) {
          const int mr = static_cast<int>(std::min<std::int64_t>(MR, mrows - ip * MR));
          double* c = C + (i0 + ip * MR) * ldc + jp * NR;
          if (kc_used == 0) {
            if (overwrite)
              for (int r = 0; r < mr; ++r) std::fill(c + r * ldc, c + r * ldc + nr, 0.0);
            continue;
          }
          kernel(kc_used, Ap.data() + ip * kc * MR, Bp.data() + jp * kKc * NR, c, ldc, mr, nr,
                 opt.alpha, overwrite);
        }
      }
    });
  }
}

}  // namespace

template <class T>
void gemm(std::int64_t M, std::int64_t N, std::int64_t K, const StridedMatrix<T>& A,
          const StridedMatrix<double>& B, double* C, std::int64_t ldc, const GemmOptions& opt) {
  switch (simd_level()) {
    case SimdLevel::avx512:
      return gemm_shaped<Avx512Shape>(microkernel_avx512, M, N, K, A, B, C, ldc, opt);
    case SimdLevel::avx2:
      return gemm_shaped<Avx2Shape>(microkernel_avx2, M, N, K, A, B, C, ldc, opt);
    default:
      return gemm_shaped<GenericShape>(microkernel_generic, M, N, K, A, B, C, ldc, opt);
  }
}

template void gemm<float>(std::int64_t, std::int64_t, std::int64_t, const StridedMatrix<float>&,
                          const StridedMatrix<double>&, double*, std::int64_t, const GemmOptions&);
template void gemm<double>(std::int64_t, std::int64_t, std::int64_t, const StridedMatrix<double>&,
                           const StridedMatrix<double>&, double*, std::int64_t, const GemmOptions&);

}  // namespace arm
