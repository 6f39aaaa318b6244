#include <vector>

#include "common.cuh"
#include "gemm_nt.cuh"
#include "host_cholesky.h"
#include "projection.cuh"

namespace arm {
namespace {

constexpr int kB = kTileN;  // solve block = GEMM tile width, so one launch covers a block column

// R[:, 0:w] = Φ[:, j0:j0+w] − Y[:, 0:j0] · L[j0:j0+w, 0:j0]ᵀ
__global__ void __launch_bounds__(kGemmThreads) residual_kernel(const float* Y, const float* Lf, const float* phi,
                                                                float* R, std::int64_t n, std::int64_t d,
                                                                std::int64_t j0, int w) {
  __shared__ GemmShared sh;
  TileAcc acc;
  gemm_zero(acc);
  const std::int64_t m0 = static_cast<std::int64_t>(blockIdx.x) * kTileM;
  if (j0 > 0) gemm_nt_accumulate(acc, sh, Y, d, m0, n, Lf + j0 * d, d, 0, w, j0, 1.0);
#pragma unroll
  for (int i = 0; i < kThreadM; ++i)
#pragma unroll
    for (int j = 0; j < kThreadN; ++j) {
      const std::int64_t r = m0 + gemm_row(i);
      const int c = gemm_col(j);
      if (r < n && c < w) R[r * kB + c] = static_cast<float>(static_cast<double>(phi[r * d + j0 + c]) - acc.v[i][j]);
    }
}

// Y[:, j0:j0+w] = R[:, 0:w] · D⁻ᵀ, D the diagonal block of L.
__global__ void __launch_bounds__(kGemmThreads) diagonal_kernel(const float* R, const float* Dinv, float* Y,
                                                                std::int64_t n, std::int64_t d, std::int64_t j0,
                                                                int w) {
  __shared__ GemmShared sh;
  TileAcc acc;
  gemm_zero(acc);
  const std::int64_t m0 = static_cast<std::int64_t>(blockIdx.x) * kTileM;
  gemm_nt_accumulate(acc, sh, R, kB, m0, n, Dinv, kB, 0, w, w, 1.0);
#pragma unroll
  for (int i = 0; i < kThreadM; ++i)
#pragma unroll
    for (int j = 0; j < kThreadN; ++j) {
      const std::int64_t r = m0 + gemm_row(i);
      const int c = gemm_col(j);
      if (r < n && c < w) Y[r * d + j0 + c] = static_cast<float>(acc.v[i][j]);
    }
}

}  // namespace

ProjectionFactor::ProjectionFactor(const double* L, std::int64_t d_) : d(d_) {
  const std::int64_t blocks = (d + kB - 1) / kB;
  std::vector<double> dinv(static_cast<std::size_t>(blocks * kB * kB));
  inverse_diagonal_blocks(L, d, kB, dinv.data());
  std::vector<float> host(static_cast<std::size_t>(d * d));
  for (std::size_t e = 0; e < host.size(); ++e) host[e] = static_cast<float>(L[e]);
  Lf = std::make_unique<DeviceBuffer<float>>(host.data(), host.size());
  host.assign(dinv.begin(), dinv.end());
  Dinv = std::make_unique<DeviceBuffer<float>>(host.data(), host.size());
}

ProjectionFactor::~ProjectionFactor() = default;

void project_responses(const float* d_phi, float* d_Y, std::int64_t n, const ProjectionFactor& f) {
  const std::int64_t d = f.d, blocks = (d + kB - 1) / kB;
  DeviceBuffer<float> R(static_cast<std::size_t>(n * kB));
  const unsigned grid = blocks_for(n, kTileM);
  for (std::int64_t J = 0; J < blocks; ++J) {
    const std::int64_t j0 = J * kB;
    const int w = static_cast<int>(d - j0 < kB ? d - j0 : kB);
    residual_kernel<<<grid, kGemmThreads>>>(d_Y, f.Lf->get(), d_phi, R.get(), n, d, j0, w);
    check_launch("projection residual");
    diagonal_kernel<<<grid, kGemmThreads>>>(R.get(), f.Dinv->get() + J * kB * kB, d_Y, n, d, j0, w);
    check_launch("projection diagonal");
  }
  check(cudaDeviceSynchronize(), "projection");
}

void project_responses(const float* d_phi, float* d_Y, std::int64_t n, std::int64_t d, const double* L) {
  project_responses(d_phi, d_Y, n, ProjectionFactor(L, d));
}

}  // namespace arm

extern "C" int arm_cuda_project(const float* features, int n, int d, const double* factor, float* out,
                                double* device_ms) {
  using namespace arm;
  return guarded([&] {
    require(n > 0 && d > 0, "n and d must be positive");
    require_device();
    DeviceBuffer<float> phi(features, static_cast<std::size_t>(n) * d);
    DeviceBuffer<float> Y(static_cast<std::size_t>(n) * d);
    // Only the kernels are timed: the host preparation (float copy of L, diagonal inverses) is
    // O(d²) once per factor and would blur the throughput figure.
    const ProjectionFactor factor_on_device(factor, d);
    cudaEvent_t start, stop;
    check(cudaEventCreate(&start), "cudaEventCreate");
    check(cudaEventCreate(&stop), "cudaEventCreate");
    check(cudaEventRecord(start), "cudaEventRecord");
    project_responses(phi.get(), Y.get(), n, factor_on_device);
    check(cudaEventRecord(stop), "cudaEventRecord");
    check(cudaEventSynchronize(stop), "cudaEventSynchronize");
    float ms = 0;
    check(cudaEventElapsedTime(&ms, start, stop), "cudaEventElapsedTime");
    cudaEventDestroy(start);
    cudaEventDestroy(stop);
    if (device_ms) *device_ms = ms;
    if (out) Y.download(out, static_cast<std::size_t>(n) * d);
  });
}
