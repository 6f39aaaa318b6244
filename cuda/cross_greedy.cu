// Greedy selection over the exhaustive cross-prompt pool without ever listing its n²/2 pairs.
//
// Responses are cut into 128×64 tiles of (i, j). A tile is scored in one block through the Gram
// matrix of the augmented rows [y_i, √β_s c_s,i]: q_ij = a_i + a_j − 2(y_i·y_j − Σ_s β_s c_si c_sj)
// with a_i = ‖y_i‖² − Σ_s β_s c_si², and λ_ij from the rewards; the block keeps only its best pair.
// The host keeps one entry per tile in a max-heap of stale upper bounds (scores only decrease:
// log det is submodular) and re-scores the stale top tiles in batches until the top is fresh —
// lazy greedy at tile granularity, which gives the plain-greedy pick with ties to the lower (i, j).
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <queue>
#include <vector>

#include "common.cuh"
#include "gemm_nt.cuh"
#include "projection.cuh"
#include "rank_one.cuh"

namespace arm {
namespace {

constexpr int kLocalPicks = 64;

struct TileBest {
  double score, q, lambda;
  std::int64_t pos;  // i·n + j, −1 when the tile has no candidate left
};

__device__ inline bool ahead(double s, std::int64_t p, double bs, std::int64_t bp) {
  if (p < 0) return false;
  if (bp < 0) return true;
  return s > bs || (s == bs && p < bp);
}

__global__ void __launch_bounds__(kGemmThreads) cross_tile_kernel(
    const std::int32_t* batch, const int2* tiles, const float* Y, std::int64_t n, std::int64_t d, const float* Ct,
    std::int64_t ldc, int t, const double* norms, const std::int32_t* prompts, const double* rewards,
    const int2* picked, TileBest* out) {
  __shared__ GemmShared sh;
  __shared__ int2 local[kLocalPicks];
  __shared__ int local_count;
  __shared__ double best_score[kGemmThreads];
  __shared__ std::int64_t best_pos[kGemmThreads];
  __shared__ int best_owner[kGemmThreads];

  const int2 tile = tiles[batch[blockIdx.x]];
  const std::int64_t i0 = static_cast<std::int64_t>(tile.x) * kTileM, j0 = static_cast<std::int64_t>(tile.y) * kTileN;
  if (threadIdx.x == 0) local_count = 0;
  __syncthreads();
  for (int e = threadIdx.x; e < t; e += blockDim.x) {
    const int2 p = picked[e];
    if (p.x >= i0 && p.x < i0 + kTileM && p.y >= j0 && p.y < j0 + kTileN) {
      const int slot = atomicAdd(&local_count, 1);
      if (slot < kLocalPicks) local[slot] = p;
    }
  }
  TileAcc acc;
  gemm_zero(acc);
  gemm_nt_accumulate(acc, sh, Y, d, i0, n, Y + j0 * d, d, 0, n - j0, d, 1.0);
  if (t > 0) gemm_nt_accumulate(acc, sh, Ct, ldc, i0, n, Ct + j0 * ldc, ldc, 0, n - j0, t, -1.0);
  // gemm_nt_accumulate synchronizes, so local_count is complete here.
  const bool overflow = local_count > kLocalPicks;
  const int listed = overflow ? 0 : local_count;

  double bs = 0, bq = 0, bl = 0;
  std::int64_t bp = -1;
#pragma unroll
  for (int r = 0; r < kThreadM; ++r)
#pragma unroll
    for (int c = 0; c < kThreadN; ++c) {
      const std::int64_t i = i0 + gemm_row(r), j = j0 + gemm_col(c);
      if (j >= n || i >= j || prompts[i] == prompts[j]) continue;
      bool taken = false;
      for (int e = 0; e < listed; ++e) taken |= local[e].x == i && local[e].y == j;
      if (overflow)
        for (int e = 0; e < t; ++e) taken |= picked[e].x == i && picked[e].y == j;
      if (taken) continue;
      const double q = norms[i] + norms[j] - 2.0 * acc.v[r][c];
      const double x = fabs(rewards[i] - rewards[j]);
      const double ex = exp(-x);
      const double lambda = ex / ((1.0 + ex) * (1.0 + ex));
      const double s = lambda * q;
      const std::int64_t pos = i * n + j;
      if (ahead(s, pos, bs, bp)) {
        bs = s;
        bp = pos;
        bq = q;
        bl = lambda;
      }
    }
  best_score[threadIdx.x] = bs;
  best_pos[threadIdx.x] = bp;
  best_owner[threadIdx.x] = threadIdx.x;
  __syncthreads();
  for (int stride = kGemmThreads / 2; stride > 0; stride /= 2) {
    const int o = threadIdx.x + stride;
    if (threadIdx.x < stride && ahead(best_score[o], best_pos[o], best_score[threadIdx.x], best_pos[threadIdx.x])) {
      best_score[threadIdx.x] = best_score[o];
      best_pos[threadIdx.x] = best_pos[o];
      best_owner[threadIdx.x] = best_owner[o];
    }
    __syncthreads();
  }
  if (static_cast<int>(threadIdx.x) == best_owner[0]) out[blockIdx.x] = TileBest{bs, bq, bl, bp};
}

// a_i −= β_t c_i², and column t of C̃ = √β_t c.
__global__ void append_column_kernel(const double* c, std::int64_t n, const double* beta, int t, float* Ct,
                                     std::int64_t ldc, double* norms) {
  const std::int64_t i = static_cast<std::int64_t>(blockIdx.x) * blockDim.x + threadIdx.x;
  if (i >= n) return;
  const double b = beta[t], v = c[i];
  Ct[i * ldc + t] = static_cast<float>(sqrt(b) * v);
  norms[i] -= b * v * v;
}

__global__ void row_norms_kernel(const float* Y, std::int64_t n, std::int64_t d, double* norms) {
  const std::int64_t i = (static_cast<std::int64_t>(blockIdx.x) * blockDim.x + threadIdx.x) / 32;
  const int lane = threadIdx.x % 32;
  if (i >= n) return;
  double acc = 0;
  for (std::int64_t k = lane; k < d; k += 32) {
    const double v = Y[i * d + k];
    acc += v * v;
  }
  for (int off = 16; off > 0; off /= 2) acc += __shfl_down_sync(0xffffffffu, acc, off);
  if (lane == 0) norms[i] = acc;
}

struct Entry {
  TileBest best;
  std::int32_t tile;
  int stamp;  // step at which best is exact
};

struct Below {
  bool operator()(const Entry& x, const Entry& y) const {
    return x.best.score < y.best.score || (x.best.score == y.best.score && x.best.pos > y.best.pos);
  }
};

}  // namespace
}  // namespace arm

extern "C" int arm_cuda_cross_greedy(const float* features, int n, int d, const double* factor,
                                     const std::int32_t* prompt_ids, const double* rewards, int k,
                                     const volatile std::int32_t* cancel, std::int32_t* pairs_out, double* quadratic,
                                     double* lambdas) {
  using namespace arm;
  return guarded([&] {
    require(n > 1 && d > 0 && k > 0, "n must be at least 2, d and k positive");
    require_device();
    const std::int64_t N = n, D = d, ldc = k;
    DeviceBuffer<float> Y(static_cast<std::size_t>(N * D));
    {
      DeviceBuffer<float> phi(features, static_cast<std::size_t>(N * D));
      project_responses(phi.get(), Y.get(), N, D, factor);
    }
    DeviceBuffer<std::int32_t> prompts(prompt_ids, static_cast<std::size_t>(N));
    DeviceBuffer<double> r(rewards, static_cast<std::size_t>(N)), norms(static_cast<std::size_t>(N)),
        c(static_cast<std::size_t>(N));
    DeviceBuffer<float> Ct(static_cast<std::size_t>(N * ldc));
    DeviceBuffer<double> U(static_cast<std::size_t>(k) * D), beta(static_cast<std::size_t>(k)),
        scratch(static_cast<std::size_t>(k));
    DeviceBuffer<PickInfo> info(static_cast<std::size_t>(k));
    DeviceBuffer<int2> picked(static_cast<std::size_t>(k));
    const Directions dirs{U.get(), nullptr, beta.get(), scratch.get()};
    row_norms_kernel<<<blocks_for(N * 32, 256), 256>>>(Y.get(), N, D, norms.get());
    check_launch("row norms");

    std::vector<int2> tiles;
    for (std::int64_t I = 0; I * kTileM < N; ++I)
      for (std::int64_t J = 0; J * kTileN < N; ++J)
        if (J * kTileN + kTileN - 1 > I * kTileM) tiles.push_back(make_int2(static_cast<int>(I), static_cast<int>(J)));
    DeviceBuffer<int2> d_tiles(tiles.data(), tiles.size());
    DeviceBuffer<std::int32_t> d_batch(tiles.size());
    DeviceBuffer<TileBest> d_out(tiles.size());
    std::vector<TileBest> results(tiles.size());

    auto score = [&](const std::vector<std::int32_t>& batch, int t) {
      d_batch.upload(batch.data(), batch.size());
      cross_tile_kernel<<<static_cast<unsigned>(batch.size()), kGemmThreads>>>(
          d_batch.get(), d_tiles.get(), Y.get(), N, D, Ct.get(), ldc, t, norms.get(), prompts.get(), r.get(),
          picked.get(), d_out.get());
      check_launch("cross tiles");
      d_out.download(results.data(), batch.size());
    };

    std::priority_queue<Entry, std::vector<Entry>, Below> heap;
    {
      std::vector<std::int32_t> all(tiles.size());
      for (std::size_t e = 0; e < all.size(); ++e) all[e] = static_cast<std::int32_t>(e);
      score(all, 0);
      for (std::size_t e = 0; e < all.size(); ++e)
        if (results[e].pos >= 0) heap.push(Entry{results[e], all[e], 0});
    }
    int sms = 0;
    check(cudaDeviceGetAttribute(&sms, cudaDevAttrMultiProcessorCount, 0), "device attribute");
    const std::size_t batch_limit = static_cast<std::size_t>(std::max(2 * sms, 8));
    std::vector<std::int32_t> batch;
    std::vector<int> stamps;

    for (int t = 0; t < k; ++t) {
      if (cancel && *cancel) throw Failure(ARM_ABORTED, "aborted");
      // A stale top may be beaten once re-scored; a fresh top beats every bound below it.
      while (!heap.empty() && heap.top().stamp != t) {
        batch.clear();
        while (!heap.empty() && heap.top().stamp != t && batch.size() < batch_limit) {
          batch.push_back(heap.top().tile);
          heap.pop();
        }
        score(batch, t);
        for (std::size_t e = 0; e < batch.size(); ++e)
          if (results[e].pos >= 0) heap.push(Entry{results[e], batch[e], t});
      }
      if (heap.empty()) throw Failure(ARM_INVALID_ARGUMENT, "the cross-prompt pool has fewer than k pairs");
      const TileBest best = heap.top().best;
      const std::int32_t i = static_cast<std::int32_t>(best.pos / N), j = static_cast<std::int32_t>(best.pos % N);
      pairs_out[2 * t] = i;
      pairs_out[2 * t + 1] = j;
      quadratic[t] = best.q;
      lambdas[t] = best.lambda;
      // The tile keeps its (now stale) bound: still an upper bound, and the pick is excluded.
      const PickInfo pick{i, j, best.lambda, best.q};
      const int2 ij = make_int2(i, j);
      info.upload(&pick, 1, static_cast<std::size_t>(t));
      picked.upload(&ij, 1, static_cast<std::size_t>(t));
      if (t + 1 == k) break;
      append_direction(dirs, Y.get(), D, info.get(), t);
      multiply_rows(Y.get(), N, D, U.get() + static_cast<std::int64_t>(t) * D, c.get());
      append_column_kernel<<<blocks_for(N, 256), 256>>>(c.get(), N, beta.get(), t, Ct.get(), ldc, norms.get());
      check_launch("append column");
    }
    check(cudaDeviceSynchronize(), "cross greedy");
  });
}
