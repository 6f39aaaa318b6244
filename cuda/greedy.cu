// Greedy D-optimal selection over an explicit pair list, entirely on the device; the host only
// queues launches (and, for lazy greedy, reads one counter per step).
//
// Plain: every step downdates every q_p with c = Y u_t (one pass over Y per pick).
// Lazy: scores s_p are upper bounds (log det is submodular, so q only decreases). Each step
// re-scores the best stale candidate p1, then every candidate whose bound could still beat it,
// exactly: q_p = q_base,p − Σ_{s ≥ sync} β_s (u_s·z_p)². When that set is large, all pairs are
// caught up at once with a GEMM C = Y·[u_sync … u_{t−1}]ᵀ (one pass over Y for many picks).
// Both give the plain-greedy picks, ties to the lower position.
#include <algorithm>
#include <cmath>
#include <vector>

#include "common.cuh"
#include "gemm_nt.cuh"
#include "pair_scores.cuh"
#include "projection.cuh"
#include "rank_one.cuh"

namespace arm {
namespace {

constexpr int kThreads = 256;
constexpr int kMaxLag = 128;  // picks between catch-ups: bounds the C buffer and re-score cost

__global__ void init_scores_kernel(const double* q, const double* lambdas, std::int64_t m, double* s) {
  const std::int64_t p = static_cast<std::int64_t>(blockIdx.x) * blockDim.x + threadIdx.x;
  if (p < m) s[p] = lambdas[p] * q[p];
}

// q_p −= β_t (c_i − c_j)², excluded pairs (s = −∞) untouched.
__global__ void downdate_kernel(const std::int32_t* pairs, std::int64_t m, const double* c, const double* beta,
                                int t, const double* lambdas, double* q, double* s) {
  const std::int64_t p = static_cast<std::int64_t>(blockIdx.x) * blockDim.x + threadIdx.x;
  if (p >= m || s[p] == -INFINITY) return;
  const double diff = c[pairs[2 * p]] - c[pairs[2 * p + 1]];
  q[p] -= beta[t] * (diff * diff);
  s[p] = lambdas[p] * q[p];
}

// Candidates whose bound could beat the freshly scored p1 (ties count when at a lower position).
__global__ void mark_kernel(const double* s, std::int64_t m, const std::int32_t* p1, std::int32_t* list,
                            std::int32_t* count) {
  const std::int64_t p = static_cast<std::int64_t>(blockIdx.x) * blockDim.x + threadIdx.x;
  if (p >= m) return;
  const std::int64_t w = *p1;
  const double f = s[w];
  const double v = s[p];
  if (p == w || v == -INFINITY) return;
  if (v > f || (v == f && p < w)) list[atomicAdd(count, 1)] = static_cast<std::int32_t>(p);
}

// Exact score of the listed candidates: one block each, one warp per earlier direction.
__global__ void rescore_kernel(const std::int32_t* list, const std::int32_t* pairs, const float* Y, std::int64_t d,
                               const double* U, const double* beta, int from, int t, const double* qbase,
                               const double* lambdas, double* q, double* s) {
  __shared__ double partial[kThreads / 32];
  const std::int64_t p = list[blockIdx.x];
  const float* ya = Y + static_cast<std::int64_t>(pairs[2 * p]) * d;
  const float* yb = Y + static_cast<std::int64_t>(pairs[2 * p + 1]) * d;
  const int warp = threadIdx.x / 32, lane = threadIdx.x % 32;
  double drop = 0;
  for (int sdx = from + warp; sdx < t; sdx += kThreads / 32) {
    const double* u = U + static_cast<std::int64_t>(sdx) * d;
    double dot = 0;
    for (std::int64_t k = lane; k < d; k += 32) dot += u[k] * (static_cast<double>(ya[k]) - static_cast<double>(yb[k]));
    for (int off = 16; off > 0; off /= 2) dot += __shfl_down_sync(0xffffffffu, dot, off);
    if (lane == 0) drop += beta[sdx] * (dot * dot);
  }
  if (lane == 0) partial[warp] = drop;
  __syncthreads();
  if (threadIdx.x != 0) return;
  double total = 0;
  for (int w = 0; w < kThreads / 32; ++w) total += partial[w];
  q[p] = qbase[p] - total;
  s[p] = lambdas[p] * q[p];
}

// C (n × r, float64) = Y · Uf[from : from + r]ᵀ.
__global__ void __launch_bounds__(kGemmThreads) catch_up_gemm_kernel(const float* Y, std::int64_t n, std::int64_t d,
                                                                     const float* Uf, int r, double* C) {
  __shared__ GemmShared sh;
  TileAcc acc;
  gemm_zero(acc);
  const std::int64_t m0 = static_cast<std::int64_t>(blockIdx.x) * kTileM;
  const std::int64_t n0 = static_cast<std::int64_t>(blockIdx.y) * kTileN;
  gemm_nt_accumulate(acc, sh, Y, d, m0, n, Uf, d, n0, r, d, 1.0);
#pragma unroll
  for (int i = 0; i < kThreadM; ++i)
#pragma unroll
    for (int j = 0; j < kThreadN; ++j) {
      const std::int64_t row = m0 + gemm_row(i), col = n0 + gemm_col(j);
      if (row < n && col < r) C[row * r + col] = acc.v[i][j];
    }
}

__global__ void catch_up_pairs_kernel(const std::int32_t* pairs, std::int64_t m, const double* C, int r,
                                      const double* beta, const double* lambdas, double* qbase, double* q,
                                      double* s) {
  const std::int64_t p = static_cast<std::int64_t>(blockIdx.x) * blockDim.x + threadIdx.x;
  if (p >= m || s[p] == -INFINITY) return;
  const double* ci = C + static_cast<std::int64_t>(pairs[2 * p]) * r;
  const double* cj = C + static_cast<std::int64_t>(pairs[2 * p + 1]) * r;
  double v = qbase[p];
  for (int x = 0; x < r; ++x) {
    const double diff = ci[x] - cj[x];
    v -= beta[x] * (diff * diff);
  }
  qbase[p] = v;
  q[p] = v;
  s[p] = lambdas[p] * v;
}

struct Run {
  std::int64_t n, d, m;
  int k;
  DeviceBuffer<float> Y;
  DeviceBuffer<std::int32_t> pairs;
  DeviceBuffer<double> lambdas, q, s;
  DeviceBuffer<double> U, beta, scratch;
  DeviceBuffer<float> Uf;
  DeviceBuffer<PickInfo> info;
  DeviceBuffer<std::int32_t> picks, winner;
  DeviceBuffer<double> quadratic;
  ArgmaxScratch* argmax;

  Run(std::int64_t n_, std::int64_t d_, std::int64_t m_, int k_, bool lazy)
      : n(n_), d(d_), m(m_), k(k_), Y(static_cast<std::size_t>(n_ * d_)), pairs(static_cast<std::size_t>(2 * m_)),
        lambdas(static_cast<std::size_t>(m_)), q(static_cast<std::size_t>(m_)), s(static_cast<std::size_t>(m_)),
        U(static_cast<std::size_t>(k_) * d_), beta(static_cast<std::size_t>(k_)), scratch(static_cast<std::size_t>(k_)),
        Uf(lazy ? static_cast<std::size_t>(k_) * d_ : 0), info(static_cast<std::size_t>(k_)),
        picks(static_cast<std::size_t>(k_)), winner(1), quadratic(static_cast<std::size_t>(k_)),
        argmax(argmax_scratch(m_)) {}
  ~Run() { free_argmax_scratch(argmax); }
  Directions dirs() { return Directions{U.get(), Uf.get(), beta.get(), scratch.get()}; }
};

bool cancelled(const volatile std::int32_t* cancel) { return cancel && *cancel != 0; }

void plain(Run& r, const volatile std::int32_t* cancel) {
  DeviceBuffer<double> c(static_cast<std::size_t>(r.n));
  const unsigned grid = blocks_for(r.m, kThreads);
  for (int t = 0; t < r.k; ++t) {
    // Launches are queued ahead of the device; synchronizing now and then keeps cancel prompt.
    if (t % 16 == 0) {
      check(cudaDeviceSynchronize(), "greedy step");
      if (cancelled(cancel)) throw Failure(ARM_ABORTED, "aborted");
    }
    argmax_scores(r.argmax, r.s.get(), r.m, r.winner.get(), r.pairs.get(), r.lambdas.get(), r.q.get(), r.info.get(),
                  r.picks.get(), r.quadratic.get(), t);
    if (t + 1 == r.k) break;
    append_direction(r.dirs(), r.Y.get(), r.d, r.info.get(), t);
    multiply_rows(r.Y.get(), r.n, r.d, r.U.get() + static_cast<std::int64_t>(t) * r.d, c.get());
    downdate_kernel<<<grid, kThreads>>>(r.pairs.get(), r.m, c.get(), r.beta.get(), t, r.lambdas.get(), r.q.get(),
                                        r.s.get());
    check_launch("downdate");
  }
}

void lazy(Run& r, const volatile std::int32_t* cancel) {
  DeviceBuffer<double> qbase(static_cast<std::size_t>(r.m));
  check(cudaMemcpy(qbase.get(), r.q.get(), sizeof(double) * r.m, cudaMemcpyDeviceToDevice), "copy q");
  DeviceBuffer<std::int32_t> list(static_cast<std::size_t>(r.m)), count(1);
  DeviceBuffer<double> C(static_cast<std::size_t>(r.n) * kMaxLag);
  const unsigned grid = blocks_for(r.m, kThreads);
  const std::int64_t cap = std::max<std::int64_t>(1024, r.n / 8);
  int sync = 0;  // qbase is exact as of this step
  auto catch_up = [&](int t) {
    const int lag = t - sync;
    if (lag <= 0) return;
    catch_up_gemm_kernel<<<dim3(blocks_for(r.n, kTileM), blocks_for(lag, kTileN)), kGemmThreads>>>(
        r.Y.get(), r.n, r.d, r.Uf.get() + static_cast<std::int64_t>(sync) * r.d, lag, C.get());
    check_launch("catch-up gemm");
    catch_up_pairs_kernel<<<grid, kThreads>>>(r.pairs.get(), r.m, C.get(), lag, r.beta.get() + sync,
                                              r.lambdas.get(), qbase.get(), r.q.get(), r.s.get());
    check_launch("catch-up pairs");
    sync = t;
  };
  for (int t = 0; t < r.k; ++t) {
    if (cancelled(cancel)) throw Failure(ARM_ABORTED, "aborted");
    if (t - sync >= kMaxLag) catch_up(t);
    argmax_scores(r.argmax, r.s.get(), r.m, r.winner.get(), nullptr, nullptr, nullptr, nullptr, nullptr, nullptr, t);
    if (t > sync) {
      rescore_kernel<<<1, kThreads>>>(r.winner.get(), r.pairs.get(), r.Y.get(), r.d, r.U.get(), r.beta.get(), sync, t,
                                      qbase.get(), r.lambdas.get(), r.q.get(), r.s.get());
      check_launch("rescore best");
      count.zero();
      mark_kernel<<<grid, kThreads>>>(r.s.get(), r.m, r.winner.get(), list.get(), count.get());
      check_launch("mark");
      std::int32_t marked = 0;
      count.download(&marked, 1);
      if (marked > cap) {
        catch_up(t);
      } else if (marked > 0) {
        rescore_kernel<<<static_cast<unsigned>(marked), kThreads>>>(list.get(), r.pairs.get(), r.Y.get(), r.d,
                                                                   r.U.get(), r.beta.get(), sync, t, qbase.get(),
                                                                   r.lambdas.get(), r.q.get(), r.s.get());
        check_launch("rescore marked");
      }
    }
    // Every candidate that could win is now exact; the argmax records the pick.
    argmax_scores(r.argmax, r.s.get(), r.m, r.winner.get(), r.pairs.get(), r.lambdas.get(), r.q.get(), r.info.get(),
                  r.picks.get(), r.quadratic.get(), t);
    if (t + 1 < r.k) append_direction(r.dirs(), r.Y.get(), r.d, r.info.get(), t);
  }
}

}  // namespace
}  // namespace arm

extern "C" int arm_cuda_greedy(const float* features, int n, int d, const double* factor, const std::int32_t* pairs,
                               std::int64_t m, const double* lambdas, int k, int lazy,
                               const volatile std::int32_t* cancel, std::int32_t* picks, double* quadratic) {
  using namespace arm;
  return guarded([&] {
    require(n > 0 && d > 0 && m > 0, "n, d and the number of pairs must be positive");
    require(k > 0 && k <= m, "k must be in 1..m");
    require_device();
    Run r(n, d, m, k, lazy != 0);
    {
      DeviceBuffer<float> phi(features, static_cast<std::size_t>(n) * d);
      project_responses(phi.get(), r.Y.get(), n, d, factor);
    }
    r.pairs.upload(pairs, static_cast<std::size_t>(2 * m));
    r.lambdas.upload(lambdas, static_cast<std::size_t>(m));
    pair_distances(r.Y.get(), d, r.pairs.get(), m, r.q.get());
    init_scores_kernel<<<blocks_for(m, kThreads), kThreads>>>(r.q.get(), r.lambdas.get(), m, r.s.get());
    check_launch("init scores");
    if (lazy)
      arm::lazy(r, cancel);
    else
      plain(r, cancel);
    check(cudaDeviceSynchronize(), "greedy");
    r.picks.download(picks, static_cast<std::size_t>(k));
    r.quadratic.download(quadratic, static_cast<std::size_t>(k));
  });
}
