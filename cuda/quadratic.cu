// q_p = ‖y_i − y_j‖² for an explicit pair list: the direct form (not ‖y_i‖² + ‖y_j‖² − 2y_i·y_j)
// because pairs of one prompt are often close and the Gram form would cancel.
#include <vector>

#include "common.cuh"
#include "pair_scores.cuh"
#include "projection.cuh"

namespace arm {
namespace {

__global__ void pair_distance_kernel(const float* Y, std::int64_t d, const std::int32_t* pairs, std::int64_t m,
                                     double* q) {
  const std::int64_t p = (static_cast<std::int64_t>(blockIdx.x) * blockDim.x + threadIdx.x) / 32;
  const int lane = threadIdx.x % 32;
  if (p >= m) return;
  const float* yi = Y + static_cast<std::int64_t>(pairs[2 * p]) * d;
  const float* yj = Y + static_cast<std::int64_t>(pairs[2 * p + 1]) * d;
  double acc = 0;
  for (std::int64_t k = lane; k < d; k += 32) {
    const double diff = static_cast<double>(yi[k]) - static_cast<double>(yj[k]);
    acc += diff * diff;
  }
  for (int off = 16; off > 0; off /= 2) acc += __shfl_down_sync(0xffffffffu, acc, off);
  if (lane == 0) q[p] = acc;
}

}  // namespace

void pair_distances(const float* d_Y, std::int64_t d, const std::int32_t* d_pairs, std::int64_t m, double* d_q) {
  if (m == 0) return;
  pair_distance_kernel<<<blocks_for(m * 32, 256), 256>>>(d_Y, d, d_pairs, m, d_q);
  check_launch("pair distances");
}

}  // namespace arm

extern "C" int arm_cuda_quadratic(const float* features, int n, int d, const double* factor,
                                  const std::int32_t* pairs, std::int64_t m, double* out) {
  return arm::guarded([&] {
    arm::require(n > 0 && d > 0 && m >= 0, "n and d must be positive and m non-negative");
    arm::require_device();
    if (m == 0) return;
    arm::DeviceBuffer<float> phi(features, static_cast<std::size_t>(n) * d);
    arm::DeviceBuffer<float> Y(static_cast<std::size_t>(n) * d);
    arm::project_responses(phi.get(), Y.get(), n, d, factor);
    arm::DeviceBuffer<std::int32_t> dp(pairs, static_cast<std::size_t>(2 * m));
    arm::DeviceBuffer<double> q(static_cast<std::size_t>(m));
    arm::pair_distances(Y.get(), d, dp.get(), m, q.get());
    q.download(out, static_cast<std::size_t>(m));
  });
}
