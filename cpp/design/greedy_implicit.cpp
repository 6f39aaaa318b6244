#include "design/greedy_implicit.h"

#include <algorithm>
#include <atomic>
#include <cmath>
#include <limits>
#include <vector>

#include "design/greedy_directions.h"
#include "design/pair_scores.h"
#include "design/response_bounds.h"
#include "linalg/thread_pool.h"

namespace arm {

namespace {

constexpr int kLanes = 8;
constexpr std::int64_t kBlock = 64;  // bounds whose maximum a scan checks before looking inside
constexpr float kNaN = std::numeric_limits<float>::quiet_NaN();
constexpr double kNegInf = -std::numeric_limits<double>::infinity();

// A contiguous run of the triangular numbering, scanned by one task; i0 is the row of e0.
struct Range {
  std::int64_t e0, e1, i0;
};

std::vector<Range> split(std::int64_t n, std::int64_t total) {
  const std::int64_t count = std::max<std::int64_t>(1, std::min<std::int64_t>(512, total / 65536));
  std::vector<Range> ranges;
  std::int64_t i = 0;
  for (std::int64_t r = 0; r < count; ++r) {
    const std::int64_t e0 = total * r / count, e1 = total * (r + 1) / count;
    if (e0 == e1) continue;
    while (triangle_row_start(n, i + 1) <= e0) ++i;
    ranges.push_back({e0, e1, i});
  }
  return ranges;
}

// body(e_begin, e_end, i, j_begin) for each row's share of the range.
template <class Body>
void for_each_row(const Range& r, std::int64_t n, Body&& body) {
  std::int64_t e = r.e0, i = r.i0;
  while (e < r.e1) {
    const std::int64_t start = triangle_row_start(n, i);
    const std::int64_t stop = std::min(r.e1, triangle_row_start(n, i + 1));
    body(e, stop, i, i + 1 + (e - start));
    e = stop;
    ++i;
  }
}

// A head member: a pair whose q is kept current pick by pick. e < 0 once it is picked.
struct Member {
  std::int64_t e;
  std::int32_t i, j;
  double q, lambda;
};

// Largest non-NaN value of x[0 … count), or −∞ (NaN marks head members, picks, non-members).
inline float block_max(const float* x, std::int64_t count) {
  float high = -std::numeric_limits<float>::infinity();
  for (std::int64_t e = 0; e < count; ++e) high = x[e] > high ? x[e] : high;
  return high;
}

}  // namespace

std::int64_t greedy_implicit_bytes(std::int64_t n, std::int64_t d, std::int64_t k) {
  // Bounds, the c history, c, the response bounds, the directions.
  return triangle_size(n) * 4 + n * k * 8 + n * 8 * 5 + k * d * 8;
}

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
  std::vector<std::vector<Member>> found(R);
  std::vector<std::int64_t> caught(R, 0);
  Directions dirs(d, k);
  std::atomic<bool> stop{false};
  auto cancelled = [&]() {
    if (in.cancel && *in.cancel) stop.store(true, std::memory_order_relaxed);
    return stop.load(std::memory_order_relaxed);
  };

  // Every member's first bound is its exact first score λ q0, rounded up.
  parallel_for(R, [&](std::size_t r) {
    if (cancelled()) return;
    double high = kNegInf;
    for_each_row(ranges[r], n, [&](std::int64_t e0, std::int64_t e1, std::int64_t i, std::int64_t j0) {
      const double* yi = Y + i * d;
      for (std::int64_t e = e0, j = j0; e < e1; ++e, ++j) {
        if (!pool.member(i, j)) {
          bound[e] = kNaN;
          continue;
        }
        bound[e] = round_up_to_float(pool.lambda(i, j) * squared_distance(yi, Y + j * d, d));
        high = std::max(high, static_cast<double>(bound[e]));
      }
    });
    range_max[r] = high;
  });
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
    const double edge = reference > 0.0 ? reference * ratio : kNegInf;
    const std::int64_t now = t;
    parallel_for(R, [&](std::size_t r) {
      std::vector<Member>& f = found[r];
      f.clear();
      if (cancelled()) return;
      double outside = kNegInf;  // the largest bound left outside the head
      std::int64_t local = 0;
      Member lane[kLanes];
      double lane_bound[kLanes];
      int lanes = 0;
      // Exact q at `now` from scratch for the queued pairs; their serial chains interleave.
      auto flush = [&]() {
        double x[kLanes];
        const double* ci[kLanes];
        const double* cj[kLanes];
        for (int l = 0; l < kLanes; ++l) {
          const Member& m = lane[l < lanes ? l : 0];
          if (l < lanes) x[l] = squared_distance(Y + m.i * d, Y + m.j * d, d);
          else x[l] = 0.0;
          ci[l] = history.data() + static_cast<std::int64_t>(m.i) * k;
          cj[l] = history.data() + static_cast<std::int64_t>(m.j) * k;
        }
        for (std::int64_t s = 0; s < now; ++s) {
          const double b = dirs.beta[s];
#pragma GCC unroll 8
          for (int l = 0; l < kLanes; ++l) x[l] = downdate(x[l], b, ci[l][s], cj[l][s]);
        }
        for (int l = 0; l < lanes; ++l) {
          Member& m = lane[l];
          local += now;
          m.q = x[l];
          const double fresh = m.lambda * x[l];
          if (fresh >= edge) {
            f.push_back(m);
            bound[m.e] = kNaN;
          } else {
            bound[m.e] = round_up_to_float(std::min(fresh, lane_bound[l]));
            outside = std::max(outside, static_cast<double>(bound[m.e]));
          }
        }
        lanes = 0;
      };
      for_each_row(ranges[r], n, [&](std::int64_t e0, std::int64_t e1, std::int64_t i, std::int64_t j0) {
        for (std::int64_t b0 = e0; b0 < e1; b0 += kBlock) {
          const std::int64_t b1 = std::min(e1, b0 + kBlock);
          const float high = block_max(bound.data() + b0, b1 - b0);
          if (!(high >= edge)) {
            outside = std::max(outside, static_cast<double>(high));
            continue;
          }
          for (std::int64_t e = b0; e < b1; ++e) {
            const float filed = bound[e];
            if (!(filed >= edge)) {
              if (filed == filed) outside = std::max(outside, static_cast<double>(filed));
              continue;
            }
            const std::int64_t j = j0 + (e - e0);
            const double lambda = pool.lambda(i, j);
            const double pair_bound = lambda * radius.pair(i, j);
            if (!(pair_bound >= edge)) {
              bound[e] = round_up_to_float(std::min(static_cast<double>(filed), pair_bound));
              outside = std::max(outside, static_cast<double>(bound[e]));
              continue;
            }
            lane[lanes] = Member{e, static_cast<std::int32_t>(i), static_cast<std::int32_t>(j), 0.0, lambda};
            lane_bound[lanes] = pair_bound;
            if (++lanes == kLanes) flush();
          }
        }
      });
      if (lanes > 0) flush();
      caught[r] = local;
      range_max[r] = outside;
    });
    if (stop.load()) return GreedyStatus::cancelled;
    for (const std::int64_t c_r : caught) done += c_r;
    // Ranges are in position order and each lists its members in order: the head's index order is
    // the tie order.
    std::vector<Member>().swap(head);
    std::size_t hs = 0;
    for (const auto& f : found) hs += f.size();
    head.reserve(hs);
    for (auto& f : found) {
      head.insert(head.end(), f.begin(), f.end());
      std::vector<Member>().swap(f);
    }
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
    reference = *std::max_element(range_max.begin(), range_max.end());
    for (const Member& m : head) {
      if (m.e < 0) continue;
      bound[m.e] = round_up_to_float(std::min(m.lambda * m.q, m.lambda * radius.pair(m.i, m.j)));
      reference = std::max(reference, static_cast<double>(bound[m.e]));
    }
    if (t - t0 < 8) ratio = std::max(ratio * ratio, 0.5);
    else if (t - t0 > 48) ratio = std::sqrt(ratio);
  }
  if (in.progress) *in.progress = static_cast<std::int32_t>(t);
  if (downdates) *downdates = done;
  return GreedyStatus::ok;
}

}  // namespace arm
