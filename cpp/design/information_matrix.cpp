#include "design/information_matrix.h"

#include <vector>

#include "gemm/gemm.h"

namespace arm {

template <class T>
void information_matrix(const T* phi, std::int64_t n, std::int64_t d, const std::int32_t* pairs,
                        std::int64_t m, const double* w, double ridge, const double* base,
                        double* out) {
  // Only responses touched by a weighted pair contribute; rows maps them to compact G rows.
  std::vector<std::int32_t> compact(static_cast<std::size_t>(n), -1);
  std::vector<std::int32_t> rows;
  std::vector<double> degree;
  for (std::int64_t p = 0; p < m; ++p) {
    if (w[p] == 0.0) continue;
    for (int side = 0; side < 2; ++side) {
      const std::int32_t r = pairs[2 * p + side];
      if (compact[r] < 0) {
        compact[r] = static_cast<std::int32_t>(rows.size());
        rows.push_back(r);
        degree.push_back(0.0);
      }
      degree[compact[r]] += w[p];
    }
  }
  const std::int64_t active = static_cast<std::int64_t>(rows.size());
  std::vector<double> G(static_cast<std::size_t>(active * d), 0.0);
  for (std::int64_t r = 0; r < active; ++r) {
    const T* f = phi + static_cast<std::int64_t>(rows[r]) * d;
    double* g = G.data() + r * d;
    for (std::int64_t c = 0; c < d; ++c) g[c] = degree[r] * static_cast<double>(f[c]);
  }
  for (std::int64_t p = 0; p < m; ++p) {
    if (w[p] == 0.0) continue;
    const std::int64_t i = pairs[2 * p], j = pairs[2 * p + 1];
    double* gi = G.data() + static_cast<std::int64_t>(compact[i]) * d;
    double* gj = G.data() + static_cast<std::int64_t>(compact[j]) * d;
    const T* fi = phi + i * d;
    const T* fj = phi + j * d;
    const double wp = w[p];
#pragma omp simd
    for (std::int64_t c = 0; c < d; ++c) {
      gi[c] -= wp * static_cast<double>(fj[c]);
      gj[c] -= wp * static_cast<double>(fi[c]);
    }
  }
  // out = Φ_activeᵀ · G, reading Φ in place through the row gather.
  const StridedMatrix<T> A{phi, 1, d, rows.data()};
  const StridedMatrix<double> B{G.data(), d, 1};
  gemm<T>(d, d, active, A, B, out, d, GemmOptions{});
  // Φᵀ(DΦ − WΦ) is symmetric in exact arithmetic; averaging removes rounding asymmetry so that a
  // Cholesky reading one triangle sees the same matrix the caller does.
  for (std::int64_t a = 0; a < d; ++a) {
    for (std::int64_t b = a + 1; b < d; ++b) {
      const double s = 0.5 * (out[a * d + b] + out[b * d + a]);
      out[a * d + b] = s;
      out[b * d + a] = s;
    }
    out[a * d + a] += ridge;
  }
  if (base)
    for (std::int64_t e = 0; e < d * d; ++e) out[e] += base[e];
}

template void information_matrix<float>(const float*, std::int64_t, std::int64_t,
                                        const std::int32_t*, std::int64_t, const double*, double,
                                        const double*, double*);
template void information_matrix<double>(const double*, std::int64_t, std::int64_t,
                                         const std::int32_t*, std::int64_t, const double*, double,
                                         const double*, double*);

}  // namespace arm
