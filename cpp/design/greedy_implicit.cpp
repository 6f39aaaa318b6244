#include "design/greedy_implicit.h"

#include <algorithm>
#include <atomic>
#include <cmath>
#include <limits>
#include <mutex>
#include <vector>

#include "design/greedy_directions.h"
#include "design/implicit_block_filter.h"
#include "design/pair_scores.h"
#include "design/response_bounds.h"
#include "gemm/gemm.h"
#include "linalg/cholesky.h"
#include "linalg/isa.h"
#include "linalg/thread_pool.h"

namespace arm {

namespace {

constexpr int kLanes = 32;
// From how many lanes left by the response bound a block is bounded in the metric all at once
// (all 64 distances) rather than lane by lane: the whole block costs 64·d, a lane alone about
// d plus a horizontal sum and a gather. Measured break-even: ~8 lanes at d = 128, ~32 at d = 512.
inline int metric_block_lanes(std::int64_t d) { return static_cast<int>(std::clamp<std::int64_t>(d / 16, 8, 48)); }
constexpr float kNaN = std::numeric_limits<float>::quiet_NaN();
constexpr double kEps = std::numeric_limits<double>::epsilon();
constexpr double kNegInf = -std::numeric_limits<double>::infinity();

// Whole rows [i0, i1) of the triangular numbering, scanned by one task.
struct Range {
  std::int64_t i0, i1;
};

// Up to 512 runs of rows holding about equal numbers of pairs (at least 65,536 each).
std::vector<Range> split(std::int64_t n, std::int64_t total) {
  const std::int64_t count = std::max<std::int64_t>(1, std::min<std::int64_t>(512, total / 65536));
  std::vector<Range> ranges;
  std::int64_t i = 0;
  for (std::int64_t r = 1; r <= count && i < n - 1; ++r) {
    const std::int64_t target = total * r / count;
    std::int64_t end = i + 1;
    while (end < n - 1 && triangle_row_start(n, end) < target) ++end;
    if (r == count) end = n - 1;
    ranges.push_back({i, end});
    i = end;
  }
  return ranges;
}

// Rows this many at a time, column block by column block: the group's rows read the same 64
// rows w_j, which stay in cache for all of them (row by row, every row streams all n).
constexpr std::int64_t kGroup = 8;

// body(e_begin, e_end, i, j_begin) for each (row, column block) of the range, 64-column blocks
// aligned on j, a group of rows at a time.
template <class Body>
void for_each_block(const Range& r, std::int64_t n, std::int64_t block, Body&& body) {
  for (std::int64_t g0 = r.i0; g0 < r.i1; g0 += kGroup) {
    const std::int64_t g1 = std::min(r.i1, g0 + kGroup);
    for (std::int64_t jc = (g0 + 1) / block * block; jc < n; jc += block) {
      for (std::int64_t i = g0; i < g1; ++i) {
        const std::int64_t lo = std::max(jc, i + 1), hi = std::min(n, jc + block);
        if (lo >= hi) continue;
        const std::int64_t b0 = triangle_row_start(n, i) + (lo - i - 1);
        body(b0, b0 + (hi - lo), i, lo);
      }
    }
  }
}

// A head member: a pair whose q is kept current pick by pick. e < 0 once it is picked.
struct Member {
  std::int64_t e;
  std::int32_t i, j;
  double q, lambda;
};

// The current metric P_t = I − Σ_{s<t} β_s u_s u_sᵀ (M_t⁻¹ in projected coordinates) factored as
// R Rᵀ, and every response mapped through it, w_i = Rᵀ y_i, so that q_ij(t) = ‖w_i − w_j‖²: a
// bound on a pair's score in O(d) at any step, instead of O(t) from the c history. It is a bound,
// not the score, and it is read in float32 (half the bytes, twice the lanes), centred on the mean
// of w so that float rounding is relative to the spread of the responses, not their offset.
//
// Margins. (1) P, R and W round differently from the serial downdates: the difference is at most
// a few (t + d²)·u·(‖y_i‖² + ‖y_j‖²) (the c_s errors summed by Cauchy–Schwarz with
// Σ_s β_s ‖u_s‖² = tr(I − P) ≤ d; the factor's backward error d²·u·‖P‖, ‖P‖ ≤ 1), covered by
// 64·(t + d²)·ε·(‖y_i‖² + ‖y_j‖²). (2) The float32 rows and distance: at most (d + 6)·u₃₂·
// 2(g_i + g_j) with g_i = ‖w_i − w̄‖², covered by 4·(d + 8)·ε₃₂·(g_i + g_j).
struct CurrentMetric {
  const double* Y;
  std::int64_t n, d;
  std::vector<double> P, R, W, norm2, centred2;
  std::vector<double> scaled, reversed;  // β_s u_s and u_s in reversed coordinates, one row per pick
  std::vector<float> rows;  // w_i − w̄ in float32
  MetricTiles tiles;        // the same, transposed in tiles of 16 responses
  CurrentMetric(const double* y, std::int64_t count, std::int64_t dim)
      : Y(y), n(count), d(dim), P(static_cast<std::size_t>(dim * dim)), R(static_cast<std::size_t>(dim * dim)),
        W(static_cast<std::size_t>(count * dim)), norm2(static_cast<std::size_t>(count)),
        centred2(static_cast<std::size_t>(count)), rows(static_cast<std::size_t>(count * dim)) {
    for (std::int64_t i = 0; i < n; ++i) norm2[i] = dot_product(Y + i * d, Y + i * d, d);
  }
  // False when P_t is not numerically positive definite (then the caller bounds from the history).
  //
  // R is upper triangular, so that W = Y R costs half a full product: P is factored with its
  // coordinates reversed, J P J = L Lᵀ (J the reversal), and R = J L J.
  bool update(const Directions& dirs, std::int64_t t) {
    const std::int64_t last = d - 1;
    // P = I − Σ_s β_s u_s u_sᵀ in reversed coordinates, as one GEMM: I − (B U)ᵀ U with the rows
    // of U the reversed u_s and B = diag(β).
    scaled.resize(static_cast<std::size_t>(t * d));
    reversed.resize(static_cast<std::size_t>(t * d));
    for (std::int64_t s = 0; s < t; ++s) {
      const double* u = dirs.at(s);
      for (std::int64_t a = 0; a < d; ++a) {
        reversed[s * d + a] = u[last - a];
        scaled[s * d + a] = dirs.beta[s] * u[last - a];
      }
    }
    for (std::int64_t a = 0; a < d; ++a)
      for (std::int64_t b = 0; b < d; ++b) P[a * d + b] = a == b ? 1.0 : 0.0;
    GemmOptions minus;
    minus.alpha = -1.0;
    minus.accumulate = true;
    gemm<double>(d, d, t, StridedMatrix<double>{scaled.data(), 1, d}, StridedMatrix<double>{reversed.data(), d, 1},
                 P.data(), d, minus);
    double log_det = 0.0, pivot = 0.0;
    if (cholesky_in_place(P.data(), d, &log_det, &pivot) >= 0) return false;
    for (std::int64_t a = 0; a < d; ++a)
      for (std::int64_t b = 0; b < d; ++b) R[a * d + b] = b >= a ? P[(last - a) * d + (last - b)] : 0.0;
    GemmOptions options;  // W = Y R: row i is Rᵀ y_i
    options.b_upper = true;
    gemm<double>(n, d, d, StridedMatrix<double>{Y, d, 1}, StridedMatrix<double>{R.data(), d, 1}, W.data(), d, options);
    std::vector<double> mean(static_cast<std::size_t>(d), 0.0);
    for (std::int64_t i = 0; i < n; ++i)
      for (std::int64_t c = 0; c < d; ++c) mean[c] += W[i * d + c];
    for (double& x : mean) x /= static_cast<double>(n);
    for (std::int64_t i = 0; i < n; ++i) {
      double g = 0.0;
      for (std::int64_t c = 0; c < d; ++c) {
        const double x = W[i * d + c] - mean[c];
        rows[i * d + c] = static_cast<float>(x);
        g += x * x;
      }
      centred2[i] = g;
    }
    tiles.build(rows.data(), n, d);
    return true;
  }
};

}  // namespace

GreedyStatus greedy_implicit(const ImplicitGreedyInput& in, std::int32_t* out_pairs, double* quadratic,
                             std::int64_t* downdates) {
  const ImplicitPool& pool = in.pool;
  const std::int64_t n = pool.n, d = in.d, k = in.k;
  const double* Y = in.Y;
  const std::int64_t total = triangle_size(n);
  const std::vector<Range> ranges = split(n, total);
  const std::size_t R = ranges.size();
  std::vector<float> bound(static_cast<std::size_t>(total));
  ResponseBounds radius(Y, n, d, k);
  std::vector<double> history(static_cast<std::size_t>(n * k));  // c_s[i] at i·k + s
  std::vector<double> c(static_cast<std::size_t>(n));
  std::vector<double> range_max(R, kNegInf);
  // The largest of the bounds a pass computed afresh (current metric or exact), by range.
  std::vector<double> range_fresh(R, kNegInf);
  std::vector<std::vector<Member>> found(R);
  std::vector<std::int64_t> caught(R, 0), evaluated(R, 0);
  Directions dirs(d, k);
  CurrentMetric metric(Y, n, d);
  const ImplicitFilterKernels& filters = implicit_filters();
  const int block_lanes = metric_block_lanes(d);
  std::vector<double> metric_margin(static_cast<std::size_t>(n));  // the metric bound's margin, per response
  std::atomic<bool> stop{false};
  auto cancelled = [&]() {
    if (in.cancel && *in.cancel) stop.store(true, std::memory_order_relaxed);
    return stop.load(std::memory_order_relaxed);
  };

  // Every member's first bound: λ (q̃0 + margin), with q̃0 the float32 distance of the centred
  // rows, 64 pairs and up to four rows at a time from tiles (the scan's metric bound at P = I; an
  // O(d) distance per pair reads both rows from memory each time). The margin covers the float32
  // rows and distance, at most (d + 6)·u₃₂·2(g_i + g_j) (as the scan's metric margin), and how
  // plain greedy's q0 (the fixed-order float64 distance of the raw rows) rounds, (d + 2)·u·2(g_i +
  // g_j): 4(d + 8)·(ε₃₂ + ε)·(g_i + g_j) covers both twice over.
  {
    std::vector<float> centred(static_cast<std::size_t>(n * d));
    std::vector<double> g(static_cast<std::size_t>(n)), mean(static_cast<std::size_t>(d), 0.0);
    for (std::int64_t i = 0; i < n; ++i)
      for (std::int64_t c = 0; c < d; ++c) mean[c] += Y[i * d + c];
    for (double& x : mean) x /= static_cast<double>(n);
    for (std::int64_t i = 0; i < n; ++i) {
      double sum = 0.0;
      for (std::int64_t c = 0; c < d; ++c) {
        const double x = Y[i * d + c] - mean[c];
        centred[i * d + c] = static_cast<float>(x);
        sum += x * x;
      }
      g[i] = sum;
    }
    MetricTiles tiles;
    tiles.build(centred.data(), n, d);
    const double margin = 4.0 * static_cast<double>(d + 8) * (static_cast<double>(std::numeric_limits<float>::epsilon()) + kEps);
    // Tasks of kRows rows sweep the column blocks right of them; each tile block read from memory
    // serves all of a task's rows.
    const std::int64_t kRows = 64;
    const std::int64_t blocks = (n + kRows - 1) / kRows;
    std::vector<double> block_high(static_cast<std::size_t>(blocks), kNegInf);
    parallel_for(static_cast<std::size_t>(blocks), [&](std::size_t rb) {
      if (cancelled()) return;
      const std::int64_t i0 = static_cast<std::int64_t>(rb) * kRows, i1 = std::min(n, i0 + kRows);
      float distance[4 * kBlock];
      double high = kNegInf;
      for (std::int64_t jc = (i0 + 1) / kBlock * kBlock; jc < n; jc += kBlock) {
        const std::int64_t c1 = std::min(n, jc + kBlock);
        for (std::int64_t g0 = i0; g0 < i1 && g0 + 1 < c1; g0 += 4) {
          const int count = static_cast<int>(std::min<std::int64_t>(4, i1 - g0));
          const float* xs[4];
          for (int x = 0; x < count; ++x) xs[x] = centred.data() + (g0 + x) * d;
          filters.block_distances_rows(xs, count, tiles.block(jc), d, distance);
          for (int x = 0; x < count; ++x) {
            const std::int64_t i = g0 + x, j0 = std::max(jc, i + 1);
            if (j0 >= c1) continue;
            const float* dist = distance + x * kBlock - jc;  // dist[j]: the pair (i, j)
            const std::int64_t start = triangle_row_start(n, i) - i - 1;
            if (pool.exp_rewards) {  // eight pairs side by side
              high = std::max(high, filters.first_bounds(bound.data() + start + j0, c1 - j0, pool.exp_rewards[i],
                                                         pool.exp_rewards + j0, g[i], g.data() + j0, dist + j0, margin,
                                                         pool.cross ? pool.prompt[i] : 0, pool.cross ? pool.prompt + j0 : nullptr));
              continue;
            }
            for (std::int64_t j = j0; j < c1; ++j) {
              const std::int64_t e = start + j;
              if (!pool.member(i, j)) {
                bound[e] = kNaN;
                continue;
              }
              const double q = static_cast<double>(dist[j]) + margin * (g[i] + g[j]);
              bound[e] = round_up_to_float(pool.lambda(i, j) * q);
              high = std::max(high, static_cast<double>(bound[e]));
            }
          }
        }
      }
      block_high[rb] = high;
    });
    range_max.assign(R, kNegInf);
    range_max[0] = *std::max_element(block_high.begin(), block_high.end());
  }
  if (stop.load()) return GreedyStatus::cancelled;
  for (std::int64_t p = 0; p < pool.excluded_m; ++p) {
    const std::int64_t a = pool.excluded[2 * p], b = pool.excluded[2 * p + 1];
    if (a == b) continue;
    const std::int64_t i = std::min(a, b), j = std::max(a, b);
    bound[triangle_row_start(n, i) + (j - i - 1)] = kNaN;
  }
  double reference = *std::max_element(range_max.begin(), range_max.end());
  double ratio = 0.9;  // as greedy_blocked: adapts so that a head certifies some tens of picks
  std::int64_t done = 0;
  std::vector<Member> head;

  std::int64_t t = 0;
  while (t < k) {
    if (in.progress) *in.progress = static_cast<std::int32_t>(t);
    if (cancelled()) return GreedyStatus::cancelled;
    // The edge may rise during the pass (never fall) when the head grows past head_cap: a pair
    // left outside has a bound below the edge it was compared with, so below the final edge, which
    // is what certifies the head's picks. Members below the final edge go back after the pass.
    std::atomic<double> live_edge{reference > 0.0 ? reference * ratio : kNegInf};
    std::atomic<std::int64_t> admitted{0};
    std::mutex raising;
    const double top = reference;
    const std::int64_t now = t;
    const bool use_metric = now > 0 && metric.update(dirs, now);
    const float* rows = metric.rows.data();
    const double metric_slack = 64.0 * static_cast<double>(now + d * d) * kEps;
    const double float_slack = 4.0 * static_cast<double>(d + 8) * std::numeric_limits<float>::epsilon();
    if (use_metric)
      for (std::int64_t i = 0; i < n; ++i) metric_margin[i] = float_slack * metric.centred2[i] + metric_slack * metric.norm2[i];
    parallel_for(R, [&](std::size_t r) {
      std::vector<Member>& f = found[r];
      f.clear();
      if (cancelled()) return;
      double edge = live_edge.load(std::memory_order_relaxed);
      double outside = kNegInf;  // the largest bound left outside the head
      double fresh_high = kNegInf;
      std::int64_t local = 0, exact = 0;
      Member lane[kLanes];
      double lane_bound[kLanes];
      int lanes = 0;
      // The queued pairs' q at `now`, first as an upper bound: ‖w_i − w_j‖² in the current metric
      // (O(d) however many picks were made), or, when that metric could not be factored,
      // q0 − Σ_s β_s (c_s[i] − c_s[j])² summed in vector order; each plus a margin for how
      // differently plain greedy's serial chain may round. Only pairs whose bound still reaches
      // the edge get the exact serial chain (q0, then the downdates in pick order).
      auto flush = [&]() {
        std::int32_t lane_pairs[2 * kLanes];
        double upper_q[kLanes];
        for (int l = 0; l < lanes; ++l) {
          lane_pairs[2 * l] = lane[l].i;
          lane_pairs[2 * l + 1] = lane[l].j;
        }
        if (use_metric) {  // the lanes share one row i (flushed at each block's end)
          const std::int64_t i = lane[0].i;
          std::int32_t js[kLanes];
          float distance[kLanes];
          for (int l = 0; l < lanes; ++l) js[l] = lane[l].j;
          filters.row_distances(rows + i * d, rows, d, js, lanes, distance);
          for (int l = 0; l < lanes; ++l) {
            const std::int64_t j = lane[l].j;
            upper_q[l] = static_cast<double>(distance[l]) + (metric_margin[i] + metric_margin[j]);
          }
        } else {
          double q0[kLanes], sum[kLanes];
          pair_distances(Y, d, lane_pairs, 0, lanes, q0);
          for (int g = 0; g < lanes; g += 4) {
            const double* a[4];
            const double* b[4];
            for (int x = 0; x < 4; ++x) {
              const Member& m = lane[std::min(g + x, lanes - 1)];
              a[x] = history.data() + static_cast<std::int64_t>(m.i) * k;
              b[x] = history.data() + static_cast<std::int64_t>(m.j) * k;
            }
            double out[4];
            weighted_squared_differences_4(a, b, dirs.beta.data(), now, out);
            for (int x = 0; x < 4 && g + x < lanes; ++x) sum[g + x] = out[x];
          }
          // The serial chain differs from q0 − Σ by at most (now + 10)·u·(q0 + Σ) to first order
          // (u = ε/2: each step's subtraction and each term's rounding); twice that.
          for (int l = 0; l < lanes; ++l)
            upper_q[l] = (q0[l] - sum[l]) + 2.0 * static_cast<double>(now + 16) * kEps * (q0[l] + sum[l]);
        }
        int chains[kLanes];  // lanes whose bound reaches the edge: they get the exact q
        int count = 0;
        for (int l = 0; l < lanes; ++l) {
          ++local;
          const double upper = lane[l].lambda * upper_q[l];
          if (upper >= edge) {
            chains[count++] = l;
          } else {
            bound[lane[l].e] = round_up_to_float(std::min(upper, lane_bound[l]));
            fresh_high = std::max(fresh_high, static_cast<double>(bound[lane[l].e]));
          }
        }
        // Plain greedy's arithmetic: q0, then the downdates in pick order, 8 serial chains
        // interleaved (one alone waits on its own latency at every step).
        for (int g = 0; g < count; g += 8) {
          double x[8];
          const double* ci[8];
          const double* cj[8];
          for (int c = 0; c < 8; ++c) {
            const Member& m = lane[chains[std::min(g + c, count - 1)]];
            x[c] = squared_distance(Y + static_cast<std::int64_t>(m.i) * d, Y + static_cast<std::int64_t>(m.j) * d, d);
            ci[c] = history.data() + static_cast<std::int64_t>(m.i) * k;
            cj[c] = history.data() + static_cast<std::int64_t>(m.j) * k;
          }
          for (std::int64_t s = 0; s < now; ++s) {
            const double b = dirs.beta[s];
#pragma GCC unroll 8
            for (int c = 0; c < 8; ++c) x[c] = downdate(x[c], b, ci[c][s], cj[c][s]);
          }
          for (int c = 0; c < 8 && g + c < count; ++c) {
            const int l = chains[g + c];
            Member& m = lane[l];
            exact += now;
            m.q = x[c];
            const double fresh = m.lambda * x[c];
            fresh_high = std::max(fresh_high, fresh);
            if (fresh >= edge) {
              f.push_back(m);
              bound[m.e] = kNaN;
              admitted.fetch_add(1, std::memory_order_relaxed);
            } else {
              bound[m.e] = round_up_to_float(std::min(fresh, lane_bound[l]));
            }
          }
        }
        lanes = 0;
      };
      const ImplicitPool weights = pool;  // a local copy: its pointers stay in registers
      float group_distance[4 * kBlock];      // metric distances of rows cached_first … + cached_rows
      std::int64_t cached_jc = -1, cached_first = -1;
      int cached_rows = 0;
      const double* radius_now = radius.radius();
      const double* radius_slack = radius.slack();
      for_each_block(ranges[r], n, kBlock, [&](std::int64_t b0, std::int64_t b1, std::int64_t i, std::int64_t jb) {
        if (admitted.load(std::memory_order_relaxed) > in.head_cap && edge > kNegInf) {
          const std::lock_guard<std::mutex> lock(raising);
          if (admitted.load() > in.head_cap) {  // halfway to the largest bound, each time the cap fills
            live_edge.store(live_edge.load() + 0.5 * (top - live_edge.load()));
            admitted.store(0);
          }
        }
        edge = live_edge.load(std::memory_order_relaxed);
        const float high = block_max(bound.data() + b0, b1 - b0);
        if (!(high >= edge)) {
          outside = std::max(outside, static_cast<double>(high));
          return;
        }
        if (weights.exp_rewards) {
          double block_lambda[kBlock], block_bound[kBlock];
          std::uint64_t need = filters.filter_block(bound.data() + b0, b1 - b0, edge, round_up_to_float(edge),
                                                    weights.exp_rewards[i], radius_now[i], radius_slack[i],
                                                    weights.exp_rewards + jb, radius_now + jb, radius_slack + jb,
                                                    block_lambda, block_bound);
          const int through = __builtin_popcountll(need);
          if (use_metric && through >= block_lanes) {
            // Many lanes left: the metric distances of the whole block at once cost less than one
            // lane at a time (no horizontal sum per pair), and for up to four rows of the group
            // (the following rows visit this column block next; on flat scores most need it too).
            const std::int64_t jc = jb / kBlock * kBlock;
            if (jc != cached_jc || i < cached_first || i >= cached_first + cached_rows) {
              const Range& range = ranges[r];
              const std::int64_t group_end = std::min(range.i1, range.i0 + ((i - range.i0) / kGroup + 1) * kGroup);
              const int count = static_cast<int>(std::min<std::int64_t>(4, group_end - i));
              const float* xs[4];
              for (int x = 0; x < count; ++x) xs[x] = rows + (i + x) * d;
              filters.block_distances_rows(xs, count, metric.tiles.block(jc), d, group_distance);
              cached_jc = jc;
              cached_first = i;
              cached_rows = count;
            }
            const float* distance = group_distance + (i - cached_first) * kBlock;
            double fresh;
            need = filters.metric_filter_block(bound.data() + b0, b1 - b0, need, edge, metric_margin[i],
                                               metric_margin.data() + jb, distance + (jb - jc), block_lambda, block_bound, &fresh);
            fresh_high = std::max(fresh_high, fresh);
            local += through;
          }
          while (need != 0) {
            const int l = __builtin_ctzll(need);
            need &= need - 1;
            lane[lanes] = Member{b0 + l, static_cast<std::int32_t>(i), static_cast<std::int32_t>(jb + l), 0.0, block_lambda[l]};
            lane_bound[lanes] = block_bound[l];
            if (++lanes == kLanes) flush();
          }
        } else {
          // σ'(r_i − r_j) through exp(): one pair at a time.
          for (std::int64_t e = b0; e < b1; ++e) {
            const float filed = bound[e];
            if (!(filed >= edge)) continue;
            const std::int64_t j = jb + (e - b0);
            const double lambda = weights.lambda(i, j);
            const double pair_bound = lambda * radius.pair(i, j);
            if (!(pair_bound >= edge)) {
              bound[e] = round_up_to_float(std::min(static_cast<double>(filed), pair_bound));
              continue;
            }
            lane[lanes] = Member{e, static_cast<std::int32_t>(i), static_cast<std::int32_t>(j), 0.0, lambda};
            lane_bound[lanes] = pair_bound;
            if (++lanes == kLanes) flush();
          }
        }
        if (lanes > 0) flush();
        // The block's bounds are settled now (head members NaN): what it leaves outside.
        outside = std::max(outside, static_cast<double>(block_max(bound.data() + b0, b1 - b0)));
      });
      caught[r] = exact;
      evaluated[r] = local;
      range_max[r] = outside;
      range_fresh[r] = fresh_high;
    });
    if (stop.load()) return GreedyStatus::cancelled;
    for (const std::int64_t c_r : caught) done += c_r;
    // Ranges are in position order; a range finds its members out of order (a group of rows at
    // a time), so each list is sorted: the head's index order is the tie order. Members admitted
    // before the edge rose and now below it go back to the pool.
    parallel_for(R, [&](std::size_t r) {
      std::sort(found[r].begin(), found[r].end(), [](const Member& a, const Member& b) { return a.e < b.e; });
    });
    const double edge = live_edge.load();
    double returned = kNegInf;
    std::vector<Member>().swap(head);
    std::size_t hs = 0;
    for (const auto& f : found) hs += f.size();
    head.reserve(hs);
    for (auto& f : found) {
      for (const Member& m : f) {
        if (m.lambda * m.q >= edge) {
          head.push_back(m);
          continue;
        }
        bound[m.e] = round_up_to_float(std::min(m.lambda * m.q, m.lambda * radius.pair(m.i, m.j)));
        returned = std::max(returned, static_cast<double>(bound[m.e]));
      }
      std::vector<Member>().swap(f);
    }
    hs = head.size();
    if (hs == 0 && !(edge > kNegInf)) break;  // pool exhausted (the caller keeps k ≤ its size)
    const std::int64_t t0 = t;
    const std::size_t hchunk = 1 << 14;
    const std::size_t hchunks = (hs + hchunk - 1) / hchunk;
    std::vector<Best> partial(hchunks);
    Best best;
    for (std::size_t h = 0; h < hs; ++h) best.offer(head[h].lambda * head[h].q, static_cast<std::int64_t>(h));
    // Plain greedy on the head while its best is certified (≥ edge ≥ every bound outside).
    while (t < k) {
      if (in.progress) *in.progress = static_cast<std::int32_t>(t);
      if (cancelled()) return GreedyStatus::cancelled;
      if (best.pos < 0 || best.score < edge) break;
      Member& p = head[static_cast<std::size_t>(best.pos)];
      out_pairs[2 * t] = p.i;
      out_pairs[2 * t + 1] = p.j;
      quadratic[t] = p.q;
      p.e = -1;
      ++t;
      if (t == k) break;
      const double* ut = dirs.add(t - 1, Y + static_cast<std::int64_t>(p.i) * d, Y + static_cast<std::int64_t>(p.j) * d, p.lambda, p.q);
      const double beta = dirs.beta[t - 1];
      const std::int64_t row_chunk = 256;
      parallel_for(static_cast<std::size_t>((n + row_chunk - 1) / row_chunk), [&](std::size_t r) {
        const std::int64_t r0 = static_cast<std::int64_t>(r) * row_chunk;
        const std::int64_t r1 = std::min(n, r0 + row_chunk);
        dot_products(ut, Y + r0 * d, d, r1 - r0, c.data() + r0);
        for (std::int64_t x = r0; x < r1; ++x) history[x * k + (t - 1)] = c[x];
      });
      radius.downdate(ut, beta, c.data());
      auto update = [&](std::size_t ch) {
        const std::size_t h0 = ch * hchunk, h1 = std::min(hs, h0 + hchunk);
        Best local;
        for (std::size_t h = h0; h < h1; ++h) {
          Member& m = head[h];
          if (m.e < 0) continue;
          m.q = downdate(m.q, beta, c[m.i], c[m.j]);
          local.offer(m.lambda * m.q, static_cast<std::int64_t>(h));
        }
        partial[ch] = local;
      };
      if (hchunks == 1) update(0);
      else parallel_for(hchunks, update);
      best = Best{};
      for (const Best& part : partial)
        if (part.pos >= 0) best.offer(part.score, part.pos);
      done += static_cast<std::int64_t>(hs) - (t - t0);
    }
    if (t == k) break;

    // The head goes back under its bounds; the next edge is set below the largest bound.
    reference = std::max(returned, *std::max_element(range_max.begin(), range_max.end()));
    for (const Member& m : head) {
      if (m.e < 0) continue;
      bound[m.e] = round_up_to_float(std::min(m.lambda * m.q, m.lambda * radius.pair(m.i, m.j)));
      reference = std::max(reference, static_cast<double>(bound[m.e]));
    }
    // Filed bounds only fall where a pass looks: when a pick collapses every score at once (the
    // last free direction used up), the largest stale bound would walk the edge down a factor per
    // empty pass. No pair scores above ¼·(r₁ + r₂)² (λ ≤ ¼, r₁ ≥ r₂ the two largest radii).
    reference = std::min(reference, radius.largest_pair_bound(0.25));
    // A pass that certified nothing had its edge above every score it computed afresh; the pairs
    // it did not look at are below that edge too. Aim the next edge at what it found, not a fixed
    // factor below the stale bounds (pairs filed above the new edge are looked at then).
    if (t == t0) {
      const double fresh = *std::max_element(range_fresh.begin(), range_fresh.end());
      if (fresh > kNegInf) reference = std::min(reference, fresh);
    }
    if (t - t0 < 8) ratio = std::max(ratio * ratio, 0.5);
    else if (t - t0 > 48) ratio = std::sqrt(ratio);
  }
  if (in.progress) *in.progress = static_cast<std::int32_t>(t);
  if (downdates) *downdates = done;
  return GreedyStatus::ok;
}

}  // namespace arm
