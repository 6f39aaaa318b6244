#include "linalg/reductions.h"

namespace arm {

extern const ReductionKernels kReductionsRef;
#if defined(ACTIVE_RM_X86)
extern const ReductionKernels kReductionsAvx2;
extern const ReductionKernels kReductionsAvx512;
#endif
#if defined(ACTIVE_RM_AARCH64)
extern const ReductionKernels kReductionsNeon;
#endif

const ReductionKernels* reduction_kernels(Isa isa) {
  if (!isa_supported(isa)) return nullptr;
  switch (isa) {
    case Isa::ref: return &kReductionsRef;
#if defined(ACTIVE_RM_X86)
    case Isa::avx2: return &kReductionsAvx2;
    case Isa::avx512: return &kReductionsAvx512;
#endif
#if defined(ACTIVE_RM_AARCH64)
    case Isa::neon: return &kReductionsNeon;
#endif
    default: return nullptr;
  }
}

namespace {
const ReductionKernels& active() {
  static const ReductionKernels* const kernels = reduction_kernels(active_isa());
  return *kernels;
}
}  // namespace

double squared_distance(const double* a, const double* b, std::int64_t d) {
  return active().squared_distance(a, b, d);
}
double dot_product(const double* a, const double* b, std::int64_t d) {
  return active().dot_product(a, b, d);
}
void dot_products(const double* x, const double* rows, std::int64_t d, std::int64_t count,
                  double* out) {
  active().dot_products(x, rows, d, count, out);
}
void dot_products_4(const double* const* xs, const double* rows, std::int64_t d,
                    std::int64_t count, double* const* outs) {
  active().dot_products_4(xs, rows, d, count, outs);
}
void pair_distances(const double* Y, std::int64_t d, const std::int32_t* pairs, std::int64_t begin,
                    std::int64_t end, double* q) {
  active().pair_distances(Y, d, pairs, begin, end, q);
}

void weighted_squared_differences_4(const double* const* a, const double* const* b,
                                    const double* w, std::int64_t count, double* out) {
  active().weighted_squared_differences_4(a, b, w, count, out);
}
void squared_distances_f32(const float* x, const float* rows, std::int64_t d,
                           const std::int32_t* index, std::int64_t count, float* out) {
  active().squared_distances_f32(x, rows, d, index, count, out);
}

}  // namespace arm
