#include <cmath>
#include <limits>

#include "common.cuh"
#include "rank_one.cuh"

namespace arm {
namespace {

constexpr int kThreads = 256;

__device__ inline double block_sum(double v, double* shared) {
  for (int off = 16; off > 0; off /= 2) v += __shfl_down_sync(0xffffffffu, v, off);
  const int warp = threadIdx.x / 32, lane = threadIdx.x % 32;
  if (lane == 0) shared[warp] = v;
  __syncthreads();
  double total = 0;
  if (threadIdx.x == 0)
    for (int w = 0; w < static_cast<int>(blockDim.x / 32); ++w) total += shared[w];
  return total;  // valid in thread 0 only
}

// scratch[s] = u_s · z for s < t: one block per earlier direction.
__global__ void direction_dots_kernel(Directions dirs, const float* Y, std::int64_t d, const PickInfo* info, int t) {
  __shared__ double shared[kThreads / 32];
  const int s = blockIdx.x;
  const float* ya = Y + static_cast<std::int64_t>(info[t].a) * d;
  const float* yb = Y + static_cast<std::int64_t>(info[t].b) * d;
  const double* us = dirs.U + static_cast<std::int64_t>(s) * d;
  double acc = 0;
  for (std::int64_t k = threadIdx.x; k < d; k += blockDim.x)
    acc += us[k] * (static_cast<double>(ya[k]) - static_cast<double>(yb[k]));
  const double total = block_sum(acc, shared);
  if (threadIdx.x == 0) dirs.scratch[s] = total;
}

// u_t = z − Σ_s β_s (u_s·z) u_s. 32 columns per block; the 8 warps split the earlier directions
// (t reaches 1024: one thread per column looping over all of them left the GPU idle) and their
// partial sums are added in warp order, so the result is deterministic.
__global__ void direction_combine_kernel(Directions dirs, const float* Y, std::int64_t d, const PickInfo* info,
                                         int t) {
  __shared__ double part[kThreads / 32][32];
  const int lane = threadIdx.x % 32, warp = threadIdx.x / 32;
  const std::int64_t k = static_cast<std::int64_t>(blockIdx.x) * 32 + lane;
  const PickInfo p = info[t];
  if (blockIdx.x == 0 && threadIdx.x == 0) dirs.beta[t] = p.lambda / (1.0 + p.lambda * p.q);
  double acc = 0;
  if (k < d)
    for (int s = warp; s < t; s += kThreads / 32)
      acc += (dirs.beta[s] * dirs.scratch[s]) * dirs.U[static_cast<std::int64_t>(s) * d + k];
  part[warp][lane] = acc;
  __syncthreads();
  if (warp != 0 || k >= d) return;
  double u = static_cast<double>(Y[static_cast<std::int64_t>(p.a) * d + k]) -
             static_cast<double>(Y[static_cast<std::int64_t>(p.b) * d + k]);
  for (int w = 0; w < kThreads / 32; ++w) u -= part[w][lane];
  dirs.U[static_cast<std::int64_t>(t) * d + k] = u;
  if (dirs.Uf) dirs.Uf[static_cast<std::int64_t>(t) * d + k] = static_cast<float>(u);
}

// One warp per row.
__global__ void multiply_rows_kernel(const float* Y, std::int64_t n, std::int64_t d, const double* u, double* c) {
  const std::int64_t i = (static_cast<std::int64_t>(blockIdx.x) * blockDim.x + threadIdx.x) / 32;
  const int lane = threadIdx.x % 32;
  if (i >= n) return;
  const float* y = Y + i * d;
  double acc = 0;
  for (std::int64_t k = lane; k < d; k += 32) acc += static_cast<double>(y[k]) * u[k];
  for (int off = 16; off > 0; off /= 2) acc += __shfl_down_sync(0xffffffffu, acc, off);
  if (lane == 0) c[i] = acc;
}

struct Candidate {
  double score;
  std::int64_t pos;  // −1: none
};

__device__ inline bool better(const Candidate& x, const Candidate& y) {
  if (x.pos < 0) return false;
  if (y.pos < 0) return true;
  return x.score > y.score || (x.score == y.score && x.pos < y.pos);
}

__device__ inline Candidate block_best(Candidate c, Candidate* shared) {
  shared[threadIdx.x] = c;
  __syncthreads();
  for (int stride = blockDim.x / 2; stride > 0; stride /= 2) {
    if (threadIdx.x < stride && better(shared[threadIdx.x + stride], shared[threadIdx.x]))
      shared[threadIdx.x] = shared[threadIdx.x + stride];
    __syncthreads();
  }
  return shared[0];
}

__global__ void argmax_partial_kernel(const double* scores, std::int64_t m, Candidate* partial) {
  __shared__ Candidate shared[kThreads];
  Candidate best{0.0, -1};
  for (std::int64_t p = static_cast<std::int64_t>(blockIdx.x) * blockDim.x + threadIdx.x; p < m;
       p += static_cast<std::int64_t>(gridDim.x) * blockDim.x) {
    const double s = scores[p];
    if (s == -INFINITY) continue;
    const Candidate c{s, p};
    if (better(c, best)) best = c;
  }
  const Candidate b = block_best(best, shared);
  if (threadIdx.x == 0) partial[blockIdx.x] = b;
}

__global__ void argmax_final_kernel(const Candidate* partial, int count, double* scores, std::int32_t* winner,
                                    const std::int32_t* pairs, const double* lambdas, const double* q,
                                    PickInfo* info, std::int32_t* picks, double* quadratic, int t) {
  __shared__ Candidate shared[kThreads];
  Candidate best{0.0, -1};
  for (int e = threadIdx.x; e < count; e += blockDim.x)
    if (better(partial[e], best)) best = partial[e];
  const Candidate b = block_best(best, shared);
  if (threadIdx.x != 0) return;
  *winner = static_cast<std::int32_t>(b.pos);
  if (!info || b.pos < 0) return;
  const std::int64_t p = b.pos;
  info[t] = PickInfo{pairs[2 * p], pairs[2 * p + 1], lambdas[p], q[p]};
  picks[t] = static_cast<std::int32_t>(p);
  quadratic[t] = q[p];
  scores[p] = -INFINITY;
}

}  // namespace

struct ArgmaxScratch {
  DeviceBuffer<Candidate> partial;
  int blocks;
  explicit ArgmaxScratch(int b) : partial(static_cast<std::size_t>(b)), blocks(b) {}
};

ArgmaxScratch* argmax_scratch(std::int64_t m) {
  const std::int64_t want = (m + kThreads - 1) / kThreads;
  return new ArgmaxScratch(static_cast<int>(want < 1024 ? (want < 1 ? 1 : want) : 1024));
}

void free_argmax_scratch(ArgmaxScratch* s) { delete s; }

void argmax_scores(ArgmaxScratch* scratch, double* scores, std::int64_t m, std::int32_t* d_winner,
                   const std::int32_t* pairs, const double* lambdas, const double* q, PickInfo* d_info,
                   std::int32_t* d_picks, double* d_quadratic, int t) {
  argmax_partial_kernel<<<scratch->blocks, kThreads>>>(scores, m, scratch->partial.get());
  check_launch("argmax partial");
  argmax_final_kernel<<<1, kThreads>>>(scratch->partial.get(), scratch->blocks, scores, d_winner, pairs, lambdas, q,
                                       d_info, d_picks, d_quadratic, t);
  check_launch("argmax final");
}

void append_direction(const Directions& dirs, const float* Y, std::int64_t d, const PickInfo* d_info, int t) {
  if (t > 0) {
    direction_dots_kernel<<<t, kThreads>>>(dirs, Y, d, d_info, t);
    check_launch("direction dots");
  }
  direction_combine_kernel<<<blocks_for(d, 32), kThreads>>>(dirs, Y, d, d_info, t);
  check_launch("direction combine");
}

void multiply_rows(const float* Y, std::int64_t n, std::int64_t d, const double* u, double* c) {
  multiply_rows_kernel<<<blocks_for(n * 32, kThreads), kThreads>>>(Y, n, d, u, c);
  check_launch("multiply rows");
}

}  // namespace arm
