// Greedy D-optimal selection and the sequential gains against brute force: at every step each
// candidate's gain log det(M_t + λ v vᵀ) is computed from the determinant of the updated matrix
// in the original coordinates (Gaussian elimination, long double). Plain and lazy greedy must
// also agree bit for bit on a pool large enough to use the thread pool and the bucket admission.
#include "active_rm/active_rm.h"
#include "check.h"
#include "design/greedy_bucket_queue.h"

using namespace arm;

namespace {

struct Problem {
  std::int64_t n, d, m;
  std::vector<double> phi, m0, l, y, lambdas;
  std::vector<std::int32_t> pairs;
};

// M0 = ridge·I + Σ over a few "past" pairs, so the projection is not the identity.
Problem make_problem(std::mt19937_64& rng, std::int64_t n, std::int64_t d, std::int64_t group,
                     bool duplicates) {
  Problem p{n, d, 0, kernel_test::random_vector(rng, static_cast<std::size_t>(n * d)), {}, {}, {}, {}, {}};
  for (std::int64_t g = 0; g < n; g += group)
    for (std::int64_t i = g; i < std::min(n, g + group); ++i)
      for (std::int64_t j = i + 1; j < std::min(n, g + group); ++j)
        p.pairs.insert(p.pairs.end(), {static_cast<std::int32_t>(i), static_cast<std::int32_t>(j)});
  if (duplicates) p.pairs.insert(p.pairs.end(), p.pairs.begin(), p.pairs.begin() + 2 * std::min<std::int64_t>(50, p.pairs.size() / 2));
  p.m = static_cast<std::int64_t>(p.pairs.size() / 2);
  std::uniform_real_distribution<double> unit(0.0, 0.25);
  for (std::int64_t e = 0; e < p.m; ++e) p.lambdas.push_back(e % 17 == 5 ? 0.0 : unit(rng));
  const std::int32_t past[] = {0, 1, 2, 3, 1, 2};
  const double past_w[] = {0.2, 0.1, 0.3};
  p.m0.resize(static_cast<std::size_t>(d * d));
  information_matrix<double>(p.phi.data(), n, d, past, 3, past_w, 0.7, nullptr, p.m0.data());
  p.l = p.m0;
  double log_det_value, pivot;
  cholesky_in_place(p.l.data(), d, &log_det_value, &pivot);
  p.y.resize(static_cast<std::size_t>(n * d));
  project_responses<double>(p.phi.data(), n, d, p.l.data(), p.y.data());
  return p;
}

long double log_det_with(const std::vector<long double>& m, const Problem& p, std::int64_t e,
                         double lambda) {
  std::vector<long double> a = m;
  const double* fi = p.phi.data() + p.pairs[2 * e] * p.d;
  const double* fj = p.phi.data() + p.pairs[2 * e + 1] * p.d;
  for (std::int64_t r = 0; r < p.d; ++r)
    for (std::int64_t c = 0; c < p.d; ++c)
      a[r * p.d + c] += static_cast<long double>(lambda) * (fi[r] - fj[r]) * (fi[c] - fj[c]);
  return kernel_test::log_abs_det(a, p.d);
}

struct Result {
  std::vector<std::int32_t> picks;
  std::vector<double> q;
};

Result run_greedy(const Problem& p, std::int64_t k, bool lazy) {
  Result r{std::vector<std::int32_t>(static_cast<std::size_t>(k), -1), std::vector<double>(static_cast<std::size_t>(k))};
  const GreedyInput in{p.y.data(), p.n, p.d, p.pairs.data(), p.lambdas.data(), p.m, k, lazy, nullptr};
  CHECK(greedy_dopt(in, r.picks.data(), r.q.data()) == GreedyStatus::ok);
  return r;
}

}  // namespace

TEST(greedy_plain_and_lazy_match_brute_force_greedy) {
  std::mt19937_64 rng(21);
  const Problem p = make_problem(rng, 14, 5, 7, false);
  const std::int64_t k = 8;
  const Result plain = run_greedy(p, k, false), lazy = run_greedy(p, k, true);
  std::vector<long double> m(p.m0.begin(), p.m0.end());
  std::vector<bool> taken(static_cast<std::size_t>(p.m), false);
  for (std::int64_t t = 0; t < k; ++t) {
    CHECK(plain.picks[t] == lazy.picks[t]);
    CHECK_SAME_BITS(plain.q[t], lazy.q[t]);
    const long double base = kernel_test::log_abs_det(m, p.d);
    long double best = -1e300L;
    for (std::int64_t e = 0; e < p.m; ++e)
      if (!taken[e]) best = std::max(best, log_det_with(m, p, e, p.lambdas[e]) - base);
    const std::int32_t pick = plain.picks[t];
    CHECK(pick >= 0 && pick < p.m && !taken[pick]);
    if (pick < 0 || pick >= p.m) return;
    const long double gain = log_det_with(m, p, pick, p.lambdas[pick]) - base;
    CHECK_NEAR(static_cast<double>(gain), static_cast<double>(best), 1e-10);
    // q of the pick is v M_t⁻¹ v: det(M_t + λ v vᵀ) / det(M_t) = 1 + λ q (λ = 1 for a clean ratio).
    const long double ratio = std::exp(log_det_with(m, p, pick, 1.0) - base);
    CHECK_NEAR(plain.q[t], static_cast<double>(ratio - 1), 1e-10);
    taken[pick] = true;
    const double* fi = p.phi.data() + p.pairs[2 * pick] * p.d;
    const double* fj = p.phi.data() + p.pairs[2 * pick + 1] * p.d;
    for (std::int64_t r = 0; r < p.d; ++r)
      for (std::int64_t c = 0; c < p.d; ++c)
        m[r * p.d + c] += static_cast<long double>(p.lambdas[pick]) * (fi[r] - fj[r]) * (fi[c] - fj[c]);
  }
}

TEST(greedy_plain_and_lazy_bit_identical_on_a_large_pool) {
  std::mt19937_64 rng(22);
  // 3000 responses in prompts of 10 (13,500 pairs plus 50 exact duplicates, which tie: the lower
  // position wins), d = 24, k = 120: enough for parallel catch-ups and several admissions.
  const Problem p = make_problem(rng, 3000, 24, 10, true);
  const std::int64_t k = 120;
  const Result plain = run_greedy(p, k, false), lazy = run_greedy(p, k, true);
  for (std::int64_t t = 0; t < k; ++t) {
    CHECK(plain.picks[t] == lazy.picks[t]);
    CHECK_SAME_BITS(plain.q[t], lazy.q[t]);
  }
  std::vector<bool> seen(static_cast<std::size_t>(p.m), false);
  for (std::int32_t pick : plain.picks) {
    CHECK(pick >= 0 && pick < p.m && !seen[pick]);
    if (pick >= 0 && pick < p.m) seen[pick] = true;
  }
}

TEST(bucket_width_follows_the_fall_of_the_best_score) {
  CHECK(bucket_shift(46, 0.0) == 46);
  CHECK(bucket_shift(46, 0.001) == 46);  // 0.1 % a pick: fine buckets (1.6 %) last several picks
  CHECK(bucket_shift(46, 0.05) == 50);   // 5 % a pick: as coarse as it goes
  const int mid = bucket_shift(46, 0.004);
  CHECK(mid > 46 && mid < 50);
  CHECK(bucket_shift(mid, 0.004) == mid);
  // Hysteresis: a slightly slower fall keeps the cut; a much slower one goes back to fine.
  CHECK(bucket_shift(mid, 0.004 * 0.8) == mid);
  CHECK(bucket_shift(mid, 0.0001) == 46);
}

namespace {

// The bucket queue's picks and q's, bit for bit against plain greedy, with what the probe saw.
void check_bucket_queue(const Problem& p, std::int64_t k, BucketQueueProbe& probe) {
  const Result plain = run_greedy(p, k, false);
  std::vector<double> q0(static_cast<std::size_t>(p.m));
  CHECK(pair_scores(p.y.data(), p.d, p.pairs.data(), p.m, q0.data(), nullptr));
  const GreedyInput in{p.y.data(), p.n, p.d, p.pairs.data(), p.lambdas.data(), p.m, k, true, nullptr};
  std::vector<std::int32_t> picks(static_cast<std::size_t>(k), -1);
  std::vector<double> q(static_cast<std::size_t>(k));
  CHECK(greedy_bucket_queue(in, q0, picks.data(), q.data(), nullptr, &probe) == GreedyStatus::ok);
  for (std::int64_t t = 0; t < k; ++t) {
    CHECK(picks[t] == plain.picks[t]);
    CHECK_SAME_BITS(q[t], plain.q[t]);
  }
}

// Features with a steep spectrum (column c scaled by (c + 1)^-1.5): the best score falls by
// several % a pick at first and slowly later.
Problem steep_problem(std::uint64_t seed, std::int64_t n) {
  std::mt19937_64 rng(seed);
  const std::int64_t d = 24;
  Problem p = make_problem(rng, n, d, 20, false);
  for (std::int64_t i = 0; i < n; ++i)
    for (std::int64_t c = 0; c < d; ++c) p.y[i * d + c] *= std::pow(static_cast<double>(c + 1), -1.5);
  return p;
}

}  // namespace

TEST(bucket_queue_follows_the_fall_and_keeps_plain_greedy_picks) {
  // 76,000 pairs: more than the first admission (65,536), so candidates still wait below the floor
  // at the first re-cut, which is coarser; later ones are finer.
  const Problem p = steep_problem(23, 8000);
  BucketQueueProbe probe;
  check_bucket_queue(p, 300, probe);
  CHECK(probe.coarser > 0);
  CHECK(probe.finer > 0);
  CHECK(probe.recut_with_waiting);
}

TEST(bucket_queue_forced_recuts_keep_plain_greedy_picks) {
  // 19,000 pairs, 1,000 queued at first, the cut forced between the extremes and steps between at
  // every look: waiting candidates cross every kind of re-cut and are admitted after them (a
  // re-cut that loses the waiting candidates sharing the new floor's bucket fails here).
  Problem p = steep_problem(23, 2000);
  // A few negative λ (not from Bradley–Terry, but accepted): their keys rise as q falls, so
  // entries also move up across re-cuts.
  for (std::int64_t e = 3; e < p.m; e += 97) p.lambdas[e] = -p.lambdas[e];
  const std::vector<int> schedule{50, 46, 48, 47, 49, 46, 50, 49, 46, 47, 50, 48, 46, 50, 46, 49, 47, 46};
  BucketQueueProbe probe;
  probe.schedule = &schedule;
  probe.first_admission = 1000;
  check_bucket_queue(p, 300, probe);
  CHECK(probe.coarser >= 8 && probe.finer >= 8);
  CHECK(probe.admissions_after_recut > 0);
}

TEST(greedy_stops_when_cancelled) {
  std::mt19937_64 rng(23);
  const Problem p = make_problem(rng, 20, 4, 5, false);
  const volatile std::int32_t cancel = 1;
  std::vector<std::int32_t> picks(4);
  std::vector<double> q(4);
  for (bool lazy : {false, true}) {
    const GreedyInput in{p.y.data(), p.n, p.d, p.pairs.data(), p.lambdas.data(), p.m, 4, lazy, &cancel};
    CHECK(greedy_dopt(in, picks.data(), q.data()) == GreedyStatus::cancelled);
  }
}

// The selection stores its picks done for a polling display; every route must end at k.
TEST(greedy_reports_picks_done_on_every_route) {
  std::mt19937_64 rng(25);
  const Problem small = make_problem(rng, 14, 5, 7, false);    // n·d ≤ 2m: lazy runs blocked
  const Problem large = make_problem(rng, 600, 24, 10, false);  // n·d > 2m: lazy runs the bucket queue
  for (const Problem* p : {&small, &large})
    for (bool lazy : {false, true}) {
      const std::int64_t k = std::min<std::int64_t>(9, p->m);
      std::vector<std::int32_t> picks(static_cast<std::size_t>(k));
      std::vector<double> q(static_cast<std::size_t>(k));
      volatile std::int32_t progress = -1;
      GreedyInput in{p->y.data(), p->n, p->d, p->pairs.data(), p->lambdas.data(), p->m, k, lazy, nullptr};
      in.progress = &progress;
      CHECK(greedy_dopt(in, picks.data(), q.data()) == GreedyStatus::ok);
      CHECK(progress == k);
    }
}

TEST(sequential_gains_match_log_det_increments) {
  std::mt19937_64 rng(24);
  const Problem p = make_problem(rng, 16, 6, 8, false);
  const std::int64_t k = 10;
  std::vector<std::int32_t> order;
  std::vector<double> lambdas;
  for (std::int64_t t = 0; t < k; ++t) {
    const std::int64_t e = (t * 7 + 3) % p.m;
    order.insert(order.end(), {p.pairs[2 * e], p.pairs[2 * e + 1]});
    lambdas.push_back(0.05 + 0.1 * t);
  }
  const std::vector<float> phi32(p.phi.begin(), p.phi.end());
  std::vector<double> gains(static_cast<std::size_t>(k)), gains32(static_cast<std::size_t>(k));
  sequential_gains<double>(p.phi.data(), p.d, p.l.data(), order.data(), lambdas.data(), k, gains.data());
  sequential_gains<float>(phi32.data(), p.d, p.l.data(), order.data(), lambdas.data(), k, gains32.data());
  std::vector<long double> m(p.m0.begin(), p.m0.end()), m32 = m;
  for (std::int64_t t = 0; t < k; ++t) {
    const long double before = kernel_test::log_abs_det(m, p.d), before32 = kernel_test::log_abs_det(m32, p.d);
    const std::int64_t i = order[2 * t], j = order[2 * t + 1];
    for (std::int64_t r = 0; r < p.d; ++r)
      for (std::int64_t c = 0; c < p.d; ++c) {
        m[r * p.d + c] += static_cast<long double>(lambdas[t]) * (p.phi[i * p.d + r] - p.phi[j * p.d + r]) *
                          (p.phi[i * p.d + c] - p.phi[j * p.d + c]);
        m32[r * p.d + c] += static_cast<long double>(lambdas[t]) * (double(phi32[i * p.d + r]) - phi32[j * p.d + r]) *
                            (double(phi32[i * p.d + c]) - phi32[j * p.d + c]);
      }
    CHECK_NEAR(gains[t], static_cast<double>(kernel_test::log_abs_det(m, p.d) - before), 1e-11);
    CHECK_NEAR(gains32[t], static_cast<double>(kernel_test::log_abs_det(m32, p.d) - before32), 1e-11);
  }
}
