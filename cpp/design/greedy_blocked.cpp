#include "design/greedy_blocked.h"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <limits>

#include "design/greedy_directions.h"
#include "design/response_bounds.h"
#include "design/pair_scores.h"
#include "linalg/thread_pool.h"

namespace arm {

namespace {

constexpr int kLanes = 8;
constexpr float kNaN = std::numeric_limits<float>::quiet_NaN();

// Contiguous ranges of the pool, each scanned by one task.
constexpr std::size_t kRanges = 32;


}  // namespace

GreedyStatus greedy_blocked(const GreedyInput& in, std::vector<double>& q, std::int32_t* picks,
                            double* quadratic, std::int64_t* downdates) {
  const std::int64_t n = in.n, d = in.d, k = in.k, m = in.m;
  std::vector<std::int32_t> step(static_cast<std::size_t>(m), 0);
  // bound[e]: an upper bound on candidate e's score (float, rounded up), the key it is filed under
  // (λ·q as of step[e], or less by the response bound); NaN while it is in the head or taken, so that
  // every scan passes it over.
  std::vector<float> bound(static_cast<std::size_t>(m));
  ResponseBounds radius(in.Y, n, d, k);
  std::vector<double> history(static_cast<std::size_t>(n * k));  // c_s[i] at i·k + s
  std::vector<double> c(static_cast<std::size_t>(n));
  std::vector<double> range_max(kRanges, -std::numeric_limits<double>::infinity());
  std::vector<std::vector<std::int32_t>> found(kRanges);  // per range: positions entering the head
  std::vector<std::int64_t> caught(kRanges, 0);
  Directions dirs(d, k);
  std::vector<std::int32_t> head;
  std::int64_t done = 0;
  // The next head takes every candidate whose bound reaches edge = reference · ratio; ratio adapts
  // so that a head certifies some tens of picks (a lower edge: a larger head, updated every pick).
  double ratio = 0.9;
  const std::int64_t range_len = (m + static_cast<std::int64_t>(kRanges) - 1) / static_cast<std::int64_t>(kRanges);

  parallel_for(kRanges, [&](std::size_t r) {
    const std::int64_t e0 = static_cast<std::int64_t>(r) * range_len, e1 = std::min(m, e0 + range_len);
    double high = -std::numeric_limits<double>::infinity();
    for (std::int64_t e = e0; e < e1; ++e) {
      bound[e] = round_up_to_float(in.lambdas[e] * q[e]);
      high = std::max(high, static_cast<double>(bound[e]));
    }
    range_max[r] = high;
  });
  double reference = *std::max_element(range_max.begin(), range_max.end());

  std::int64_t t = 0;
  while (t < k) {
    // Head: the pool's candidates whose bounds reach the edge, brought up to date; those that fall
    // below it on the way stay in the pool with their new bound.
    const double edge = reference > 0.0 ? reference * ratio : -std::numeric_limits<double>::infinity();
    const std::int32_t now = static_cast<std::int32_t>(t);
    parallel_for(kRanges, [&](std::size_t r) {
      const std::int64_t e0 = static_cast<std::int64_t>(r) * range_len, e1 = std::min(m, e0 + range_len);
      std::vector<std::int32_t>& f = found[r];
      std::int64_t local = 0;
      f.clear();
      double outside = -std::numeric_limits<double>::infinity();  // largest bound left outside
      auto settle = [&](std::int64_t e, double x, double pair_bound) {
        const double fresh = in.lambdas[e] * x;
        if (fresh >= edge) {
          f.push_back(static_cast<std::int32_t>(e));
          bound[e] = kNaN;
        } else {
          bound[e] = round_up_to_float(std::min(fresh, pair_bound));
          outside = std::max(outside, static_cast<double>(bound[e]));
        }
      };
      // Catch-ups go through in groups of kLanes, whose serial chains interleave.
      std::int64_t lane_pos[kLanes];
      double lane_bound[kLanes];
      int lanes = 0;
      auto flush = [&]() {
        double x[kLanes];
        const double* ci[kLanes];
        const double* cj[kLanes];
        std::int32_t from[kLanes];
        std::int32_t start = now;
        for (int l = 0; l < kLanes; ++l) {
          const std::int64_t e = lane_pos[l < lanes ? l : 0];
          x[l] = q[e];
          ci[l] = history.data() + static_cast<std::int64_t>(in.pairs[2 * e]) * k;
          cj[l] = history.data() + static_cast<std::int64_t>(in.pairs[2 * e + 1]) * k;
          from[l] = l < lanes ? step[e] : now;
          start = std::min(start, from[l]);
        }
        for (std::int32_t s = start; s < now; ++s) {
          const double b = dirs.beta[s];
#pragma GCC unroll 8
          for (int l = 0; l < kLanes; ++l) {
            // Δ = 0 before a lane's own start: q − β·0·0 = q exactly.
            const double diff = s >= from[l] ? ci[l][s] - cj[l][s] : 0.0;
            x[l] = downdate(x[l], b, diff, 0.0);
          }
        }
        for (int l = 0; l < lanes; ++l) {
          const std::int64_t e = lane_pos[l];
          local += now - step[e];
          q[e] = x[l];
          step[e] = now;
          settle(e, x[l], lane_bound[l]);
        }
        lanes = 0;
      };
      for (std::int64_t e = e0; e < e1; ++e) {
        const float filed = bound[e];
        if (!(filed >= edge)) {
          outside = std::max(outside, static_cast<double>(filed));  // NaN (head, taken) leaves it
          continue;
        }
        const double lambda = in.lambdas[e];
        const double pair_bound = lambda * radius.pair(in.pairs[2 * e], in.pairs[2 * e + 1]);
        const double x = q[e];
        const double tighter = std::min(lambda * x, pair_bound);
        if (!(tighter >= edge)) {
          bound[e] = round_up_to_float(tighter);
          outside = std::max(outside, static_cast<double>(bound[e]));
        } else if (step[e] == now) {
          settle(e, x, pair_bound);
        } else {
          lane_pos[lanes] = e;
          lane_bound[lanes] = pair_bound;
          if (++lanes == kLanes) flush();
        }
      }
      if (lanes > 0) flush();
      std::sort(f.begin(), f.end());
      caught[r] = local;
      range_max[r] = outside;
    });
    for (const std::int64_t c_r : caught) done += c_r;
    // The head lists positions in ascending order (so its index order is the tie order) and is
    // updated in place: 4 bytes per member beyond the pool's own arrays.
    std::vector<std::int32_t>().swap(head);  // sized afresh: a large early head strands nothing
    std::size_t total = 0;
    for (const auto& f : found) total += f.size();
    head.reserve(total);
    for (auto& f : found) {
      head.insert(head.end(), f.begin(), f.end());
      std::vector<std::int32_t>().swap(f);  // the head holds them now; no second copy kept
    }
    // Plain greedy on the head while its best is certified (≥ edge > every bound outside).
    const std::int64_t t0 = t;
    const std::size_t hs = head.size();
    const std::size_t hchunk = 1 << 14;
    const std::size_t hchunks = (hs + hchunk - 1) / hchunk;
    std::vector<Best> partial(hchunks);
    Best best;
    for (std::size_t e = 0; e < hs; ++e) best.offer(in.lambdas[head[e]] * q[head[e]], static_cast<std::int64_t>(e));
    if (hs == 0 && !(edge > -std::numeric_limits<double>::infinity())) break;  // pool exhausted
    while (t < k) {
      if (in.cancel && *in.cancel) return GreedyStatus::cancelled;
      if (best.pos < 0 || best.score < edge) break;
      const std::size_t h = static_cast<std::size_t>(best.pos);
      const std::int64_t p = head[h];
      picks[t] = static_cast<std::int32_t>(p);
      quadratic[t] = q[p];
      head[h] = -1;
      ++t;
      if (in.progress) *in.progress = static_cast<std::int32_t>(t);
      if (t == k) break;
      const std::int64_t a = in.pairs[2 * p], b = in.pairs[2 * p + 1];
      const double* ut = dirs.add(t - 1, in.Y + a * d, in.Y + b * d, in.lambdas[p], q[p]);
      const double beta = dirs.beta[t - 1];
      const std::int64_t row_chunk = 256;
      parallel_for(static_cast<std::size_t>((n + row_chunk - 1) / row_chunk), [&](std::size_t r) {
        const std::int64_t r0 = static_cast<std::int64_t>(r) * row_chunk;
        const std::int64_t r1 = std::min(n, r0 + row_chunk);
        dot_products(ut, in.Y + r0 * d, d, r1 - r0, c.data() + r0);
        for (std::int64_t x = r0; x < r1; ++x) history[x * k + (t - 1)] = c[x];
      });
      radius.downdate(ut, beta, c.data());
      auto update = [&](std::size_t ch) {
        const std::size_t e0 = ch * hchunk, e1 = std::min(hs, e0 + hchunk);
        Best local;
        for (std::size_t e = e0; e < e1; ++e) {
          const std::int32_t x = head[e];
          if (x < 0) continue;
          q[x] = downdate(q[x], beta, c[in.pairs[2 * x]], c[in.pairs[2 * x + 1]]);
          local.offer(in.lambdas[x] * q[x], static_cast<std::int64_t>(e));
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

    // The head goes back to the pool, current as of t; the next edge is set below the largest bound.
    reference = *std::max_element(range_max.begin(), range_max.end());
    for (const std::int32_t x : head) {
      if (x < 0) continue;
      step[x] = static_cast<std::int32_t>(t);
      bound[x] = round_up_to_float(std::min(in.lambdas[x] * q[x], in.lambdas[x] * radius.pair(in.pairs[2 * x], in.pairs[2 * x + 1])));
      reference = std::max(reference, static_cast<double>(bound[x]));
    }
    // A head that certified few picks was too small for how fast scores fall here; one that
    // certified many could be smaller.
    if (t - t0 < 8) ratio = std::max(ratio * ratio, 0.5);
    else if (t - t0 > 48) ratio = std::sqrt(ratio);
  }
  if (downdates) *downdates = done;
  return GreedyStatus::ok;
}

}  // namespace arm
