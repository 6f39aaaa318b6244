// Float64 references written from the definitions (no shared code with the kernels): brute-force
// information matrix, forward substitution, and plain greedy with Sherman–Morrison downdates.
#pragma once

#include <cmath>
#include <cstdint>
#include <random>
#include <vector>

struct Problem {
  int n = 0, d = 0;
  std::vector<float> phi;
  std::vector<std::int32_t> prompts, pairs;
  std::vector<double> lambdas, rewards;
  std::int64_t m() const { return static_cast<std::int64_t>(pairs.size() / 2); }
};

inline Problem make_problem(unsigned seed, int prompts, int per, int d, bool all_pairs) {
  std::mt19937_64 g(seed);
  std::normal_distribution<double> normal;
  std::uniform_real_distribution<double> uni;
  Problem p;
  p.n = prompts * per;
  p.d = d;
  p.phi.resize(static_cast<std::size_t>(p.n) * d);
  for (auto& x : p.phi) x = static_cast<float>(normal(g));
  p.prompts.resize(p.n);
  p.rewards.resize(p.n);
  for (int i = 0; i < p.n; ++i) {
    p.prompts[i] = i / per;
    p.rewards[i] = 2 * normal(g);
  }
  for (int i = 0; i < p.n; ++i)
    for (int j = i + 1; j < p.n; ++j)
      if (all_pairs || p.prompts[i] == p.prompts[j]) {
        p.pairs.push_back(i);
        p.pairs.push_back(j);
        p.lambdas.push_back(0.05 + 0.2 * uni(g));
      }
  return p;
}

// The exhaustive cross pool in lexicographic (i, j) order with λ from the rewards.
inline void cross_pool(const Problem& p, std::vector<std::int32_t>& pairs, std::vector<double>& lambdas) {
  pairs.clear();
  lambdas.clear();
  for (int i = 0; i < p.n; ++i)
    for (int j = i + 1; j < p.n; ++j)
      if (p.prompts[i] != p.prompts[j]) {
        pairs.push_back(i);
        pairs.push_back(j);
        const double s = 1 / (1 + std::exp(-(p.rewards[i] - p.rewards[j])));
        lambdas.push_back(s * (1 - s));
      }
}

inline std::vector<double> ref_information(const Problem& p, const std::vector<std::int32_t>& pairs,
                                           const std::vector<double>& w, double ridge) {
  const int d = p.d;
  std::vector<double> M(static_cast<std::size_t>(d) * d, 0.0), v(d);
  for (std::size_t e = 0; e < w.size(); ++e) {
    const int i = pairs[2 * e], j = pairs[2 * e + 1];
    for (int x = 0; x < d; ++x) v[x] = double(p.phi[std::size_t(i) * d + x]) - double(p.phi[std::size_t(j) * d + x]);
    for (int a = 0; a < d; ++a)
      for (int b = 0; b < d; ++b) M[std::size_t(a) * d + b] += w[e] * v[a] * v[b];
  }
  for (int a = 0; a < d; ++a) M[std::size_t(a) * d + a] += ridge;
  return M;
}

inline std::vector<double> ref_project(const Problem& p, const std::vector<double>& L) {
  const int n = p.n, d = p.d;
  std::vector<double> Y(static_cast<std::size_t>(n) * d);
  for (int i = 0; i < n; ++i)
    for (int r = 0; r < d; ++r) {
      double s = p.phi[std::size_t(i) * d + r];
      for (int c = 0; c < r; ++c) s -= L[std::size_t(r) * d + c] * Y[std::size_t(i) * d + c];
      Y[std::size_t(i) * d + r] = s / L[std::size_t(r) * d + r];
    }
  return Y;
}

inline std::vector<double> ref_quadratic(const std::vector<double>& Y, int d, const std::vector<std::int32_t>& pairs) {
  std::vector<double> q(pairs.size() / 2);
  for (std::size_t e = 0; e < q.size(); ++e) {
    double s = 0;
    for (int x = 0; x < d; ++x) {
      const double diff = Y[std::size_t(pairs[2 * e]) * d + x] - Y[std::size_t(pairs[2 * e + 1]) * d + x];
      s += diff * diff;
    }
    q[e] = s;
  }
  return q;
}

inline void ref_greedy(const std::vector<double>& Y, int n, int d, const std::vector<std::int32_t>& pairs,
                       const std::vector<double>& lam, int k, std::vector<std::int32_t>& picks, std::vector<double>& quad) {
  std::vector<double> q = ref_quadratic(Y, d, pairs), c(n), z(d), beta;
  std::vector<std::vector<double>> U;
  std::vector<char> taken(q.size(), 0);
  picks.clear();
  quad.clear();
  for (int t = 0; t < k; ++t) {
    std::int64_t best = -1;
    for (std::size_t e = 0; e < q.size(); ++e)
      if (!taken[e] && (best < 0 || lam[e] * q[e] > lam[best] * q[best])) best = static_cast<std::int64_t>(e);
    taken[best] = 1;
    picks.push_back(static_cast<std::int32_t>(best));
    quad.push_back(q[best]);
    const int a = pairs[2 * best], b = pairs[2 * best + 1];
    for (int x = 0; x < d; ++x) z[x] = Y[std::size_t(a) * d + x] - Y[std::size_t(b) * d + x];
    std::vector<double> u = z;
    for (std::size_t s = 0; s < U.size(); ++s) {
      double dot = 0;
      for (int x = 0; x < d; ++x) dot += U[s][x] * z[x];
      for (int x = 0; x < d; ++x) u[x] -= beta[s] * dot * U[s][x];
    }
    const double bt = lam[best] / (1 + lam[best] * q[best]);
    U.push_back(u);
    beta.push_back(bt);
    for (int i = 0; i < n; ++i) {
      double s = 0;
      for (int x = 0; x < d; ++x) s += Y[std::size_t(i) * d + x] * u[x];
      c[i] = s;
    }
    for (std::size_t e = 0; e < q.size(); ++e) {
      const double diff = c[pairs[2 * e]] - c[pairs[2 * e + 1]];
      q[e] -= bt * diff * diff;
    }
  }
}
