// An exhaustive candidate pool described instead of listed: every pair (i, j), i < j, of n
// responses ('all'), or only those whose prompts differ ('cross'), less the excluded (already
// labeled) pairs. No (i, j) or λ array exists: λ_ij comes from per-response values, so a pool of
// 2·10⁸ pairs costs O(n) here. Positions are in lexicographic (i, j) order, as in the
// materialized pool (lib/problem/pools.ts), so "lower position wins a tie" is "lower (i, j) wins".
#pragma once

#include <cmath>
#include <cstdint>

namespace arm {

struct ImplicitPool {
  std::int64_t n = 0;
  const std::int32_t* prompt = nullptr;  // n prompt ids (read only when cross)
  bool cross = true;
  // λ_ij as lib/math/fisher.ts pairLambdas rounds it: e_i e_j / (e_i + e_j)² from the scaled
  // exponentials e_i = exp(r_i − c) when given, else e/(1 + e)² with e = exp(−|r_i − r_j|).
  const double* exp_rewards = nullptr;
  const double* rewards = nullptr;
  const std::int32_t* excluded = nullptr;  // pairs never proposed (either order, repeats allowed)
  std::int64_t excluded_m = 0;

  double lambda(std::int64_t i, std::int64_t j) const {
    if (exp_rewards) {
      const double a = exp_rewards[i], b = exp_rewards[j], s = a + b;
      return (a * b) / (s * s);
    }
    const double e = std::exp(-std::fabs(rewards[i] - rewards[j]));
    const double one_plus = 1.0 + e;
    return e / (one_plus * one_plus);
  }
  bool member(std::int64_t i, std::int64_t j) const { return !cross || prompt[i] != prompt[j]; }
};

// The triangular numbering of all pairs i < j: row i holds (i, i+1) … (i, n−1).
inline std::int64_t triangle_row_start(std::int64_t n, std::int64_t i) { return i * n - i * (i + 1) / 2; }
inline std::int64_t triangle_size(std::int64_t n) { return n * (n - 1) / 2; }

}  // namespace arm
