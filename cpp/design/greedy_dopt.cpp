#include "design/greedy_dopt.h"

#include <algorithm>
#include <cstring>
#include <limits>
#include <vector>

#include "design/greedy_blocked.h"
#include "design/greedy_bucket_queue.h"
#include "design/greedy_directions.h"
#include "design/pair_scores.h"
#include "linalg/thread_pool.h"

namespace arm {

namespace {

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
    if (in.progress) *in.progress = static_cast<std::int32_t>(t + 1);
    if (t + 1 == in.k) break;
    const std::int64_t a = in.pairs[2 * p], b = in.pairs[2 * p + 1];
    const double* ut = dirs.add(t, in.Y + a * in.d, in.Y + b * in.d, in.lambdas[p], q[p]);
    const double beta = dirs.beta[t];
    const std::int64_t row_chunk = 256;
    parallel_for(static_cast<std::size_t>((in.n + row_chunk - 1) / row_chunk), [&](std::size_t r) {
      const std::int64_t r0 = static_cast<std::int64_t>(r) * row_chunk;
      const std::int64_t r1 = std::min(in.n, r0 + row_chunk);
      dot_products(ut, in.Y + r0 * in.d, in.d, r1 - r0, c.data() + r0);
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

}  // namespace

GreedyStatus greedy_dopt(const GreedyInput& in, std::int32_t* picks, double* quadratic,
                         std::int64_t* downdates) {
  std::vector<double> q(static_cast<std::size_t>(in.m));
  if (!pair_scores(in.Y, in.d, in.pairs, in.m, q.data(), in.cancel)) return GreedyStatus::cancelled;
  // The blocked mode's bounds assume scores only fall (λ ≥ 0, as Bradley–Terry weights are).
  bool monotone = true;
  for (std::int64_t p = 0; p < in.m && monotone; ++p) monotone = in.lambdas[p] >= 0.0;
  // The blocked mode computes c_s = Y u_s for every response at every pick (O(n d)) and scans the
  // pool's bounds once per head (O(m)); where n·d outweighs the pool, the bucket queue, which
  // computes c_s only for responses it re-scores, is faster (90k within-prompt pairs over
  // n = 20,000, d = 256: about 3× faster).
  if (in.lazy && in.n * in.d > 2 * in.m) return greedy_bucket_queue(in, q, picks, quadratic, downdates);
  if (in.lazy && monotone) return greedy_blocked(in, q, picks, quadratic, downdates);
  if (downdates) *downdates = in.m * std::max<std::int64_t>(in.k - 1, 0) - in.k * std::max<std::int64_t>(in.k - 1, 0) / 2;
  return plain(in, q, picks, quadratic);
}

}  // namespace arm
