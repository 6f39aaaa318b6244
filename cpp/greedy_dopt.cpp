#include "greedy_dopt.h"

#include <algorithm>
#include <cstdlib>
#include <new>
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

// 4-ary max-heap of (stale score, position, step it is current to), ordered by score desc then
// position asc. Keys live in the entries and the four children of a node share one 64-byte cache
// line, so a sift through a heap of millions of candidates costs a few misses per level, not several
// random lookups per comparison.
class CandidateHeap {
 public:
  struct Entry {
    double key;
    std::int32_t pos;
    std::int32_t step;
  };

  explicit CandidateHeap(std::int64_t capacity)
      // Entry 1 (the first child group) starts a cache line: the block begins 3 entries early.
      : storage_(static_cast<Entry*>(std::aligned_alloc(64, round_up((capacity + 4) * sizeof(Entry))))),
        heap_(storage_ + 3) {
    if (!storage_) throw std::bad_alloc();
  }
  ~CandidateHeap() { std::free(storage_); }
  CandidateHeap(const CandidateHeap&) = delete;
  CandidateHeap& operator=(const CandidateHeap&) = delete;

  Entry& top() { return heap_[0]; }
  std::int64_t size() const { return size_; }
  void push_unordered(Entry e) { heap_[size_++] = e; }
  void heapify() {
    for (std::int64_t at = (size_ - 2) / 4; at >= 0; --at) sift_down(at);
  }
  void pop() {
    heap_[0] = heap_[--size_];
    if (size_ > 0) sift_down(0);
  }
  void sift_down(std::int64_t at) {
    const Entry item = heap_[at];
    for (;;) {
      const std::int64_t first = 4 * at + 1;
      if (first >= size_) break;
      const std::int64_t last = std::min(first + 4, size_);
      std::int64_t best = first;
      for (std::int64_t c = first + 1; c < last; ++c)
        if (above(heap_[c], heap_[best])) best = c;
      if (!above(heap_[best], item)) break;
      heap_[at] = heap_[best];
      at = best;
    }
    heap_[at] = item;
  }

 static bool above(const Entry& x, const Entry& y) {
    return x.key > y.key || (x.key == y.key && x.pos < y.pos);
  }

 private:
  static std::size_t round_up(std::size_t bytes) { return (bytes + 63) / 64 * 64; }
  Entry* storage_;
  Entry* heap_;
  std::int64_t size_ = 0;
};

GreedyStatus lazy(const GreedyInput& in, std::vector<double>& q, std::int32_t* picks,
                  double* quadratic) {
  const std::int64_t n = in.n, d = in.d, k = in.k;
  // c_s[i] for s < known[i], stored per response so a stale candidate reads two short rows.
  std::vector<double> history(static_cast<std::size_t>(n * k));
  std::vector<std::int32_t> known(static_cast<std::size_t>(n), 0);
  Directions dirs(d, k);

  // Most of a large pool never comes near the top. Only the best candidates by stale score live in
  // the heap (small enough to stay in cache); the rest wait in `reserve`, whose best entry bounds
  // every score in it. Whenever the heap's top no longer beats that bound, the next (doubling) slice
  // of the reserve moves into the heap. Same picks as one big heap; far fewer cache misses.
  using Entry = CandidateHeap::Entry;
  std::vector<Entry> reserve(static_cast<std::size_t>(in.m));
  for (std::int64_t p = 0; p < in.m; ++p)
    reserve[p] = {in.lambdas[p] * q[p], static_cast<std::int32_t>(p), 0};
  CandidateHeap heap(in.m);
  Entry bound{};  // the reserve's best entry (valid while the reserve is not empty)
  std::int64_t slice = std::max<std::int64_t>(1 << 16, in.m / 64);
  auto pull = [&]() {
    const std::int64_t r = static_cast<std::int64_t>(reserve.size());
    const std::int64_t take = std::min(slice, r);
    slice *= 2;
    auto below = [](const Entry& x, const Entry& y) { return CandidateHeap::above(y, x); };
    if (take < r) std::nth_element(reserve.begin(), reserve.begin() + (r - take), reserve.end(), below);
    for (std::int64_t e = r - take; e < r; ++e) heap.push_unordered(reserve[e]);
    reserve.resize(static_cast<std::size_t>(r - take));
    heap.heapify();
    if (!reserve.empty()) bound = *std::max_element(reserve.begin(), reserve.end(), below);
  };
  if (in.cancel && *in.cancel) return GreedyStatus::cancelled;
  pull();

  auto catch_up = [&](std::int64_t i, std::int32_t t) {
    double* row = history.data() + i * k;
    for (std::int32_t s = known[i]; s < t; ++s) row[s] = dot_product(in.Y + i * d, dirs.at(s), d);
    known[i] = std::max(known[i], t);
  };

  for (std::int32_t t = 0; t < k && heap.size() + static_cast<std::int64_t>(reserve.size()) > 0; ++t) {
    if (in.cancel && *in.cancel) return GreedyStatus::cancelled;
    for (;;) {
      if (heap.size() == 0 || (!reserve.empty() && !CandidateHeap::above(heap.top(), bound))) {
        pull();
        continue;
      }
      Entry& top = heap.top();
      if (top.step == t) break;
      const std::int32_t p = top.pos;
      const std::int64_t i = in.pairs[2 * p], j = in.pairs[2 * p + 1];
      catch_up(i, t);
      catch_up(j, t);
      const double* ci = history.data() + i * k;
      const double* cj = history.data() + j * k;
      double qp = q[p];
      for (std::int32_t s = top.step; s < t; ++s) qp = downdate(qp, dirs.beta[s], ci[s], cj[s]);
      q[p] = qp;
      top.key = in.lambdas[p] * qp;
      top.step = t;
      heap.sift_down(0);
    }
    const std::int32_t p = heap.top().pos;
    heap.pop();
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
