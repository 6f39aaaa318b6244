#include "linalg/isa.h"

#include <cstdlib>
#include <cstring>

namespace arm {

bool isa_supported(Isa isa) {
  switch (isa) {
    case Isa::ref:
      return true;
#if defined(ACTIVE_RM_X86) && (defined(__GNUC__) || defined(__clang__))
    case Isa::avx2:
      __builtin_cpu_init();
      return __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma");
    case Isa::avx512:
      __builtin_cpu_init();
      return __builtin_cpu_supports("avx512f");
#endif
#if defined(ACTIVE_RM_AARCH64)
    case Isa::neon:
      return true;  // Advanced SIMD is mandatory in ARMv8-A
#endif
    default:
      return false;
  }
}

const char* isa_name(Isa isa) {
  switch (isa) {
    case Isa::avx2: return "avx2";
    case Isa::avx512: return "avx512";
    case Isa::neon: return "neon";
    default: return "ref";
  }
}

static bool parse(const char* text, Isa* out) {
  if (!text) return false;
  const struct { const char* name; Isa isa; } names[] = {
      {"ref", Isa::ref}, {"generic", Isa::ref}, {"avx2", Isa::avx2},
      {"avx512", Isa::avx512}, {"avx512f", Isa::avx512}, {"neon", Isa::neon}};
  for (const auto& n : names)
    if (std::strcmp(text, n.name) == 0) {
      *out = n.isa;
      return true;
    }
  return false;
}

static Isa detect() {
  Isa best = Isa::ref;
#if defined(ACTIVE_RM_X86)
  if (isa_supported(Isa::avx2)) best = Isa::avx2;
  if (isa_supported(Isa::avx512)) best = Isa::avx512;
#elif defined(ACTIVE_RM_AARCH64)
  best = Isa::neon;
#endif
  // A request can only lower the level (an unsupported or unknown one is ignored): forcing AVX-512
  // on a CPU without it would crash instead of running slower.
  Isa want;
  if (parse(std::getenv("ACTIVE_RM_ISA"), &want) || parse(std::getenv("ACTIVE_RM_SIMD"), &want)) {
    if (want == Isa::ref) return Isa::ref;
    if (isa_supported(want) && static_cast<int>(want) < static_cast<int>(best)) return want;
  }
  return best;
}

Isa active_isa() {
  static const Isa isa = detect();
  return isa;
}

const char* simd_level_name() {
  switch (active_isa()) {
    case Isa::avx512: return "avx512f";
    case Isa::avx2: return "avx2";
    case Isa::neon: return "neon";
    default: return "generic";
  }
}

}  // namespace arm
