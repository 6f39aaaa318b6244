// Dense C = alpha·A·B (+ C) in float64 with a packed, register-blocked SIMD microkernel. Both
// heavy steps of the D-optimal pipeline are this shape: the projection Y = Φ·L⁻ᵀ and the
// information matrix Φᵀ(DΦ − WΦ). Inputs are read through strides so that transposed or
// gathered operands (rows of Φ with nonzero degree) need no copies beyond the packing itself.
#pragma once

#include <cstdint>

namespace arm {

template <class T>
struct StridedMatrix {
  const T* data;
  std::int64_t row_stride;  // step between A(i, ·) and A(i + 1, ·)
  std::int64_t col_stride;  // step between A(·, k) and A(·, k + 1)
  // Optional column gather: A(i, k) = data[i·row_stride + col_index[k]·col_stride].
  const std::int32_t* col_index = nullptr;
  T at(std::int64_t i, std::int64_t k) const {
    const std::int64_t kk = col_index ? col_index[k] : k;
    return data[i * row_stride + kk * col_stride];
  }
};

struct GemmOptions {
  double alpha = 1.0;
  bool accumulate = false;  // C += alpha·A·B instead of C = alpha·A·B
  // B is upper triangular (B(k, j) = 0 for k > j): the microkernel stops each column panel at its
  // last nonzero row, halving the work of the projection by the triangular L⁻ᵀ.
  bool b_upper = false;
};

// C is row-major M×N with leading dimension ldc. B is read through strides (double).
template <class T>
void gemm(std::int64_t M, std::int64_t N, std::int64_t K, const StridedMatrix<T>& A,
          const StridedMatrix<double>& B, double* C, std::int64_t ldc, const GemmOptions& options);

}  // namespace arm
