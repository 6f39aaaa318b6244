#include "greedy_dopt.h"

#include <algorithm>
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

GreedyStatus lazy(const GreedyInput& in, std::vector<double>& q, std::int32_t* picks,
                  double* quadratic) {
  const std::int64_t n = in.n, d = in.d, k = in.k;
  std::vector<std::int32_t> current(static_cast<std::size_t>(in.m), 0);  // step q[p] is current to
  // c_s[i] for s < known[i], stored per response so a stale candidate reads two short rows.
  std::vector<double> history(static_cast<std::size_t>(n * k));
  std::vector<std::int32_t> known(static_cast<std::size_t>(n), 0);
  Directions dirs(d, k);

  auto score = [&](std::int32_t p) { return in.lambdas[p] * q[p]; };
  auto above = [&](std::int32_t x, std::int32_t y) {
    const double sx = score(x), sy = score(y);
    return sx > sy || (sx == sy && x < y);
  };
  std::vector<std::int32_t> heap(static_cast<std::size_t>(in.m));
  for (std::int64_t p = 0; p < in.m; ++p) heap[p] = static_cast<std::int32_t>(p);
  std::int64_t size = in.m;
  auto sift_down = [&](std::int64_t at) {
    const std::int32_t item = heap[at];
    for (;;) {
      std::int64_t child = 2 * at + 1;
      if (child >= size) break;
      if (child + 1 < size && above(heap[child + 1], heap[child])) ++child;
      if (!above(heap[child], item)) break;
      heap[at] = heap[child];
      at = child;
    }
    heap[at] = item;
  };
  for (std::int64_t at = size / 2 - 1; at >= 0; --at) {
    sift_down(at);
    if ((at & 0xFFFFF) == 0 && in.cancel && *in.cancel) return GreedyStatus::cancelled;
  }

  auto catch_up = [&](std::int64_t i, std::int32_t t) {
    double* row = history.data() + i * k;
    for (std::int32_t s = known[i]; s < t; ++s) row[s] = dot_product(in.Y + i * d, dirs.at(s), d);
    known[i] = std::max(known[i], t);
  };

  for (std::int32_t t = 0; t < k && size > 0; ++t) {
    if (in.cancel && *in.cancel) return GreedyStatus::cancelled;
    for (;;) {
      const std::int32_t p = heap[0];
      if (current[p] == t) break;
      const std::int64_t i = in.pairs[2 * p], j = in.pairs[2 * p + 1];
      catch_up(i, t);
      catch_up(j, t);
      const double* ci = history.data() + i * k;
      const double* cj = history.data() + j * k;
      double qp = q[p];
      for (std::int32_t s = current[p]; s < t; ++s) qp = downdate(qp, dirs.beta[s], ci[s], cj[s]);
      q[p] = qp;
      current[p] = t;
      sift_down(0);
    }
    const std::int32_t p = heap[0];
    heap[0] = heap[--size];
    if (size > 0) sift_down(0);
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
