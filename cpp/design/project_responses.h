// Projection of every response into the whitened coordinates of M = L Lᵀ: y_i = L⁻¹ φ_i, so that
// v_pᵀ M⁻¹ v_p = ‖y_i − y_j‖². Done once per selection as Y = Φ · L⁻ᵀ: a GEMM against the
// explicit triangular inverse (O(d³/3), negligible next to O(n d²)), skipping its zero half.
#pragma once

#include <cstdint>

namespace arm {

// X = L⁻¹ (lower triangular, strict upper zero). L: d×d row-major lower with positive diagonal.
void triangular_inverse(const double* L, std::int64_t d, double* X);

// Y: n×d row-major float64.
template <class T>
void project_responses(const T* features, std::int64_t n, std::int64_t d, const double* L,
                       double* Y);

}  // namespace arm
