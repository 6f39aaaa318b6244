#include "design/project_responses.h"

#include <algorithm>
#include <vector>

#include "gemm/gemm.h"
#include "linalg/thread_pool.h"

namespace arm {

void triangular_inverse(const double* L, std::int64_t d, double* X) {
  std::fill(X, X + d * d, 0.0);
  // Row i of X = (e_i − Σ_{k<i} L[i][k]·X[k]) / L[i][i]: row-wise axpys keep memory contiguous.
  for (std::int64_t i = 0; i < d; ++i) {
    double* xi = X + i * d;
    const double* li = L + i * d;
    for (std::int64_t k = 0; k < i; ++k) {
      const double c = li[k];
      if (c == 0.0) continue;
      const double* xk = X + k * d;
#pragma omp simd
      for (std::int64_t t = 0; t <= k; ++t) xi[t] -= c * xk[t];
    }
    xi[i] += 1.0;
    const double inv = 1.0 / li[i];
#pragma omp simd
    for (std::int64_t t = 0; t <= i; ++t) xi[t] *= inv;
  }
}

template <class T>
void project_responses(const T* phi, std::int64_t n, std::int64_t d, const double* L, double* Y) {
  std::vector<double> X(static_cast<std::size_t>(d * d));
  triangular_inverse(L, d, X.data());
  // A diagonal factor (M₀ = τI: no labels yet, every first round) makes the product a scaling.
  // The GEMM adds the one product φ_ij·X_jj to exact zeros: 0 + φ_ij·X_jj gives its bits (−0 too).
  bool diagonal = true;
  for (std::int64_t a = 1; a < d && diagonal; ++a)
    for (std::int64_t b = 0; b < a; ++b)
      if (L[a * d + b] != 0.0) {
        diagonal = false;
        break;
      }
  if (diagonal) {
    std::vector<double> scale(static_cast<std::size_t>(d));
    for (std::int64_t j = 0; j < d; ++j) scale[j] = X[j * d + j];
    const std::int64_t rows = 512;
    parallel_for(static_cast<std::size_t>((n + rows - 1) / rows), [&](std::size_t task) {
      const std::int64_t i0 = static_cast<std::int64_t>(task) * rows, i1 = std::min(n, i0 + rows);
      for (std::int64_t i = i0; i < i1; ++i)
#pragma omp simd
        for (std::int64_t j = 0; j < d; ++j) Y[i * d + j] = 0.0 + static_cast<double>(phi[i * d + j]) * scale[j];
    });
    return;
  }
  // B(k, j) = X[j][k] = (L⁻ᵀ)[k][j], upper triangular.
  const StridedMatrix<T> A{phi, d, 1};
  const StridedMatrix<double> B{X.data(), 1, d};
  GemmOptions opt;
  opt.b_upper = true;
  gemm<T>(n, d, d, A, B, Y, d, opt);
}

template void project_responses<float>(const float*, std::int64_t, std::int64_t, const double*,
                                       double*);
template void project_responses<double>(const double*, std::int64_t, std::int64_t, const double*,
                                        double*);

}  // namespace arm
