// Portable microkernel (4×4 doubles: two 16-byte vectors per row, SSE2 on x86-64, NEON-width
// elsewhere): the fallback on every CPU and the one ACTIVE_RM_ISA=ref forces.
#include "gemm/kernels/vector_body.h"
#include "gemm/microkernel.h"

namespace arm {

namespace {
typedef double v2d __attribute__((vector_size(16)));
void microkernel_ref(std::int64_t kc, const double* Ap, const double* Bp, double* C,
                     std::int64_t ldc, int mr, int nr, double alpha, bool overwrite) {
  vector_microkernel<v2d, 4, 2>(kc, Ap, Bp, C, ldc, mr, nr, alpha, overwrite);
}
}  // namespace

const GemmMicrokernel kGemmRef{4, 4, microkernel_ref};

}  // namespace arm
