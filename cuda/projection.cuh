// Y = Φ L⁻ᵀ (y_i = L⁻¹φ_i for every response) as a blocked triangular solve: for each block of 64
// columns, one GEMM against the columns already solved, then one small GEMM with the inverse of
// the 64×64 diagonal block (inverted on the host in float64). Everything stays on the device.
#pragma once

#include <cstdint>

namespace arm {

// d_phi, d_Y: device n×d float32 row-major. L: host d×d float64 lower factor.
void project_responses(const float* d_phi, float* d_Y, std::int64_t n, std::int64_t d, const double* L);

}  // namespace arm
