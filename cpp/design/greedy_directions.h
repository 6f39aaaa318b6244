// What every exact greedy mode shares, so that all of them round identically: the downdate, the
// record of the picks' directions u_s and weights β_s, and the (score desc, position asc) maximum.
// Files including this are compiled with -ffp-contract=off (no fused multiply-add in one mode only).
#pragma once

#include <algorithm>
#include <cstring>
#include <cstdint>
#include <limits>
#include <vector>

#include "design/pair_scores.h"

namespace arm {

inline double downdate(double q, double beta, double ci, double cj) {
  const double diff = ci - cj;
  return q - beta * diff * diff;  // (β·Δ)·Δ, as the TypeScript reference rounds it
}

// u_t = z − Σ_{s<t} β_s (u_s·z) u_s for the pick's z = y_a − y_b, and β_t = λ*/(1 + λ* q*).
struct Directions {
  std::int64_t d;
  std::vector<double> u, beta, z;
  Directions(std::int64_t dim, std::int64_t k)
      : d(dim), u(static_cast<std::size_t>(dim * k)), beta(static_cast<std::size_t>(k)),
        z(static_cast<std::size_t>(dim)) {}
  const double* at(std::int64_t s) const { return u.data() + s * d; }

  const double* add(std::int64_t t, const double* ya, const double* yb, double lambda, double q) {
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

// The smallest float ≥ x: the blocked and implicit modes file their upper bounds as floats, which
// halves the bytes every scan reads.
inline float round_up_to_float(double x) {
  float f = static_cast<float>(x);
  if (!(static_cast<double>(f) < x)) return f;
  if (f == 0.0f) return std::numeric_limits<float>::denorm_min();
  std::uint32_t bits;
  std::memcpy(&bits, &f, sizeof bits);
  bits = f > 0.0f ? bits + 1 : bits - 1;  // the next float up (|f| grows for f > 0, shrinks for f < 0)
  std::memcpy(&f, &bits, sizeof f);
  return f;
}

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

}  // namespace arm
