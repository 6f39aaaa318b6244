// NEON reductions: the 8 lanes are four 2-lane registers, with separate multiplies and adds
// (FMLA would round differently from the other ISAs; this file is compiled with -ffp-contract=off
// so the compiler does not fuse them either).
#include "linalg/isa.h"

#if defined(ACTIVE_RM_AARCH64)
#include <arm_neon.h>

#include "linalg/kernels/fixed_order_reductions.h"
#include "linalg/reductions.h"

namespace arm {

namespace {
struct Neon8 {
  float64x2_t q0, q1, q2, q3;  // lanes 0-1, 2-3, 4-5, 6-7
};
ACTIVE_RM_INLINE Neon8 operator+(Neon8 a, Neon8 b) {
  return {vaddq_f64(a.q0, b.q0), vaddq_f64(a.q1, b.q1), vaddq_f64(a.q2, b.q2), vaddq_f64(a.q3, b.q3)};
}
ACTIVE_RM_INLINE Neon8 operator-(Neon8 a, Neon8 b) {
  return {vsubq_f64(a.q0, b.q0), vsubq_f64(a.q1, b.q1), vsubq_f64(a.q2, b.q2), vsubq_f64(a.q3, b.q3)};
}
ACTIVE_RM_INLINE Neon8 operator*(Neon8 a, Neon8 b) {
  return {vmulq_f64(a.q0, b.q0), vmulq_f64(a.q1, b.q1), vmulq_f64(a.q2, b.q2), vmulq_f64(a.q3, b.q3)};
}
struct NeonLanes {
  using V = Neon8;
  static ACTIVE_RM_INLINE V zero() {
    const float64x2_t z = vdupq_n_f64(0.0);
    return {z, z, z, z};
  }
  static ACTIVE_RM_INLINE V load(const double* p) {
    return {vld1q_f64(p), vld1q_f64(p + 2), vld1q_f64(p + 4), vld1q_f64(p + 6)};
  }
  static ACTIVE_RM_INLINE void store(double* p, V v) {
    vst1q_f64(p, v.q0);
    vst1q_f64(p + 2, v.q1);
    vst1q_f64(p + 4, v.q2);
    vst1q_f64(p + 6, v.q3);
  }
};
}  // namespace

ACTIVE_RM_REDUCTION_KERNELS(ReductionsNeon, NeonLanes, , 2)

}  // namespace arm
#endif
