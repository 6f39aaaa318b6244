// Cholesky, triangular inverse, projection, pair scores and the information matrix against
// brute force: L·Lᵀ = M, log det by Gaussian elimination, L·y_i = φ_i, ‖y_i − y_j‖², and
// ridge·I + base + Σ w v vᵀ summed pair by pair.
#include "active_rm/active_rm.h"
#include "check.h"
#include "gemm/gemm.h"

using namespace arm;

namespace {

// A well-conditioned SPD matrix B·Bᵀ/d + I.
std::vector<double> spd(std::mt19937_64& rng, std::int64_t d) {
  const std::vector<double> b = kernel_test::random_vector(rng, static_cast<std::size_t>(d * d));
  std::vector<double> m(static_cast<std::size_t>(d * d));
  for (std::int64_t i = 0; i < d; ++i)
    for (std::int64_t j = 0; j < d; ++j) {
      double s = 0;
      for (std::int64_t k = 0; k < d; ++k) s += b[i * d + k] * b[j * d + k];
      m[i * d + j] = s / d + (i == j ? 1.0 : 0.0);
    }
  return m;
}

long double log_det(const std::vector<double>& m, std::int64_t d) {
  return kernel_test::log_abs_det(std::vector<long double>(m.begin(), m.end()), d);
}

}  // namespace

TEST(cholesky_factor_and_log_det_match_brute_force) {
  std::mt19937_64 rng(3);
  for (std::int64_t d : {1, 2, 5, 33, 97, 200}) {
    const std::vector<double> m = spd(rng, d);
    std::vector<double> l = m;
    double log_det_value = 0, pivot = 0;
    CHECK(cholesky_in_place(l.data(), d, &log_det_value, &pivot) == -1);
    CHECK_NEAR(log_det_value, static_cast<double>(log_det(m, d)), 1e-11);
    for (std::int64_t i = 0; i < d; ++i)
      for (std::int64_t j = 0; j < d; ++j) {
        if (j > i) CHECK(l[i * d + j] == 0.0);
        double s = 0;
        for (std::int64_t k = 0; k <= std::min(i, j); ++k) s += l[i * d + k] * l[j * d + k];
        CHECK_NEAR(s, m[i * d + j], 1e-12);
      }
  }
}

TEST(cholesky_reports_first_bad_pivot) {
  // [[1, 2], [2, 1]] is indefinite: the second pivot is 1 − 4 = −3.
  double a[4] = {1, 2, 2, 1};
  double log_det_value = 0, pivot = 0;
  CHECK(cholesky_in_place(a, 2, &log_det_value, &pivot) == 1);
  CHECK_NEAR(pivot, -3.0, 1e-15);
}

TEST(projection_solves_the_triangular_system) {
  std::mt19937_64 rng(4);
  for (std::int64_t d : {1, 3, 16, 41}) {
    std::vector<double> l = spd(rng, d);
    double log_det_value, pivot;
    CHECK(cholesky_in_place(l.data(), d, &log_det_value, &pivot) == -1);
    std::vector<double> x(static_cast<std::size_t>(d * d));
    triangular_inverse(l.data(), d, x.data());
    for (std::int64_t i = 0; i < d; ++i)
      for (std::int64_t j = 0; j < d; ++j) {
        double s = 0;
        for (std::int64_t k = 0; k < d; ++k) s += l[i * d + k] * x[k * d + j];
        CHECK_NEAR(s, i == j ? 1.0 : 0.0, 1e-12);
      }
    const std::int64_t n = 53;
    const std::vector<double> phi = kernel_test::random_vector(rng, static_cast<std::size_t>(n * d));
    const std::vector<float> phi32(phi.begin(), phi.end());
    std::vector<double> y(static_cast<std::size_t>(n * d)), y32(static_cast<std::size_t>(n * d));
    project_responses<double>(phi.data(), n, d, l.data(), y.data());
    project_responses<float>(phi32.data(), n, d, l.data(), y32.data());
    for (std::int64_t i = 0; i < n; ++i)
      for (std::int64_t r = 0; r < d; ++r) {
        double s = 0, s32 = 0;
        for (std::int64_t c = 0; c <= r; ++c) {
          s += l[r * d + c] * y[i * d + c];
          s32 += l[r * d + c] * y32[i * d + c];
        }
        CHECK_NEAR(s, phi[i * d + r], 1e-11);
        CHECK_NEAR(s32, static_cast<double>(phi32[i * d + r]), 1e-11);
      }
  }
}

TEST(pair_scores_match_squared_distances_and_honor_cancel) {
  std::mt19937_64 rng(8);
  const std::int64_t n = 40, d = 13;
  const std::vector<double> y = kernel_test::random_vector(rng, static_cast<std::size_t>(n * d));
  std::vector<std::int32_t> pairs;
  for (int i = 0; i < n; ++i)
    for (int j = i + 1; j < n; ++j) pairs.insert(pairs.end(), {i, j});
  const std::int64_t m = static_cast<std::int64_t>(pairs.size() / 2);
  std::vector<double> q(static_cast<std::size_t>(m));
  CHECK(pair_scores(y.data(), d, pairs.data(), m, q.data(), nullptr));
  for (std::int64_t p = 0; p < m; ++p) {
    double s = 0;
    for (std::int64_t c = 0; c < d; ++c) {
      const double diff = y[pairs[2 * p] * d + c] - y[pairs[2 * p + 1] * d + c];
      s += diff * diff;
    }
    CHECK_NEAR(q[p], s, 1e-14);
    CHECK_SAME_BITS(q[p], squared_distance(y.data() + pairs[2 * p] * d, y.data() + pairs[2 * p + 1] * d, d));
  }
  const volatile std::int32_t cancel = 1;
  CHECK(!pair_scores(y.data(), d, pairs.data(), m, q.data(), &cancel));
}

TEST(information_matrix_matches_sum_of_outer_products) {
  std::mt19937_64 rng(9);
  const std::int64_t n = 30, d = 11;
  const std::vector<double> phi = kernel_test::random_vector(rng, static_cast<std::size_t>(n * d));
  const std::vector<float> phi32(phi.begin(), phi.end());
  std::vector<std::int32_t> pairs;
  std::vector<double> w;
  std::uniform_real_distribution<double> unit(0.01, 0.25);
  for (int i = 0; i < n; i += 2)  // responses 1, 3, … appear only as j: rows without degree too
    for (int j = i + 1; j < n; j += 5) {
      pairs.insert(pairs.end(), {i, j});
      w.push_back(unit(rng));
    }
  const std::int64_t m = static_cast<std::int64_t>(w.size());
  const std::vector<double> base = spd(rng, d);
  const double ridge = 0.5;
  std::vector<double> out(static_cast<std::size_t>(d * d)), out32(static_cast<std::size_t>(d * d));
  information_matrix<double>(phi.data(), n, d, pairs.data(), m, w.data(), ridge, base.data(), out.data());
  information_matrix<float>(phi32.data(), n, d, pairs.data(), m, w.data(), ridge, nullptr, out32.data());
  for (std::int64_t r = 0; r < d; ++r)
    for (std::int64_t c = 0; c < d; ++c) {
      double s = 0, s32 = 0;
      for (std::int64_t p = 0; p < m; ++p) {
        const std::int64_t i = pairs[2 * p], j = pairs[2 * p + 1];
        s += w[p] * (phi[i * d + r] - phi[j * d + r]) * (phi[i * d + c] - phi[j * d + c]);
        s32 += w[p] * (double(phi32[i * d + r]) - phi32[j * d + r]) * (double(phi32[i * d + c]) - phi32[j * d + c]);
      }
      const double diag = r == c ? ridge : 0.0;
      CHECK_NEAR(out[r * d + c], diag + base[r * d + c] + s, 1e-12);
      CHECK_NEAR(out32[r * d + c], diag + s32, 1e-12);
      CHECK_SAME_BITS(out[r * d + c], out[c * d + r]);
    }
}

TEST(projection_by_a_diagonal_factor_has_the_gemm_bits) {
  // M₀ = τI (no labels yet): the projection scales instead of multiplying, with the bits of the
  // triangular GEMM it replaces, signed zeros included; every ISA's GEMM (FMA or not) adds the one
  // nonzero product to exact zeros.
  std::mt19937_64 rng(5);
  for (std::int64_t d : {1, 7, 64, 130}) {
    std::vector<double> l(static_cast<std::size_t>(d * d), 0.0);
    for (std::int64_t j = 0; j < d; ++j) l[j * d + j] = std::sqrt(0.37 + 0.01 * static_cast<double>(j));
    const std::int64_t n = 700;  // several row tasks
    std::vector<double> phi = kernel_test::random_vector(rng, static_cast<std::size_t>(n * d));
    phi[0] = -0.0;
    phi[phi.size() - 1] = 0.0;
    std::vector<float> phi32(phi.begin(), phi.end());
    std::vector<double> x(static_cast<std::size_t>(d * d));
    triangular_inverse(l.data(), d, x.data());
    GemmOptions opt;
    opt.b_upper = true;
    std::vector<double> want(static_cast<std::size_t>(n * d)), want32(want.size()), y(want.size()), y32(want.size());
    gemm<double>(n, d, d, StridedMatrix<double>{phi.data(), d, 1}, StridedMatrix<double>{x.data(), 1, d}, want.data(), d, opt);
    gemm<float>(n, d, d, StridedMatrix<float>{phi32.data(), d, 1}, StridedMatrix<double>{x.data(), 1, d}, want32.data(), d, opt);
    project_responses<double>(phi.data(), n, d, l.data(), y.data());
    project_responses<float>(phi32.data(), n, d, l.data(), y32.data());
    for (std::size_t e = 0; e < y.size(); ++e) {
      CHECK_SAME_BITS(y[e], want[e]);
      CHECK_SAME_BITS(y32[e], want32[e]);
    }
  }
}
