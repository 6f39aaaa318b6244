// q_p = ‖y_i − y_j‖² for every pair over the projected responses Y (n×d, float64).
#pragma once

#include <cstdint>

namespace arm {

// Returns false when *cancel became nonzero before all pairs were scored (checked per chunk).
bool pair_scores(const double* Y, std::int64_t d, const std::int32_t* pairs, std::int64_t m,
                 double* q, const volatile std::int32_t* cancel);

// Squared distance with a fixed summation order (8 interleaved partial sums, then a fixed tree):
// every instruction set and every call site gives bit-identical results, which lazy greedy relies
// on to reproduce plain greedy exactly. This file is compiled with -ffp-contract=off.
double squared_distance(const double* a, const double* b, std::int64_t d);
double dot_product(const double* a, const double* b, std::int64_t d);
// out[j] = dot_product(x, rows + j·d, d) for j < count, bit for bit, several at a time.
void dot_products(const double* x, const double* rows, std::int64_t d, std::int64_t count,
                  double* out);
// outs[r][j] = dot_product(xs[r], rows + j·d, d) for r < 4, j < count, bit for bit.
void dot_products_4(const double* const* xs, const double* rows, std::int64_t d,
                    std::int64_t count, double* const* outs);

}  // namespace arm
