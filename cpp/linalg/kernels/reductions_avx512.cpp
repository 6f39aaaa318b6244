#include "linalg/isa.h"

#if defined(ACTIVE_RM_X86)
#include "linalg/kernels/fixed_order_reductions.h"
#include "linalg/reductions.h"

namespace arm {
ACTIVE_RM_REDUCTION_KERNELS(ReductionsAvx512, VectorLanes, __attribute__((target("avx512f"))), 4)
}  // namespace arm
#endif
