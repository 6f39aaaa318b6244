// The GEMM microkernel interface, BLIS style: gemm.cpp (the frame) packs A and B into
// micro-panels and walks the blocks; a microkernel only multiplies one MR×kc panel of A by one
// kc×NR panel of B held in registers. One microkernel per instruction set (kernels/), chosen at
// run time from the table below; kernels/ref.cpp is portable and is the fallback everywhere.
#pragma once

#include <cstdint>

#include "gemm/gemm.h"
#include "linalg/isa.h"

namespace arm {

// Ap: kc×MR (row index fastest), Bp: kc×NR. Writes alpha·Ap·Bp into the mr×nr corner of C
// (mr ≤ MR, nr ≤ NR), overwriting C or adding to it.
using MicrokernelFn = void (*)(std::int64_t kc, const double* Ap, const double* Bp, double* C,
                               std::int64_t ldc, int mr, int nr, double alpha, bool overwrite);

struct GemmMicrokernel {
  int mr, nr;  // register tile
  MicrokernelFn run;
};

// Defined by the kernel files compiled for this architecture.
extern const GemmMicrokernel kGemmRef;
#if defined(ACTIVE_RM_X86)
extern const GemmMicrokernel kGemmAvx2;
extern const GemmMicrokernel kGemmAvx512;
#endif
#if defined(ACTIVE_RM_AARCH64)
extern const GemmMicrokernel kGemmNeon;
#endif

// The microkernel of `isa`, or nullptr when this build or CPU has none.
const GemmMicrokernel* gemm_microkernel(Isa isa);

// gemm() with a given microkernel (tests compare every available one against a naive product).
template <class T>
void gemm_with(const GemmMicrokernel& kernel, std::int64_t M, std::int64_t N, std::int64_t K,
               const StridedMatrix<T>& A, const StridedMatrix<double>& B, double* C,
               std::int64_t ldc, const GemmOptions& options);

}  // namespace arm
