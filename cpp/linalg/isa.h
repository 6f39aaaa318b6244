// Which instruction set the kernels run on. Prebuilt binaries must run on any CPU of their
// architecture, so every ISA-specific kernel is compiled for its own target (x86: function
// attributes; aarch64: NEON is part of ARMv8-A) and chosen once per process at run time.
// ACTIVE_RM_ISA (ref|avx2|avx512|neon; ACTIVE_RM_SIMD=generic|avx2 is the older spelling) lowers
// the choice, so tests and benchmarks can compare every kernel on one machine.
#pragma once

#if defined(__x86_64__) || defined(_M_X64)
#define ACTIVE_RM_X86 1
#endif
#if defined(__aarch64__) || defined(_M_ARM64)
#define ACTIVE_RM_AARCH64 1
#endif

// Function multi-versioning through ifunc: only where the platform has it (ELF on x86-64; not
// mingw, not aarch64, where the function is compiled once for the baseline).
#if defined(ACTIVE_RM_X86) && defined(__ELF__)
#define ACTIVE_RM_CLONES_AVX2 __attribute__((target_clones("avx2", "default")))
#else
#define ACTIVE_RM_CLONES_AVX2
#endif

namespace arm {

// Ordered by preference within an architecture; `ref` is the portable fallback everywhere.
enum class Isa { ref = 0, avx2 = 1, avx512 = 2, neon = 3 };

// The ISA the kernels use in this process (best available, lowered by ACTIVE_RM_ISA).
Isa active_isa();
// Whether this CPU and this build can run the kernels of `isa` (tests loop over these).
bool isa_supported(Isa isa);
const char* isa_name(Isa isa);  // "ref", "avx2", "avx512", "neon"
// The name the addon reports as `simd`: "avx512f", "avx2", "generic" (= ref), "neon".
const char* simd_level_name();

}  // namespace arm
