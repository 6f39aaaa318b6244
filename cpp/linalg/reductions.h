// Dot products and squared distances in float64 with one fixed summation order: lane l of an
// 8-lane accumulator sums the terms t ≡ l (mod 8), the d mod 8 leftover terms go to lanes 0, 1, …,
// then one fixed tree ((l0+l4)+(l2+l6)) + ((l1+l5)+(l3+l7)). Vector lanes round exactly as
// scalars and every kernel file is compiled with -ffp-contract=off, so every instruction set,
// every call site and every thread count gives the same bits; lazy greedy relies on this to
// reproduce plain greedy exactly. One implementation per ISA (kernels/reductions_*.cpp), chosen
// at run time like the GEMM microkernel.
#pragma once

#include <cstdint>

#include "linalg/isa.h"

namespace arm {

double squared_distance(const double* a, const double* b, std::int64_t d);
double dot_product(const double* a, const double* b, std::int64_t d);
// out[j] = dot_product(x, rows + j·d, d) for j < count, bit for bit, several at a time.
void dot_products(const double* x, const double* rows, std::int64_t d, std::int64_t count,
                  double* out);
// outs[r][j] = dot_product(xs[r], rows + j·d, d) for r < 4, j < count, bit for bit.
void dot_products_4(const double* const* xs, const double* rows, std::int64_t d,
                    std::int64_t count, double* const* outs);
// q[p] = squared_distance(Y + pairs[2p]·d, Y + pairs[2p+1]·d, d) for begin ≤ p < end.
void pair_distances(const double* Y, std::int64_t d, const std::int32_t* pairs, std::int64_t begin,
                    std::int64_t end, double* q);
// out[r] = Σ_{s<count} w_s (a[r][s] − b[r][s])² for r < 4, in an unspecified but deterministic
// order (for bounds, which carry their own rounding margin; not one of the fixed-order sums).
void weighted_squared_differences_4(const double* const* a, const double* const* b,
                                    const double* w, std::int64_t count, double* out);
// out[c] = ‖x − rows + index[c]·d‖² in float32 for c < count, order unspecified (for bounds that
// carry a margin).
void squared_distances_f32(const float* x, const float* rows, std::int64_t d,
                           const std::int32_t* index, std::int64_t count, float* out);

struct ReductionKernels {
  double (*squared_distance)(const double*, const double*, std::int64_t);
  double (*dot_product)(const double*, const double*, std::int64_t);
  void (*dot_products)(const double*, const double*, std::int64_t, std::int64_t, double*);
  void (*dot_products_4)(const double* const*, const double*, std::int64_t, std::int64_t,
                         double* const*);
  void (*pair_distances)(const double*, std::int64_t, const std::int32_t*, std::int64_t,
                         std::int64_t, double*);
  void (*weighted_squared_differences_4)(const double* const*, const double* const*,
                                         const double*, std::int64_t, double*);
  void (*squared_distances_f32)(const float*, const float*, std::int64_t, const std::int32_t*,
                                std::int64_t, float*);
};

// The kernels of `isa`, or nullptr when this build or CPU has none (tests compare them all).
const ReductionKernels* reduction_kernels(Isa isa);

}  // namespace arm
