// Y = Φ L⁻ᵀ (y_i = L⁻¹φ_i for every response) as a blocked triangular solve: for each block of 64
// columns, one GEMM against the columns already solved, then one small GEMM with the inverse of
// the 64×64 diagonal block (inverted on the host in float64). Everything stays on the device.
#pragma once

#include <cstdint>
#include <memory>

namespace arm {

template <class T>
class DeviceBuffer;

// The factor as the kernels read it: L in float32 and the inverses of its 64×64 diagonal blocks.
struct ProjectionFactor {
  ProjectionFactor(const double* L, std::int64_t d);
  ~ProjectionFactor();
  std::int64_t d;
  std::unique_ptr<DeviceBuffer<float>> Lf, Dinv;
};

void project_responses(const float* d_phi, float* d_Y, std::int64_t n, const ProjectionFactor& factor);

// d_phi, d_Y: device n×d float32 row-major. L: host d×d float64 lower factor.
void project_responses(const float* d_phi, float* d_Y, std::int64_t n, std::int64_t d, const double* L);

}  // namespace arm
