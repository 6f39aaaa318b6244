// The GEMM frame: blocking over K (kc), packing of A and B into micro-panels, row blocks across the
// thread pool. The register-level work is the microkernel of the active ISA (microkernel.h).
#include "gemm/gemm.h"

#include <algorithm>
#include <vector>

#include "gemm/microkernel.h"
#include "linalg/thread_pool.h"

namespace arm {

namespace {

constexpr std::int64_t kKc = 256;  // depth of one packed block: A and B micro-panels stay in L1/L2

}  // namespace

template <class T>
void gemm_with(const GemmMicrokernel& kernel, std::int64_t M, std::int64_t N, std::int64_t K,
               const StridedMatrix<T>& A, const StridedMatrix<double>& B, double* C,
               std::int64_t ldc, const GemmOptions& opt) {
  const int MR = kernel.mr, NR = kernel.nr;
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
          kernel.run(kc_used, Ap.data() + ip * kc * MR, Bp.data() + jp * kKc * NR, c, ldc, mr, nr,
                 opt.alpha, overwrite);
        }
      }
    });
  }
}

const GemmMicrokernel* gemm_microkernel(Isa isa) {
  if (!isa_supported(isa)) return nullptr;
  switch (isa) {
    case Isa::ref: return &kGemmRef;
#if defined(ACTIVE_RM_X86)
    case Isa::avx2: return &kGemmAvx2;
    case Isa::avx512: return &kGemmAvx512;
#endif
#if defined(ACTIVE_RM_AARCH64)
    case Isa::neon: return &kGemmNeon;
#endif
    default: return nullptr;
  }
}

template <class T>
void gemm(std::int64_t M, std::int64_t N, std::int64_t K, const StridedMatrix<T>& A,
          const StridedMatrix<double>& B, double* C, std::int64_t ldc, const GemmOptions& opt) {
  static const GemmMicrokernel* const kernel = gemm_microkernel(active_isa());
  gemm_with(*kernel, M, N, K, A, B, C, ldc, opt);
}

#define ACTIVE_RM_GEMM(T)                                                                      \
  template void gemm<T>(std::int64_t, std::int64_t, std::int64_t, const StridedMatrix<T>&,     \
                        const StridedMatrix<double>&, double*, std::int64_t, const GemmOptions&); \
  template void gemm_with<T>(const GemmMicrokernel&, std::int64_t, std::int64_t, std::int64_t,  \
                             const StridedMatrix<T>&, const StridedMatrix<double>&, double*,    \
                             std::int64_t, const GemmOptions&);
ACTIVE_RM_GEMM(float)
ACTIVE_RM_GEMM(double)
#undef ACTIVE_RM_GEMM

}  // namespace arm
