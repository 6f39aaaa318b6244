#include "linalg/simd.h"

#include <cstdlib>
#include <cstring>

namespace arm {

static SimdLevel detect() {
  // ACTIVE_RM_SIMD lets tests and benchmarks force a lower path on a machine that has a higher one.
  const char* forced = std::getenv("ACTIVE_RM_SIMD");
  __builtin_cpu_init();
  SimdLevel best = SimdLevel::generic;
  if (__builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma")) best = SimdLevel::avx2;
  if (__builtin_cpu_supports("avx512f")) best = SimdLevel::avx512;
  if (forced) {
    SimdLevel want = best;
    if (std::strcmp(forced, "generic") == 0) want = SimdLevel::generic;
    else if (std::strcmp(forced, "avx2") == 0) want = SimdLevel::avx2;
    if (want < best) best = want;
  }
  return best;
}

SimdLevel simd_level() {
  static const SimdLevel level = detect();
  return level;
}

const char* simd_level_name() {
  switch (simd_level()) {
    case SimdLevel::avx512: return "avx512f";
    case SimdLevel::avx2: return "avx2";
    default: return "generic";
  }
}

}  // namespace arm
