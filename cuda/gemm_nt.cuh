// The one GEMM core every kernel builds on: a 128×64 tile of A·Bᵀ where both operands are
// row-major with K contiguous (feature rows, factor rows, direction rows all are). Products are
// float32, summed in float32 over 64 values of K and then into float64, so long K (n = 10⁵ rows
// in the information matrix, d = 4096 in the projection) keeps ~1e-7 relative accuracy while the
// inner loop stays at float32 speed. Callers supply the epilogue.
#pragma once

#include <cstdint>

namespace arm {

constexpr int kGemmThreads = 256;
constexpr int kTileM = 128;
constexpr int kTileN = 64;
constexpr int kTileK = 16;
constexpr int kThreadM = 8;  // rows per thread
constexpr int kThreadN = 4;  // columns per thread
constexpr int kFlushTiles = 4;  // float32 partial sums span kFlushTiles·kTileK values of K

static_assert((kTileM / kThreadM) * (kTileN / kThreadN) == kGemmThreads, "tile shape");

struct GemmShared {
  // K-major so that a thread's 8 rows (and 4 columns) are contiguous; +4 breaks bank conflicts
  // on the transposing store.
  float a[kTileK][kTileM + 4];
  float b[kTileK][kTileN + 4];
};

struct TileAcc {
  double v[kThreadM][kThreadN];
};

__device__ inline int gemm_row(int i) { return (threadIdx.x / (kTileN / kThreadN)) * kThreadM + i; }
__device__ inline int gemm_col(int j) { return (threadIdx.x % (kTileN / kThreadN)) * kThreadN + j; }

__device__ inline void gemm_zero(TileAcc& acc) {
#pragma unroll
  for (int i = 0; i < kThreadM; ++i)
#pragma unroll
    for (int j = 0; j < kThreadN; ++j) acc.v[i][j] = 0.0;
}

// acc += sign · A[m0:m0+128, 0:K] · B[n0:n0+64, 0:K]ᵀ, rows ≥ M (resp. N) read as zero.
// Every thread of the block must call it (it synchronizes).
__device__ inline void gemm_nt_accumulate(TileAcc& acc, GemmShared& sh, const float* A, std::int64_t lda,
                                          std::int64_t m0, std::int64_t M, const float* B, std::int64_t ldb,
                                          std::int64_t n0, std::int64_t N, std::int64_t K, double sign) {
  const int tid = threadIdx.x;
  float part[kThreadM][kThreadN];
#pragma unroll
  for (int i = 0; i < kThreadM; ++i)
#pragma unroll
    for (int j = 0; j < kThreadN; ++j) part[i][j] = 0.f;
  int tiles = 0;
  for (std::int64_t k0 = 0; k0 < K; k0 += kTileK) {
#pragma unroll
    for (int e = tid; e < kTileM * kTileK; e += kGemmThreads) {
      const int r = e / kTileK, k = e % kTileK;
      const std::int64_t gr = m0 + r, gk = k0 + k;
      sh.a[k][r] = (gr < M && gk < K) ? A[gr * lda + gk] : 0.f;
    }
#pragma unroll
    for (int e = tid; e < kTileN * kTileK; e += kGemmThreads) {
      const int r = e / kTileK, k = e % kTileK;
      const std::int64_t gr = n0 + r, gk = k0 + k;
      sh.b[k][r] = (gr < N && gk < K) ? B[gr * ldb + gk] : 0.f;
    }
    __syncthreads();
#pragma unroll
    for (int k = 0; k < kTileK; ++k) {
      float a[kThreadM], b[kThreadN];
#pragma unroll
      for (int i = 0; i < kThreadM; ++i) a[i] = sh.a[k][gemm_row(i)];
#pragma unroll
      for (int j = 0; j < kThreadN; ++j) b[j] = sh.b[k][gemm_col(j)];
#pragma unroll
      for (int i = 0; i < kThreadM; ++i)
#pragma unroll
        for (int j = 0; j < kThreadN; ++j) part[i][j] = fmaf(a[i], b[j], part[i][j]);
    }
    __syncthreads();
    if (++tiles == kFlushTiles || k0 + kTileK >= K) {
      tiles = 0;
#pragma unroll
      for (int i = 0; i < kThreadM; ++i)
#pragma unroll
        for (int j = 0; j < kThreadN; ++j) {
          acc.v[i][j] += sign * static_cast<double>(part[i][j]);
          part[i][j] = 0.f;
        }
    }
  }
}

}  // namespace arm
