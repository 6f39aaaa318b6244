// Response-level upper bounds on pair scores: with r_i = ‖y_i − ȳ‖ in the metric of the current
// M⁻¹ (projected coordinates), q_ij = ‖(y_i − ȳ) − (y_j − ȳ)‖² ≤ (r_i + r_j)² by the triangle
// inequality. r_i² falls with every pick as q does (by β_t (c_t[i] − u_t·ȳ)²), so the bound follows
// the decay of all scores together when picks use up dominant directions, which stale scores
// (each frozen at its last re-scoring) cannot. The bound carries a margin for rounding, so it
// also stays above the q that the downdates compute.
#pragma once

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <limits>
#include <vector>

#include "design/pair_scores.h"

namespace arm {

class ResponseBounds {
 public:
  ResponseBounds(const double* Y, std::int64_t n, std::int64_t d, std::int64_t k)
      : n_(n), d_(d), mean_(static_cast<std::size_t>(d), 0.0), r2_(static_cast<std::size_t>(n)),
        radius_(static_cast<std::size_t>(n)), slack_(static_cast<std::size_t>(n)) {
    for (std::int64_t i = 0; i < n; ++i)
      for (std::int64_t c = 0; c < d; ++c) mean_[c] += Y[i * d + c];
    for (std::int64_t c = 0; c < d; ++c) mean_[c] /= static_cast<double>(n);
    // Rounding in c_t, q and r² is at most a few ε·‖y‖² per step; 64·k·d·ε·‖y‖² covers it amply.
    const double eps = std::numeric_limits<double>::epsilon();
    for (std::int64_t i = 0; i < n; ++i) {
      double r2 = 0.0, norm2 = 0.0;
      for (std::int64_t c = 0; c < d; ++c) {
        const double x = Y[i * d + c] - mean_[c];
        r2 += x * x;
        norm2 += Y[i * d + c] * Y[i * d + c];
      }
      r2_[i] = r2;
      slack_[i] = 64.0 * static_cast<double>(k) * static_cast<double>(d) * eps * (norm2 + r2);
      radius_[i] = std::sqrt(r2 + slack_[i]);
    }
  }

  // After the pick with direction u and weight β, whose c = Y u is given.
  void downdate(const double* u, double beta, const double* c) {
    const double centre = dot_product(u, mean_.data(), d_);
    for (std::int64_t i = 0; i < n_; ++i) {
      const double x = c[i] - centre;
      r2_[i] -= beta * x * x;
      radius_[i] = std::sqrt(std::max(r2_[i], 0.0) + slack_[i]);
    }
  }

  // An upper bound on q_ij now, rounding included.
  double pair(std::int64_t i, std::int64_t j) const {
    const double s = radius_[i] + radius_[j];
    return (s * s + slack_[i] + slack_[j]) * (1.0 + 1e-9);
  }
  // An upper bound on λ·pair(i, j) over every pair, for any λ ≤ lambda_max: O(n).
  double largest_pair_bound(double lambda_max) const {
    double r1 = 0.0, r2 = 0.0, s = 0.0;
    for (std::int64_t i = 0; i < n_; ++i) {
      if (radius_[i] > r1) {
        r2 = r1;
        r1 = radius_[i];
      } else if (radius_[i] > r2) {
        r2 = radius_[i];
      }
      s = std::max(s, slack_[i]);
    }
    return lambda_max * (1.0 + 1e-9) * (((r1 + r2) * (r1 + r2) + 2.0 * s) * (1.0 + 1e-9));
  }
  // For kernels that evaluate pair() for many j at once, in the same operations.
  const double* radius() const { return radius_.data(); }
  const double* slack() const { return slack_.data(); }

 private:
  std::int64_t n_, d_;
  std::vector<double> mean_, r2_, radius_, slack_;
};

}  // namespace arm
