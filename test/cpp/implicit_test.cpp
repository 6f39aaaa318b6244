// The implicit exhaustive pool's greedy (design/greedy_implicit.h) against plain greedy on the
// same pool materialized by brute force (every (i, j), i < j, of the kind, less the excluded, in
// lexicographic order): the same picks and bit-identical q, for zero heads (every λ = ¼, so every
// tie is decided by position), nonzero heads, both λ formulas, 'cross' and 'all', labeled pairs,
// and duplicated responses (exact ties in q).
#include <algorithm>
#include <cmath>

#include "active_rm/active_rm.h"
#include "check.h"

using namespace arm;

namespace {

struct Case {
  std::int64_t n, d, prompts, k;
  bool cross, zero_head, exp_form, duplicates;
  double offset = 0.0;  // a shared offset of this norm, and prompt centres of a tenth of it
};

struct Setup {
  std::vector<double> y, exp_rewards, rewards;
  std::vector<std::int32_t> prompt, excluded;
  ImplicitPool pool;
};

Setup make(std::mt19937_64& rng, const Case& c) {
  Setup s;
  s.y = kernel_test::random_vector(rng, static_cast<std::size_t>(c.n * c.d));
  if (c.duplicates)  // a few responses equal to others: their pairs tie exactly
    for (std::int64_t i = 0; i < c.n / 10; ++i)
      std::copy(s.y.begin() + (i + c.n / 2) * c.d, s.y.begin() + (i + c.n / 2 + 1) * c.d, s.y.begin() + i * c.d);
  std::uniform_int_distribution<std::int32_t> which(0, static_cast<std::int32_t>(c.prompts - 1));
  for (std::int64_t i = 0; i < c.n; ++i) s.prompt.push_back(which(rng));
  if (c.offset > 0.0) {  // clustered responses far from the origin: q ≪ ‖y‖², where margins matter
    const std::vector<double> shared = kernel_test::random_vector(rng, static_cast<std::size_t>(c.d), c.offset / std::sqrt(static_cast<double>(c.d)));
    const std::vector<double> centres = kernel_test::random_vector(rng, static_cast<std::size_t>(c.prompts * c.d), 0.1 * c.offset / std::sqrt(static_cast<double>(c.d)));
    for (std::int64_t i = 0; i < c.n; ++i)
      for (std::int64_t x = 0; x < c.d; ++x) s.y[i * c.d + x] += shared[x] + centres[s.prompt[i] * c.d + x];
  }
  std::normal_distribution<double> normal(0.0, 2.0);
  for (std::int64_t i = 0; i < c.n; ++i) {
    const double r = c.zero_head ? 0.0 : normal(rng);
    s.rewards.push_back(r);
    s.exp_rewards.push_back(std::exp(r));
  }
  std::uniform_int_distribution<std::int32_t> any(0, static_cast<std::int32_t>(c.n - 1));
  for (int p = 0; p < 40; ++p) {  // labeled pairs: either order, some repeated, some within a prompt
    const std::int32_t a = any(rng), b = any(rng);
    if (a == b) continue;
    s.excluded.insert(s.excluded.end(), {a, b});
    if (p % 7 == 0) s.excluded.insert(s.excluded.end(), {b, a});
  }
  s.excluded.insert(s.excluded.end(), {0, 1, 0, 2});  // the lowest positions: ties would pick them
  s.pool.n = c.n;
  s.pool.prompt = s.prompt.data();
  s.pool.cross = c.cross;
  s.pool.exp_rewards = c.exp_form ? s.exp_rewards.data() : nullptr;
  s.pool.rewards = s.rewards.data();
  s.pool.excluded = s.excluded.data();
  s.pool.excluded_m = static_cast<std::int64_t>(s.excluded.size() / 2);
  return s;
}

void compare_with_plain(const Case& c, std::uint64_t seed, std::int64_t head_cap = 1 << 20) {
  std::mt19937_64 rng(seed);
  const Setup s = make(rng, c);
  std::vector<std::int32_t> pairs;
  std::vector<double> lambdas;
  for (std::int64_t i = 0; i < c.n; ++i)
    for (std::int64_t j = i + 1; j < c.n; ++j) {
      if (!s.pool.member(i, j)) continue;
      bool labeled = false;
      for (std::size_t p = 0; p < s.excluded.size(); p += 2)
        labeled |= std::min(s.excluded[p], s.excluded[p + 1]) == i && std::max(s.excluded[p], s.excluded[p + 1]) == j;
      if (labeled) continue;
      pairs.insert(pairs.end(), {static_cast<std::int32_t>(i), static_cast<std::int32_t>(j)});
      lambdas.push_back(s.pool.lambda(i, j));
    }
  const std::int64_t m = static_cast<std::int64_t>(lambdas.size());
  std::vector<std::int32_t> plain_picks(c.k);
  std::vector<double> plain_q(c.k);
  const GreedyInput plain{s.y.data(), c.n, c.d, pairs.data(), lambdas.data(), m, c.k, false, nullptr};
  CHECK(greedy_dopt(plain, plain_picks.data(), plain_q.data()) == GreedyStatus::ok);
  std::vector<std::int32_t> got(2 * c.k, -1);
  std::vector<double> got_q(c.k);
  volatile std::int32_t progress = -1;
  const ImplicitGreedyInput in{s.y.data(), c.d, s.pool, c.k, nullptr, &progress, head_cap};
  std::int64_t downdates = 0;
  CHECK(greedy_implicit(in, got.data(), got_q.data(), &downdates) == GreedyStatus::ok);
  CHECK(progress == c.k);
  CHECK(downdates > 0);
  for (std::int64_t t = 0; t < c.k; ++t) {
    const std::int32_t p = plain_picks[t];
    CHECK(got[2 * t] == pairs[2 * p] && got[2 * t + 1] == pairs[2 * p + 1]);
    CHECK_SAME_BITS(got_q[t], plain_q[t]);
  }
}

}  // namespace

TEST(implicit_greedy_matches_plain_greedy_on_small_pools) {
  std::uint64_t seed = 40;
  for (bool cross : {true, false})
    for (bool zero_head : {true, false})
      for (bool exp_form : {true, false})
        compare_with_plain({37, 5, 6, 20, cross, zero_head, exp_form, true}, seed++);
}

TEST(implicit_greedy_matches_plain_greedy_on_a_threaded_pool) {
  // 900 responses (≈ 400k pairs: several scan ranges), d = 16, k = 150: several heads.
  compare_with_plain({900, 16, 90, 150, true, false, true, true}, 50);
  compare_with_plain({700, 12, 30, 120, false, true, true, false}, 51);
  // More picks than dimensions (the metric's small eigenvalues) on clustered, offset responses.
  compare_with_plain({500, 8, 25, 60, true, false, true, true, 400.0}, 53);
  compare_with_plain({400, 6, 20, 50, true, true, true, false, 1000.0}, 54);
}

TEST(implicit_greedy_matches_plain_greedy_when_the_head_cap_raises_the_edge) {
  // A cap of a few members: passes raise their edge many times, members admitted below the final
  // edge go back to the pool; flat scores (zero head) and ties make that happen on every pass.
  compare_with_plain({300, 6, 30, 80, true, true, true, true}, 55, 4);
  compare_with_plain({200, 5, 20, 60, false, false, true, false, 300.0}, 56, 16);
}

TEST(implicit_greedy_stops_when_cancelled) {
  std::mt19937_64 rng(52);
  const Setup s = make(rng, {40, 4, 5, 6, true, false, true, false});
  const volatile std::int32_t cancel = 1;
  std::vector<std::int32_t> pairs(12);
  std::vector<double> q(6);
  const ImplicitGreedyInput in{s.y.data(), 4, s.pool, 6, &cancel, nullptr};
  CHECK(greedy_implicit(in, pairs.data(), q.data()) == GreedyStatus::cancelled);
}
