// Portable reductions (GCC/Clang vector types lowered for the baseline target): the fallback.
#include "linalg/kernels/fixed_order_reductions.h"
#include "linalg/reductions.h"

namespace arm {
ACTIVE_RM_REDUCTION_KERNELS(ReductionsRef, VectorLanes, , 2)
}  // namespace arm
