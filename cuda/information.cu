// Σ_p w_p v_p v_pᵀ = Φᵀ(diag(deg)Φ − WΦ): one sparse pass over the pairs (B = diag(deg)Φ − WΦ,
// O(m d)) and one dense GEMM Φᵀ B (O(n d²)); no per-pair d×d work. Only responses that occur in
// a pair enter the GEMM.
#include <vector>

#include "common.cuh"
#include "gemm_nt.cuh"

namespace arm {
namespace {

// B_r = deg_r φ_r − Σ_{(r, s) ∈ pairs} w φ_s over the compacted responses (CSR neighbours).
__global__ void laplacian_rows_kernel(const float* phi, std::int64_t d, const std::int64_t* offsets,
                                      const std::int32_t* nbr, const double* wt, const double* deg, float* B) {
  const std::int64_t r = blockIdx.x;
  for (std::int64_t k = threadIdx.x; k < d; k += blockDim.x) {
    double acc = deg[r] * static_cast<double>(phi[r * d + k]);
    for (std::int64_t e = offsets[r]; e < offsets[r + 1]; ++e)
      acc -= wt[e] * static_cast<double>(phi[static_cast<std::int64_t>(nbr[e]) * d + k]);
    B[r * d + k] = static_cast<float>(acc);
  }
}

__global__ void transpose_kernel(const float* in, float* out, std::int64_t rows, std::int64_t cols) {
  __shared__ float tile[32][33];
  const std::int64_t c0 = static_cast<std::int64_t>(blockIdx.x) * 32, r0 = static_cast<std::int64_t>(blockIdx.y) * 32;
  for (int y = threadIdx.y; y < 32; y += blockDim.y) {
    const std::int64_t r = r0 + y, c = c0 + threadIdx.x;
    if (r < rows && c < cols) tile[y][threadIdx.x] = in[r * cols + c];
  }
  __syncthreads();
  for (int y = threadIdx.y; y < 32; y += blockDim.y) {
    const std::int64_t c = c0 + y, r = r0 + threadIdx.x;
    if (r < rows && c < cols) out[c * rows + r] = tile[threadIdx.x][y];
  }
}

__global__ void __launch_bounds__(kGemmThreads) gram_kernel(const float* At, const float* Bt, std::int64_t d,
                                                            std::int64_t rows, double* M) {
  __shared__ GemmShared sh;
  TileAcc acc;
  gemm_zero(acc);
  const std::int64_t m0 = static_cast<std::int64_t>(blockIdx.x) * kTileM;
  const std::int64_t n0 = static_cast<std::int64_t>(blockIdx.y) * kTileN;
  gemm_nt_accumulate(acc, sh, At, rows, m0, d, Bt, rows, n0, d, rows, 1.0);
#pragma unroll
  for (int i = 0; i < kThreadM; ++i)
#pragma unroll
    for (int j = 0; j < kThreadN; ++j) {
      const std::int64_t x = m0 + gemm_row(i), y = n0 + gemm_col(j);
      if (x < d && y < d) M[x * d + y] = acc.v[i][j];
    }
}

void transpose(const float* in, float* out, std::int64_t rows, std::int64_t cols) {
  const dim3 grid(blocks_for(cols, 32), blocks_for(rows, 32));
  transpose_kernel<<<grid, dim3(32, 8)>>>(in, out, rows, cols);
  check_launch("transpose");
}

}  // namespace
}  // namespace arm

extern "C" int arm_cuda_information(const float* features, int n, int d, const std::int32_t* pairs, std::int64_t m,
                                    const double* weights, double ridge, const double* base, double* out) {
  using namespace arm;
  return guarded([&] {
    require(n > 0 && d > 0 && m >= 0, "n and d must be positive and m non-negative");
    const std::int64_t D = d;
    std::vector<double> M(static_cast<std::size_t>(D * D), 0.0);
    if (m > 0) {
      require_device();
      // Compact the responses that occur in some pair and build their weighted adjacency (CSR).
      std::vector<std::int32_t> index(static_cast<std::size_t>(n), -1), rows;
      for (std::int64_t e = 0; e < 2 * m; ++e) {
        const std::int32_t i = pairs[e];
        require(i >= 0 && i < n, "pair index out of range");
        if (index[i] < 0) {
          index[i] = static_cast<std::int32_t>(rows.size());
          rows.push_back(i);
        }
      }
      const std::int64_t r = static_cast<std::int64_t>(rows.size());
      std::vector<std::int64_t> offsets(static_cast<std::size_t>(r + 1), 0);
      std::vector<double> deg(static_cast<std::size_t>(r), 0.0);
      for (std::int64_t p = 0; p < m; ++p) {
        const std::int32_t a = index[pairs[2 * p]], b = index[pairs[2 * p + 1]];
        ++offsets[a + 1];
        ++offsets[b + 1];
        deg[a] += weights[p];
        deg[b] += weights[p];
      }
      for (std::int64_t i = 0; i < r; ++i) offsets[i + 1] += offsets[i];
      std::vector<std::int64_t> fill(offsets.begin(), offsets.end() - 1);
      std::vector<std::int32_t> nbr(static_cast<std::size_t>(2 * m));
      std::vector<double> wt(static_cast<std::size_t>(2 * m));
      for (std::int64_t p = 0; p < m; ++p) {
        const std::int32_t a = index[pairs[2 * p]], b = index[pairs[2 * p + 1]];
        nbr[fill[a]] = b;
        wt[fill[a]++] = weights[p];
        nbr[fill[b]] = a;
        wt[fill[b]++] = weights[p];
      }
      std::vector<float> compact(static_cast<std::size_t>(r * D));
      for (std::int64_t i = 0; i < r; ++i)
        std::copy(features + rows[i] * D, features + (rows[i] + 1) * D, compact.begin() + i * D);

      DeviceBuffer<float> phi(compact.data(), compact.size());
      DeviceBuffer<std::int64_t> d_off(offsets.data(), offsets.size());
      DeviceBuffer<std::int32_t> d_nbr(nbr.data(), nbr.size());
      DeviceBuffer<double> d_wt(wt.data(), wt.size()), d_deg(deg.data(), deg.size());
      DeviceBuffer<float> B(compact.size()), phiT(compact.size()), BT(compact.size());
      laplacian_rows_kernel<<<static_cast<unsigned>(r), 256>>>(phi.get(), D, d_off.get(), d_nbr.get(), d_wt.get(),
                                                               d_deg.get(), B.get());
      check_launch("laplacian rows");
      transpose(phi.get(), phiT.get(), r, D);
      transpose(B.get(), BT.get(), r, D);
      DeviceBuffer<double> d_M(M.size());
      gram_kernel<<<dim3(blocks_for(D, kTileM), blocks_for(D, kTileN)), kGemmThreads>>>(phiT.get(), BT.get(), D, r,
                                                                                       d_M.get());
      check_launch("information gram");
      d_M.download(M.data(), M.size());
    }
    // Symmetrize (the float32 sums of Φᵀ B and Bᵀ Φ differ in the last bits), then ridge and base.
    for (std::int64_t x = 0; x < D; ++x)
      for (std::int64_t y = 0; y < D; ++y) {
        double v = 0.5 * (M[x * D + y] + M[y * D + x]);
        if (x == y) v += ridge;
        if (base) v += base[x * D + y];
        out[x * D + y] = v;
      }
  });
}
