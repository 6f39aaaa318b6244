// AVX-512 microkernel: 6 rows × 32 columns (four zmm per row, 24 accumulators), with intrinsics:
// `_mm512_set1_pd` from memory is a load-port broadcast, while GCC lowers a vector-extension
// splat to a load plus a port-5 shuffle per row, competing with the FMAs (52 → 84 GFLOP/s per
// core with the panels in L1, the FMA peak of the machine in docs/native.md).
#include "linalg/isa.h"

#if defined(ACTIVE_RM_X86)

#include <immintrin.h>

#include "gemm/microkernel.h"

namespace arm {

namespace {
constexpr int MR = 6, NV = 4, NR = 8 * NV;

__attribute__((target("avx512f,fma"))) void microkernel_avx512(std::int64_t kc, const double* Ap,
                                                                const double* Bp, double* C,
                                                                std::int64_t ldc, int mr, int nr,
                                                                double alpha, bool overwrite) {
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
}  // namespace

const GemmMicrokernel kGemmAvx512{MR, NR, microkernel_avx512};

}  // namespace arm

#endif
