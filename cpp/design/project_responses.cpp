#include "design/project_responses.h"

#include <algorithm>
#include <vector>

#include "gemm/gemm.h"

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
