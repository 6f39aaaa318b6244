// SIMD vocabulary shared by the kernels. GCC vector extensions are lowered for whatever target the
// enclosing function is compiled for, so one kernel template serves AVX-512, AVX2 and baseline
// x86-64; wrappers with __attribute__((target(...))) pick the instruction set and
// simd_level() chooses among them once at run time (prebuilt binaries must run on any x86-64).
#pragma once

namespace arm {

typedef double v8d __attribute__((vector_size(64)));
typedef double v4d __attribute__((vector_size(32)));
typedef double v2d __attribute__((vector_size(16)));

enum class SimdLevel { generic = 0, avx2 = 1, avx512 = 2 };

SimdLevel simd_level();
const char* simd_level_name();

}  // namespace arm
