#include "greedy_dopt.h"

#include <algorithm>
#include <cstring>
#include <limits>
#include <vector>

#include "pair_scores.h"
#include "thread_pool.h"

namespace arm {

namespace {

// One shared definition of the downdate: plain and lazy must round identically (this file is
// compiled with -ffp-contract=off, so no fused multiply-add sneaks into one of them).
inline double downdate(double q, double beta, double ci, double cj) {
  const double diff = ci - cj;
  return q - beta * diff * diff;  // (β·Δ)·Δ, as the TypeScript reference rounds it
}

// Tracks the directions u_s and weights β_s of the picks so far.
struct Directions {
  std::int64_t d;
  std::vector<double> u, beta;
  explicit Directions(std::int64_t dim, std::int64_t k)
      : d(dim), u(static_cast<std::size_t>(dim * k)), beta(static_cast<std::size_t>(k)) {}
  const double* at(std::int64_t s) const { return u.data() + s * d; }

  // Appends u_t for the pick (a, b) and returns it.
  const double* add(std::int64_t t, const double* ya, const double* yb, double lambda, double q) {
    std::vector<double> z(static_cast<std::size_t>(d));
    for (std::int64_t c = 0; c < d; ++c) z[c] = ya[c] - yb[c];
    double* ut = u.data() + t * d;
    std::copy(z.begin(), z.end(), ut);
    for (std::int64_t s = 0; s < t; ++s) {
      const double coef = beta[s] * dot_product(at(s), z.data(), d);
      const double* us = at(s);
      for (std::int64_t c = 0; c < d; ++c) ut[c] -= coef * us[c];
    }
    beta[t] = lambda / (1.0 + lambda * q);
    return ut;
  }
};

struct Best {
  double score = -std::numeric_limits<double>::infinity();
  std::int64_t pos = -1;
  void offer(double s, std::int64_t p) {
    if (pos < 0 || s > score || (s == score && p < pos)) {
      score = s;
      pos = p;
    }
  }
};

GreedyStatus plain(const GreedyInput& in, std::vector<double>& q, std::int32_t* picks,
                   double* quadratic) {
  const std::int64_t chunk = 1 << 15;
  const std::int64_t chunks = (in.m + chunk - 1) / chunk;
  std::vector<std::uint8_t> taken(static_cast<std::size_t>(in.m), 0);
  std::vector<double> c(static_cast<std::size_t>(in.n));
  std::vector<Best> partial(static_cast<std::size_t>(chunks));
  Directions dirs(in.d, in.k);
  Best best;
  for (std::int64_t p = 0; p < in.m; ++p) best.offer(in.lambdas[p] * q[p], p);
  for (std::int64_t t = 0; t < in.k; ++t) {
    if (in.cancel && *in.cancel) return GreedyStatus::cancelled;
    const std::int64_t p = best.pos;
    picks[t] = static_cast<std::int32_t>(p);
    quadratic[t] = q[p];
    taken[p] = 1;
    if (t + 1 == in.k) break;
    const std::int64_t a = in.pairs[2 * p], b = in.pairs[2 * p + 1];
    const double* ut = dirs.add(t, in.Y + a * in.d, in.Y + b * in.d, in.lambdas[p], q[p]);
    const double beta = dirs.beta[t];
    const std::int64_t row_chunk = 256;
    parallel_for(static_cast<std::size_t>((in.n + row_chunk - 1) / row_chunk), [&](std::size_t r) {
      const std::int64_t r0 = static_cast<std::int64_t>(r) * row_chunk;
      const std::int64_t r1 = std::min(in.n, r0 + row_chunk);
      for (std::int64_t i = r0; i < r1; ++i) c[i] = dot_product(in.Y + i * in.d, ut, in.d);
    });
    parallel_for(static_cast<std::size_t>(chunks), [&](std::size_t ch) {
      const std::int64_t begin = static_cast<std::int64_t>(ch) * chunk;
      const std::int64_t end = std::min(in.m, begin + chunk);
      Best local;
      for (std::int64_t e = begin; e < end; ++e) {
        if (taken[e]) continue;
        q[e] = downdate(q[e], beta, c[in.pairs[2 * e]], c[in.pairs[2 * e + 1]]);
        local.offer(in.lambdas[e] * q[e], e);
      }
      partial[ch] = local;
    });
    best = Best{};
    for (const Best& part : partial)
      if (part.pos >= 0) best.offer(part.score, part.pos);
    if (best.pos < 0) break;
  }
  return GreedyStatus::ok;
}

struct Candidate {
  double key;  // λ_p · q_p as of `step`: an upper bound on the current score
  std::int32_t pos;
  std::int32_t step;
};

inline bool above(const Candidate& x, const Candidate& y) {
  return x.key > y.key || (x.key == y.key && x.pos < y.pos);
}

// Buckets by the leading bits of the key (exponent and 6 mantissa bits: each bucket spans about
// 1.1 % of magnitude), monotone in the key; keys ≤ 0 share bucket 0.
constexpr std::size_t kBuckets = 1 + (std::size_t{1} << 17);
inline std::size_t bucket_of(double key) {
  if (!(key > 0.0)) return 0;
  std::uint64_t bits;
  std::memcpy(&bits, &key, sizeof bits);
  return 1 + static_cast<std::size_t>(bits >> 46);
}

// Lazy greedy over a bucket queue instead of a heap: scores only decrease, so the highest non-empty
// bucket holds the best candidate once its stale entries are brought up to date; those that fall
// move to a lower bucket in O(1). A heap would pay a sift of ~log₂ m cache misses per re-scoring,
// which dominates on pools of millions of pairs. Picks are exactly plain greedy's: within the top
// bucket every entry is current when the maximum (score desc, position asc) is taken, and every
// other bucket holds only smaller upper bounds.
GreedyStatus lazy(const GreedyInput& in, std::vector<double>& q, std::int32_t* picks,
                  double* quadratic) {
  const std::int64_t n = in.n, d = in.d, k = in.k;
  // c_s[i] for s < known[i], stored per response so a stale candidate reads two short rows.
  std::vector<double> history(static_cast<std::size_t>(n * k));
  std::vector<std::int32_t> known(static_cast<std::size_t>(n), 0);
  Directions dirs(d, k);

  std::vector<std::vector<Candidate>> buckets(kBuckets);
  {
    std::vector<std::uint32_t> counts(kBuckets, 0);
    for (std::int64_t p = 0; p < in.m; ++p) ++counts[bucket_of(in.lambdas[p] * q[p])];
    for (std::size_t b = 0; b < kBuckets; ++b)
      if (counts[b]) buckets[b].reserve(counts[b]);
    for (std::int64_t p = 0; p < in.m; ++p) {
      const double key = in.lambdas[p] * q[p];
      buckets[bucket_of(key)].push_back({key, static_cast<std::int32_t>(p), 0});
    }
  }
  std::size_t top = kBuckets - 1;
  std::int64_t remaining = in.m;

  auto catch_up = [&](std::int64_t i, std::int32_t t) {
    double* row = history.data() + i * k;
    for (std::int32_t s = known[i]; s < t; ++s) row[s] = dot_product(in.Y + i * d, dirs.at(s), d);
    known[i] = std::max(known[i], t);
  };
  auto rescore = [&](Candidate& x, std::int32_t t) {
    const std::int64_t i = in.pairs[2 * x.pos], j = in.pairs[2 * x.pos + 1];
    catch_up(i, t);
    catch_up(j, t);
    const double* ci = history.data() + i * k;
    const double* cj = history.data() + j * k;
    double qp = q[x.pos];
    for (std::int32_t s = x.step; s < t; ++s) qp = downdate(qp, dirs.beta[s], ci[s], cj[s]);
    q[x.pos] = qp;
    x.key = in.lambdas[x.pos] * qp;
    x.step = t;
  };

  // Before a bucket is re-scored, the c_s of every response its stale entries touch are computed
  // across the thread pool: that catch-up is most of the work, and each value comes from the same
  // dot_product call as in the serial path, so picks and q's are bit-identical to it.
  std::vector<std::int64_t> stamp(static_cast<std::size_t>(n), -1);
  std::vector<std::int64_t> behind;
  std::int64_t epoch = 0;
  constexpr std::size_t kParallelCatchUp = 64;
  constexpr std::size_t kRowsPerTask = 16;
  auto catch_up_bucket = [&](const std::vector<Candidate>& bucket, std::int32_t t) {
    behind.clear();
    ++epoch;
    for (const Candidate& x : bucket) {
      if (x.step == t) continue;
      for (int side = 0; side < 2; ++side) {
        const std::int64_t r = in.pairs[2 * x.pos + side];
        if (known[r] < t && stamp[r] != epoch) {
          stamp[r] = epoch;
          behind.push_back(r);
        }
      }
    }
    if (behind.size() < kParallelCatchUp) return;  // the serial path handles the few
    parallel_for((behind.size() + kRowsPerTask - 1) / kRowsPerTask, [&](std::size_t task) {
      const std::size_t e0 = task * kRowsPerTask;
      const std::size_t e1 = std::min(behind.size(), e0 + kRowsPerTask);
      for (std::size_t e = e0; e < e1; ++e) catch_up(behind[e], t);
    });
  };

  for (std::int32_t t = 0; t < k && remaining > 0; ++t) {
    if (in.cancel && *in.cancel) return GreedyStatus::cancelled;
    Candidate chosen{};
    for (;;) {
      while (top > 0 && buckets[top].empty()) --top;
      std::vector<Candidate>& bucket = buckets[top];
      catch_up_bucket(bucket, t);
      std::size_t kept = 0, raised = 0;
      for (std::size_t e = 0; e < bucket.size(); ++e) {
        Candidate x = bucket[e];
        if (x.step != t) rescore(x, t);
        const std::size_t b = bucket_of(x.key);
        if (b == top) {
          bucket[kept++] = x;
        } else {
          buckets[b].push_back(x);  // lower: the usual case; higher only for negative λ
          raised = std::max(raised, b);
        }
      }
      bucket.resize(kept);
      if (raised > top) {
        top = raised;
        continue;
      }
      if (kept == 0) {
        std::vector<Candidate>().swap(bucket);  // return the memory of buckets left behind
        continue;
      }
      std::size_t best = 0;
      for (std::size_t e = 1; e < kept; ++e)
        if (above(bucket[e], bucket[best])) best = e;
      chosen = bucket[best];
      bucket[best] = bucket.back();
      bucket.pop_back();
      break;
    }
    --remaining;
    const std::int32_t p = chosen.pos;
    picks[t] = p;
    quadratic[t] = q[p];
    if (t + 1 < k) {
      const std::int64_t a = in.pairs[2 * p], b = in.pairs[2 * p + 1];
      dirs.add(t, in.Y + a * d, in.Y + b * d, in.lambdas[p], q[p]);
    }
  }
  return GreedyStatus::ok;
}

}  // namespace

GreedyStatus greedy_dopt(const GreedyInput& in, std::int32_t* picks, double* quadratic) {
  std::vector<double> q(static_cast<std::size_t>(in.m));
  if (!pair_scores(in.Y, in.d, in.pairs, in.m, q.data(), in.cancel)) return GreedyStatus::cancelled;
  return in.lazy ? lazy(in, q, picks, quadratic) : plain(in, q, picks, quadratic);
}

}  // namespace arm
