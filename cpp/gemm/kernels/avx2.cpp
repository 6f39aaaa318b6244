// AVX2 + FMA microkernel: 6 rows × 8 columns (two ymm per row, 12 accumulators).
#include "linalg/isa.h"

#if defined(ACTIVE_RM_X86)

#include "gemm/kernels/vector_body.h"
#include "gemm/microkernel.h"

namespace arm {

namespace {
typedef double v4d __attribute__((vector_size(32)));
__attribute__((target("avx2,fma"))) void microkernel_avx2(std::int64_t kc, const double* Ap,
                                                           const double* Bp, double* C,
                                                           std::int64_t ldc, int mr, int nr,
                                                           double alpha, bool overwrite) {
  vector_microkernel<v4d, 6, 2>(kc, Ap, Bp, C, ldc, mr, nr, alpha, overwrite);
}
}  // namespace

const GemmMicrokernel kGemmAvx2{6, 8, microkernel_avx2};

}  // namespace arm

#endif
