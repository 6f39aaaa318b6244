// NEON microkernel for aarch64: 6 rows × 8 columns of doubles (four 2-lane vectors per row, 24
// accumulators, 4 for B and 3 for A of the 32 vector registers). A is loaded two rows at a time
// and broadcast by lane inside the fused multiply-add (FMLA by element), so no register is spent
// on splats.
#include "linalg/isa.h"

#if defined(ACTIVE_RM_AARCH64)

#include <arm_neon.h>

#include "gemm/microkernel.h"

namespace arm {

namespace {
constexpr int MR = 6, NV = 4, NR = 2 * NV;

void microkernel_neon(std::int64_t kc, const double* Ap, const double* Bp, double* C,
                      std::int64_t ldc, int mr, int nr, double alpha, bool overwrite) {
  float64x2_t acc[MR][NV];
  for (int r = 0; r < MR; ++r)
    for (int v = 0; v < NV; ++v) acc[r][v] = vdupq_n_f64(0.0);
  for (std::int64_t k = 0; k < kc; ++k) {
    const double* b = Bp + k * NR;
    const double* a = Ap + k * MR;
    float64x2_t bv[NV];
    for (int v = 0; v < NV; ++v) bv[v] = vld1q_f64(b + 2 * v);
    const float64x2_t a01 = vld1q_f64(a), a23 = vld1q_f64(a + 2), a45 = vld1q_f64(a + 4);
    for (int v = 0; v < NV; ++v) {
      acc[0][v] = vfmaq_laneq_f64(acc[0][v], bv[v], a01, 0);
      acc[1][v] = vfmaq_laneq_f64(acc[1][v], bv[v], a01, 1);
      acc[2][v] = vfmaq_laneq_f64(acc[2][v], bv[v], a23, 0);
      acc[3][v] = vfmaq_laneq_f64(acc[3][v], bv[v], a23, 1);
      acc[4][v] = vfmaq_laneq_f64(acc[4][v], bv[v], a45, 0);
      acc[5][v] = vfmaq_laneq_f64(acc[5][v], bv[v], a45, 1);
    }
  }
  const float64x2_t va = vdupq_n_f64(alpha);
  if (mr == MR && nr == NR) {
    for (int r = 0; r < MR; ++r)
      for (int v = 0; v < NV; ++v) {
        double* out = C + r * ldc + 2 * v;
        const float64x2_t x = vmulq_f64(va, acc[r][v]);
        vst1q_f64(out, overwrite ? x : vaddq_f64(vld1q_f64(out), x));
      }
    return;
  }
  double tile[MR][NR];
  for (int r = 0; r < MR; ++r)
    for (int v = 0; v < NV; ++v) vst1q_f64(&tile[r][2 * v], acc[r][v]);
  for (int r = 0; r < mr; ++r)
    for (int c = 0; c < nr; ++c)
      C[r * ldc + c] = overwrite ? alpha * tile[r][c] : C[r * ldc + c] + alpha * tile[r][c];
}
}  // namespace

const GemmMicrokernel kGemmNeon{MR, NR, microkernel_neon};

}  // namespace arm

#endif
