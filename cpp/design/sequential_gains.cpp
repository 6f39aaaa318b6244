#include "design/sequential_gains.h"

#include <cmath>
#include <vector>

#include "design/pair_scores.h"

namespace arm {

template <class T>
void sequential_gains(const T* phi, std::int64_t d, const double* L, const std::int32_t* pairs,
                      const double* lambdas, std::int64_t k, double* gains) {
  // In projected coordinates z = L⁻¹v the start matrix is I, and after the picks s < t
  // M_t⁻¹ = I − Σ β_s u_s u_sᵀ with u_s = M_s⁻¹ z_s, β_s = λ_s / (1 + λ_s q_s): the same recursion
  // as greedy, applied to a fixed order.
  std::vector<double> U(static_cast<std::size_t>(k * d)), beta(static_cast<std::size_t>(k));
  std::vector<double> z(static_cast<std::size_t>(d));
  for (std::int64_t t = 0; t < k; ++t) {
    const T* a = phi + static_cast<std::int64_t>(pairs[2 * t]) * d;
    const T* b = phi + static_cast<std::int64_t>(pairs[2 * t + 1]) * d;
    for (std::int64_t r = 0; r < d; ++r) {
      const double* lr = L + r * d;
      double s = static_cast<double>(a[r]) - static_cast<double>(b[r]);
      s -= dot_product(lr, z.data(), r);
      z[r] = s / lr[r];
    }
    double* u = U.data() + t * d;
    for (std::int64_t c = 0; c < d; ++c) u[c] = z[c];
    for (std::int64_t s = 0; s < t; ++s) {
      const double* us = U.data() + s * d;
      const double coef = beta[s] * dot_product(us, z.data(), d);
      for (std::int64_t c = 0; c < d; ++c) u[c] -= coef * us[c];
    }
    const double q = dot_product(z.data(), u, d);
    gains[t] = std::log1p(lambdas[t] * q);
    beta[t] = lambdas[t] / (1.0 + lambdas[t] * q);
  }
}

template void sequential_gains<float>(const float*, std::int64_t, const double*, const std::int32_t*,
                                      const double*, std::int64_t, double*);
template void sequential_gains<double>(const double*, std::int64_t, const double*,
                                       const std::int32_t*, const double*, std::int64_t, double*);

}  // namespace arm
