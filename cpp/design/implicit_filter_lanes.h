// One lane of each implicit-pool block filter (implicit_block_filter.h) in scalar code: the
// statement of their operations that every ISA's vector code reproduces, used for the lanes left
// over past the last full vector.
#pragma once

#include <algorithm>
#include <cstdint>
#include <limits>

#include "design/greedy_directions.h"

namespace arm::filter_lane {

// λ_ij = e_i e_j / (e_i + e_j)², in pool.lambda's operations (a member's weight keeps its bits).
inline double lambda(double e_i, double e_j) {
  const double sum = e_i + e_j;
  return (e_i * e_j) / (sum * sum);
}

// filter_block: true when an open lane still reaches the edge under λ·(r_i + r_j)² (λ and that
// bound returned); an open lane below it is filed at the tighter bound.
inline bool response(float& filed, double edge, double e_i, double r_i, double s_i, double e_j, double r_j,
                     double s_j, double& lam, double& bound) {
  if (!(filed >= edge)) return false;
  lam = lambda(e_i, e_j);
  const double radius = r_i + r_j;
  bound = lam * (((radius * radius + s_i) + s_j) * (1.0 + 1e-9));
  if (bound >= edge) return true;
  filed = round_up_to_float(std::min(static_cast<double>(filed), bound));
  return false;
}

// metric_filter_block: bound becomes min(bound, λ·(distance + m_i + m_j)); true when that still
// reaches the edge, else the lane is filed there.
inline bool metric(float& filed, double edge, double m_i, double m_j, float distance, double lam, double& bound) {
  bound = std::min(lam * (static_cast<double>(distance) + (m_i + m_j)), bound);
  if (bound >= edge) return true;
  filed = round_up_to_float(bound);
  return false;
}

// first_bounds: λ·(distance + margin·(g_i + g_j)) rounded up to a float.
inline float first(double e_i, double e_j, double g_i, double g_j, float distance, double margin) {
  const double q = static_cast<double>(distance) + margin * (g_i + g_j);
  return round_up_to_float(lambda(e_i, e_j) * q);
}

// first_bounds over pairs (i, j0 + c), c < count, one at a time: NaN where prompt_j[c] == prompt_i
// (prompt_j null: all members); returns the largest bound, or −∞.
inline double first_range(float* bound, std::int64_t count, double e_i, const double* e_j, double g_i,
                          const double* g_j, const float* distance, double margin, std::int32_t prompt_i,
                          const std::int32_t* prompt_j) {
  double high = -std::numeric_limits<double>::infinity();
  for (std::int64_t c = 0; c < count; ++c) {
    if (prompt_j && prompt_j[c] == prompt_i) {
      bound[c] = std::numeric_limits<float>::quiet_NaN();
      continue;
    }
    bound[c] = first(e_i, e_j[c], g_i, g_j[c], distance[c], margin);
    high = std::max(high, static_cast<double>(bound[c]));
  }
  return high;
}

}  // namespace arm::filter_lane
