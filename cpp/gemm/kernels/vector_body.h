// A microkernel written once over GCC/Clang vector types: the compiler lowers it for the target
// of the function it is inlined into (ref: the baseline; avx2: target("avx2,fma")).
#pragma once

#include <cstdint>
#include <cstring>

namespace arm {

template <class V, int MR, int NV>
inline __attribute__((always_inline)) void vector_microkernel(std::int64_t kc, const double* Ap,
                                                              const double* Bp, double* C,
                                                              std::int64_t ldc, int mr, int nr,
                                                              double alpha, bool overwrite) {
  constexpr int LANES = sizeof(V) / sizeof(double);
  constexpr int NR = NV * LANES;
  typedef double VU __attribute__((vector_size(sizeof(V)), aligned(8)));
  V acc[MR][NV];
#pragma GCC unroll 8
  for (int r = 0; r < MR; ++r)
#pragma GCC unroll 8
    for (int v = 0; v < NV; ++v) acc[r][v] = V{} * 0.0;
  for (std::int64_t k = 0; k < kc; ++k) {
    V b[NV];
#pragma GCC unroll 8
    for (int v = 0; v < NV; ++v) b[v] = *reinterpret_cast<const VU*>(Bp + k * NR + v * LANES);
#pragma GCC unroll 8
    for (int r = 0; r < MR; ++r) {
      const V a = V{} + Ap[k * MR + r];
#pragma GCC unroll 8
      for (int v = 0; v < NV; ++v) acc[r][v] += a * b[v];
    }
  }
  if (mr == MR && nr == NR) {
#pragma GCC unroll 8
    for (int r = 0; r < MR; ++r)
#pragma GCC unroll 8
      for (int v = 0; v < NV; ++v) {
        VU* out = reinterpret_cast<VU*>(C + r * ldc + v * LANES);
        *out = overwrite ? alpha * acc[r][v] : *out + alpha * acc[r][v];
      }
    return;
  }
  double tile[MR][NR];
  for (int r = 0; r < MR; ++r)
    for (int v = 0; v < NV; ++v) std::memcpy(&tile[r][v * LANES], &acc[r][v], sizeof(V));
  for (int r = 0; r < mr; ++r)
    for (int c = 0; c < nr; ++c)
      C[r * ldc + c] = overwrite ? alpha * tile[r][c] : C[r * ldc + c] + alpha * tile[r][c];
}

}  // namespace arm
