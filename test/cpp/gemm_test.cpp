// Every GEMM microkernel this CPU can run (through the shared frame) against a naive triple loop:
// edge tiles, K beyond one packed block, strided and gathered operands, alpha, accumulation, and
// the triangular-B shortcut.
#include "active_rm/active_rm.h"
#include "check.h"
#include "gemm/microkernel.h"

using namespace arm;

namespace {

template <class T>
void check_shape(const GemmMicrokernel& kernel, std::int64_t M, std::int64_t N, std::int64_t K,
                 bool accumulate, bool b_upper, bool gather, std::mt19937_64& rng) {
  // A: M×K read from a wider row-major buffer (row_stride K + 3), optionally through a gather.
  const std::int64_t lda = K + 3;
  std::vector<double> a64 = kernel_test::random_vector(rng, static_cast<std::size_t>(M * lda));
  std::vector<T> a(a64.begin(), a64.end());
  std::vector<std::int32_t> index(static_cast<std::size_t>(K));
  for (std::int64_t k = 0; k < K; ++k) index[k] = static_cast<std::int32_t>(gather ? (k * 7 + 2) % K : k);
  // B: K×N stored transposed (B(k, j) = bt[j·K + k]).
  std::vector<double> bt = kernel_test::random_vector(rng, static_cast<std::size_t>(N * K));
  if (b_upper)
    for (std::int64_t j = 0; j < N; ++j)
      for (std::int64_t k = j + 1; k < K; ++k) bt[j * K + k] = 0.0;
  const std::int64_t ldc = N + 2;
  std::vector<double> c = kernel_test::random_vector(rng, static_cast<std::size_t>(M * ldc));
  std::vector<double> c0 = c;
  StridedMatrix<T> A{a.data(), lda, 1};
  if (gather) A.col_index = index.data();
  const StridedMatrix<double> B{bt.data(), 1, K};
  GemmOptions opt;
  opt.alpha = accumulate ? -0.75 : 1.25;
  opt.accumulate = accumulate;
  opt.b_upper = b_upper;
  gemm_with<T>(kernel, M, N, K, A, B, c.data(), ldc, opt);
  for (std::int64_t i = 0; i < M; ++i)
    for (std::int64_t j = 0; j < N; ++j) {
      long double s = 0, scale = 0;
      for (std::int64_t k = 0; k < K; ++k) {
        const long double term = static_cast<long double>(A.at(i, k)) * bt[j * K + k];
        s += term;
        scale += std::fabs(term);
      }
      const long double want = (accumulate ? c0[i * ldc + j] : 0.0L) + opt.alpha * s;
      CHECK(std::fabs(c[i * ldc + j] - want) <= 1e-14L * (1 + K) * (1 + scale + std::fabs(want)));
    }
  // Columns beyond N (the padding of ldc) are never written.
  for (std::int64_t i = 0; i < M; ++i)
    for (std::int64_t j = N; j < ldc; ++j) CHECK_SAME_BITS(c[i * ldc + j], c0[i * ldc + j]);
}

}  // namespace

TEST(gemm_every_microkernel_matches_naive_product) {
  std::mt19937_64 rng(11);
  const std::int64_t shapes[][3] = {{1, 1, 1}, {3, 5, 2}, {7, 9, 13}, {13, 33, 17},
                                    {37, 70, 300}, {200, 40, 513}, {6, 32, 256}};
  int kernels = 0;
  for (Isa isa : {Isa::ref, Isa::avx2, Isa::avx512, Isa::neon}) {
    const GemmMicrokernel* kernel = gemm_microkernel(isa);
    if (!kernel) continue;
    ++kernels;
    for (const auto& s : shapes)
      for (int variant = 0; variant < 4; ++variant) {
        const bool accumulate = variant & 1, gather = variant & 2;
        check_shape<double>(*kernel, s[0], s[1], s[2], accumulate, false, gather, rng);
        check_shape<float>(*kernel, s[0], s[1], s[2], accumulate, false, gather, rng);
        if (s[1] == s[2] || s[1] < s[2])
          check_shape<double>(*kernel, s[0], s[1], s[2], accumulate, true, false, rng);
      }
  }
  CHECK(kernels >= 1);
  CHECK(gemm_microkernel(Isa::ref) != nullptr);
}

TEST(gemm_with_empty_depth_zeroes_or_keeps_c) {
  double c[4] = {1, 2, 3, 4};
  const double x = 0;
  const StridedMatrix<double> A{&x, 0, 1}, B{&x, 0, 1};
  GemmOptions opt;
  opt.accumulate = true;
  gemm<double>(2, 2, 0, A, B, c, 2, opt);
  CHECK(c[0] == 1 && c[3] == 4);
  opt.accumulate = false;
  gemm<double>(2, 2, 0, A, B, c, 2, opt);
  CHECK(c[0] == 0 && c[1] == 0 && c[2] == 0 && c[3] == 0);
}
