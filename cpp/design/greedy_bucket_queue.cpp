#include "design/greedy_bucket_queue.h"

#include <algorithm>
#include <atomic>
#include <cmath>
#include <cstring>
#include <limits>
#include <memory>

#include "design/greedy_directions.h"
#include "design/pair_scores.h"
#include "linalg/thread_pool.h"

namespace arm {

namespace {

// A candidate carries its own q and λ: a re-scoring then touches only the bucket entry and two
// rows of c history, not two m-long arrays at random positions (cache misses on 12.5M pairs).
// Its score λ·q (as of `step`, an upper bound on the current score) is recomputed when needed rather
// than stored.
struct Candidate {
  double q;
  double lambda;
  std::int32_t pos;
  std::int32_t step;
  std::int32_t i, j;  // the pair's responses, kept here: looking them up in `pairs` is a cache miss
  double key() const { return lambda * q; }
};

inline bool above(const Candidate& x, const Candidate& y) {
  const double kx = x.key(), ky = y.key();
  return kx > ky || (kx == ky && x.pos < y.pos);
}

// Buckets by the leading bits of the key, monotone in the key; keys ≤ 0 share bucket 0. At shift 46
// a bucket keeps the exponent and 6 mantissa bits (about 1.1 % of magnitude); each shift more
// doubles its width. The width follows how fast the best score falls (see `resolution`).
constexpr int kFinestShift = 46, kCoarsestShift = 50;
// About four picks' fall a bucket: 4 to 11 did alike on `clustered`; from ~5, `zero-head` and
// `wide-lambda` (0.3 % a pick early on) were re-cut too, for nothing.
constexpr double kFallsPerBucket = 4.0;
constexpr std::size_t kBuckets = 1 + (std::size_t{1} << (63 - kFinestShift));
inline std::size_t bucket_of(double key, int shift) {
  if (!(key > 0.0)) return 0;
  std::uint64_t bits;
  std::memcpy(&bits, &key, sizeof bits);
  return 1 + static_cast<std::size_t>(bits >> shift);
}

// Brings up to kLanes candidates to step t at once. Each candidate's downdates form a serial
// chain (4 dependent operations per step); interleaving independent chains hides that latency.
// Lanes whose candidate is already current at step s see Δ = 0, and q − β·0·0 = q exactly, so
// every chain rounds as in plain greedy.
constexpr int kLanes = 8;
std::int64_t rescore_lanes(Candidate* const* xs, int count, std::int32_t t, const double* history,
                           std::int64_t k, const double* beta) {
  double q[kLanes];
  const double* ci[kLanes];
  const double* cj[kLanes];
  std::int32_t from[kLanes];
  std::int32_t start = t;
  for (int l = 0; l < kLanes; ++l) {
    const Candidate* x = xs[l < count ? l : 0];
    q[l] = x->q;
    ci[l] = history + static_cast<std::int64_t>(x->i) * k;
    cj[l] = history + static_cast<std::int64_t>(x->j) * k;
    from[l] = l < count ? x->step : t;
    start = std::min(start, from[l]);
  }
  for (std::int32_t s = start; s < t; ++s) {
    const double b = beta[s];
#pragma GCC unroll 8
    for (int l = 0; l < kLanes; ++l) {
      const double diff = s >= from[l] ? ci[l][s] - cj[l][s] : 0.0;
      q[l] = downdate(q[l], b, diff, 0.0);
    }
  }
  std::int64_t applied = 0;
  for (int l = 0; l < count; ++l) {
    Candidate* x = xs[l];
    applied += t - x->step;
    x->q = q[l];
    x->step = t;
  }
  return applied;
}

// Lazy greedy over a bucket queue instead of a heap: scores only decrease, so the highest non-empty
// bucket holds the best candidate once its stale entries are brought up to date; those that fall
// move to a lower bucket in O(1). A heap would pay a sift of ~log₂ m cache misses per re-scoring,
// which dominates on pools of millions of pairs. Picks are exactly plain greedy's: within the top
// bucket every entry is current when the maximum (score desc, position asc) is taken, and every
// other bucket holds only smaller upper bounds.
//
// Only the best-scoring candidates enter the queue at first (a few buckets' worth); the rest wait
// below `floor`, where their initial scores already are upper bounds, and enter a range of buckets
// at a time when the queue runs dry above it. A pick rarely reaches deep into a large pool, so most
// of the m pairs are never copied or re-scored.
}  // namespace

int bucket_shift(int shift, double fall) {
  auto width = [](int at) { return std::ldexp(1.0, at - 52); };  // of a key's magnitude, roughly
  const double need = kFallsPerBucket * fall;
  int to = shift;
  while (to < kCoarsestShift && width(to) < need) ++to;
  if (to == shift)
    while (to > kFinestShift && width(to - 1) >= 2.0 * need) --to;
  return to;
}

GreedyStatus greedy_bucket_queue(const GreedyInput& in, const std::vector<double>& q0,
                                 std::int32_t* picks, double* quadratic, std::int64_t* downdates,
                                 BucketQueueProbe* probe) {
  const std::int64_t n = in.n, d = in.d, k = in.k;
  // c_s[i] for s < known[i], stored per response so a stale candidate reads two short rows.
  // Not zero-filled: a row's values below known[i] are written before anything reads them, and the
  // pages (82 MB at n = 20,000, k = 512) are then faulted in by the threads that fill them.
  const std::unique_ptr<double[]> history_owner(new double[static_cast<std::size_t>(n * k)]);
  double* const history_data = history_owner.get();
  std::vector<std::int32_t> known(static_cast<std::size_t>(n), 0);
  Directions dirs(d, k);

  std::atomic<std::int64_t> work{0};
  std::vector<std::vector<Candidate>> buckets(kBuckets);
  std::vector<std::uint32_t> waiting(kBuckets, 0);  // initial scores per bucket, not yet queued
  int shift = kFinestShift;
  auto initial_key = [&](std::int64_t p) { return in.lambdas[p] * q0[p]; };
  auto fresh = [&](std::int64_t p) {  // candidate p as first queued: its q0, current at step 0
    return Candidate{q0[p], in.lambdas[p], static_cast<std::int32_t>(p), 0, in.pairs[2 * p], in.pairs[2 * p + 1]};
  };
  for (std::int64_t p = 0; p < in.m; ++p) ++waiting[bucket_of(initial_key(p), shift)];
  std::size_t floor = kBuckets;  // buckets ≥ floor hold every candidate whose initial score is there
  std::size_t batch = probe && probe->first_admission > 0 ? probe->first_admission
                                                          : static_cast<std::size_t>(std::max<std::int64_t>(1 << 16, 64 * k));
  auto admit = [&]() {  // lowers floor past at least `batch` waiting candidates
    std::size_t lo = floor, count = 0;
    while (lo > 0 && count < batch) count += waiting[--lo];
    for (std::size_t b = lo; b < floor; ++b) buckets[b].reserve(buckets[b].size() + waiting[b]);
    for (std::int64_t p = 0; p < in.m; ++p) {
      const std::size_t b = bucket_of(initial_key(p), shift);
      if (b >= lo && b < floor) buckets[b].push_back(fresh(p));
    }
    floor = lo;
    batch *= 4;  // few passes over all m scores
    if (probe && probe->recut_with_waiting) ++probe->admissions_after_recut;
  };
  admit();
  std::size_t top = kBuckets - 1;
  std::int64_t remaining = in.m;

  // Buckets re-cut at another shift: queued entries re-filed by their (stale) keys; the waiting
  // candidates counted again, and those whose new bucket reaches the new floor (the bucket holding
  // the old floor's lowest key, which a coarser cut shares with keys below it) admitted now, so
  // every bucket ≥ floor is still complete. Which entries a round re-scores changes; which
  // candidate each pick takes does not.
  std::vector<Candidate> queued;
  auto recut = [&](int to) {
    queued.clear();
    for (std::size_t b = 0; b <= top && b < kBuckets; ++b) {
      queued.insert(queued.end(), buckets[b].begin(), buckets[b].end());
      std::vector<Candidate>().swap(buckets[b]);
    }
    const int from = shift;
    shift = to;
    top = 0;
    for (const Candidate& x : queued) {
      const std::size_t b = bucket_of(x.key(), shift);
      buckets[b].push_back(x);
      top = std::max(top, b);
    }
    // Re-cuts come from pick 16 on, after the first admission: floor < kBuckets.
    const std::size_t old_floor = floor;
    floor = floor == 0 ? 0 : 1 + static_cast<std::size_t>(((std::uint64_t{floor} - 1) << from) >> to);
    std::fill(waiting.begin(), waiting.end(), 0);
    for (std::int64_t p = 0; p < in.m; ++p) {
      const double key = initial_key(p);
      if (bucket_of(key, from) >= old_floor) continue;
      const std::size_t b = bucket_of(key, shift);
      if (b >= floor) {
        buckets[b].push_back(fresh(p));
      } else {
        ++waiting[b];
      }
    }
    top = std::max(top, floor);
  };
  // The width follows the best score's fall per pick (a running mean over 16 picks, looked at
  // every 16): where the best falls through a fine bucket every pick or two (large-norm clusters,
  // a power-law spectrum's first picks), each pick refreshes bucket after bucket, loading the same
  // responses' rows again for other pairs each round (on `clustered` 1.53M row loads over the run;
  // 1.18M with this); a bucket about kFallsPerBucket picks' fall wide takes them in one round.
  // Where scores fall slowly, fine buckets re-score fewer entries. A finer cut is taken only once
  // it is twice as wide as needed, so the width does not flap. Where responses are in one pair
  // each (two responses a prompt, as the HH data) there are no rows to share: a wider bucket only
  // re-scores more entries, and the cut stays fine.
  std::int64_t responses_in_pairs = 0;
  {
    std::vector<std::uint8_t> used(static_cast<std::size_t>(n), 0);
    for (std::int64_t e = 0; e < 2 * in.m; ++e) used[in.pairs[e]] = 1;
    for (const std::uint8_t u : used) responses_in_pairs += u;
  }
  const bool shared_rows = in.m >= responses_in_pairs;  // two pairs a response on average
  double fall = 0.0, last_key = 0.0;
  auto resolution = [&](std::int32_t t, double key) {
    if (key > 0.0 && last_key > 0.0) fall += (std::log(last_key / key) - fall) / 16.0;
    last_key = key;
    if (t < 16 || t % 16 != 0) return;
    if (!shared_rows && !(probe && probe->schedule)) return;
    const std::size_t look = static_cast<std::size_t>(t / 16 - 1);
    const int to = probe && probe->schedule && look < probe->schedule->size() ? (*probe->schedule)[look] : bucket_shift(shift, fall);
    if (to == shift) return;
    if (probe) {
      ++(to > shift ? probe->coarser : probe->finer);
      for (std::size_t b = 0; b < floor && b < kBuckets; ++b) probe->recut_with_waiting |= waiting[b] > 0;
    }
    recut(to);
  };

  auto catch_up = [&](std::int64_t i, std::int32_t t) {
    double* row = history_data + i * k;
    if (known[i] < t) dot_products(in.Y + i * d, dirs.at(known[i]), d, t - known[i], row + known[i]);
    known[i] = std::max(known[i], t);
  };

  // Before a bucket is re-scored, the c_s of every response its stale entries touch are computed
  // (across the thread pool when there are many): each value comes from the same dot_product call
  // whichever thread computes it, so picks and q's do not depend on the thread count.
  std::vector<std::int64_t> stamp(static_cast<std::size_t>(n), -1);
  std::vector<std::int64_t> behind, sorted;
  std::vector<std::size_t> counts;
  std::vector<Candidate*> stale;
  std::int64_t epoch = 0;
  constexpr std::size_t kParallelCatchUp = 64;
  constexpr std::size_t kRowsPerTask = 4;  // one 4-row tile: few, long catch-ups (HH) still spread over the pool
  constexpr std::size_t kLanesPerTask = 64;  // groups of kLanes candidates per re-scoring task
  auto refresh_bucket = [&](std::vector<Candidate>& bucket, std::int32_t t) {
    behind.clear();
    stale.clear();
    ++epoch;
    for (Candidate& x : bucket) {
      if (x.step == t) continue;
      stale.push_back(&x);
      for (const std::int64_t r : {x.i, x.j}) {
        if (known[r] < t && stamp[r] != epoch) {
          stamp[r] = epoch;
          behind.push_back(r);
        }
      }
    }
    if (behind.size() < kParallelCatchUp) {
      for (std::int64_t r : behind) catch_up(r, t);
    } else {
      // Rows sorted by how far behind they are go through dot_products_4 in fours from the
      // group's lowest `known`: values a row already had are recomputed with the same bits.
      // A counting sort by `known` (O(rows + t); rows of equal `known` keep the order they were
      // collected in, which changes no value: each row is computed by the same kernel either way).
      counts.assign(static_cast<std::size_t>(t) + 1, 0);
      for (std::int64_t r : behind) ++counts[known[r] + 1];
      for (std::int32_t v = 0; v < t; ++v) counts[v + 1] += counts[v];
      sorted.resize(behind.size());
      for (std::int64_t r : behind) sorted[counts[known[r]]++] = r;
      behind.swap(sorted);
      parallel_for((behind.size() + kRowsPerTask - 1) / kRowsPerTask, [&](std::size_t task) {
        const std::size_t e0 = task * kRowsPerTask;
        const std::size_t e1 = std::min(behind.size(), e0 + kRowsPerTask);
        std::size_t e = e0;
        for (; e + 4 <= e1; e += 4) {
          const std::int32_t from = known[behind[e]];
          const double* xs[4];
          double* outs[4];
          for (int r = 0; r < 4; ++r) {
            xs[r] = in.Y + behind[e + r] * d;
            outs[r] = history_data + behind[e + r] * k + from;
          }
          dot_products_4(xs, dirs.at(from), d, t - from, outs);
          for (int r = 0; r < 4; ++r) known[behind[e + r]] = t;
        }
        for (; e < e1; ++e) catch_up(behind[e], t);
      });
    }
    const std::size_t groups = (stale.size() + kLanes - 1) / kLanes;
    auto run_groups = [&](std::size_t g0, std::size_t g1) {
      std::int64_t applied = 0;
      for (std::size_t g = g0; g < g1; ++g) {
        const std::size_t e0 = g * kLanes;
        const int count = static_cast<int>(std::min<std::size_t>(kLanes, stale.size() - e0));
        applied += rescore_lanes(stale.data() + e0, count, t, history_data, k, dirs.beta.data());
      }
      work.fetch_add(applied, std::memory_order_relaxed);
    };
    if (groups <= kLanesPerTask) {
      run_groups(0, groups);
    } else {
      parallel_for((groups + kLanesPerTask - 1) / kLanesPerTask, [&](std::size_t task) {
        run_groups(task * kLanesPerTask, std::min(groups, (task + 1) * kLanesPerTask));
      });
    }
  };

  for (std::int32_t t = 0; t < k && remaining > 0; ++t) {
    if (in.cancel && *in.cancel) return GreedyStatus::cancelled;
    Candidate chosen{};
    for (;;) {
      while (top > floor && buckets[top].empty()) --top;
      if (buckets[top].empty()) {
        if (floor == 0) {  // unreachable while remaining > 0
          if (downdates) *downdates = work.load();
          return GreedyStatus::ok;
        }
        admit();
        continue;
      }
      std::vector<Candidate>& bucket = buckets[top];
      refresh_bucket(bucket, t);
      std::size_t kept = 0, raised = 0;
      for (std::size_t e = 0; e < bucket.size(); ++e) {
        const Candidate x = bucket[e];
        const std::size_t b = bucket_of(x.key(), shift);
        if (b == top) {
          bucket[kept++] = x;
        } else {
          buckets[b].push_back(x);  // lower: the usual case; higher only for negative λ
          raised = std::max(raised, b);
        }
      }
      bucket.resize(kept);
      if (kept == 0 && bucket.capacity() > 0) std::vector<Candidate>().swap(bucket);  // no stranded capacity
      if (raised > top) {
        top = raised;
        continue;
      }
      if (kept == 0) continue;
      std::size_t best = 0;
      for (std::size_t e = 1; e < kept; ++e)
        if (above(bucket[e], bucket[best])) best = e;
      chosen = bucket[best];
      bucket[best] = bucket.back();
      bucket.pop_back();
      if (bucket.empty()) std::vector<Candidate>().swap(bucket);
      break;
    }
    --remaining;
    resolution(t, chosen.key());
    const std::int32_t p = chosen.pos;
    picks[t] = p;
    quadratic[t] = chosen.q;
    if (in.progress) *in.progress = static_cast<std::int32_t>(t + 1);
    if (t + 1 < k) {
      const std::int64_t a = in.pairs[2 * p], b = in.pairs[2 * p + 1];
      dirs.add(t, in.Y + a * d, in.Y + b * d, chosen.lambda, chosen.q);
    }
  }
  if (downdates) *downdates = work.load();
  return GreedyStatus::ok;
}


}  // namespace arm
