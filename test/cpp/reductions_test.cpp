// The fixed-order reductions of every ISA this CPU can run: bit-identical to a scalar statement of
// the order (lane t mod 8, leftovers to lanes 0, 1, …, then one fixed tree), hence to each other,
// and close to a long-double sum.
#include "active_rm/active_rm.h"
#include "check.h"

using namespace arm;

namespace {

double scalar_fixed_order(const double* a, const double* b, std::int64_t d, bool distance) {
  double l[8] = {0, 0, 0, 0, 0, 0, 0, 0};
  std::int64_t t = 0;
  for (; t + 8 <= d; t += 8)
    for (int e = 0; e < 8; ++e) {
      const double x = distance ? a[t + e] - b[t + e] : a[t + e];
      const double y = distance ? a[t + e] - b[t + e] : b[t + e];
      const double term = x * y;
      l[e] = l[e] + term;
    }
  for (int e = 0; t < d; ++t, ++e) {
    const double x = distance ? a[t] - b[t] : a[t];
    const double y = distance ? a[t] - b[t] : b[t];
    const double term = x * y;
    l[e] = l[e] + term;
  }
  return ((l[0] + l[4]) + (l[2] + l[6])) + ((l[1] + l[5]) + (l[3] + l[7]));
}

std::vector<const ReductionKernels*> available() {
  std::vector<const ReductionKernels*> out;
  for (Isa isa : {Isa::ref, Isa::avx2, Isa::avx512, Isa::neon})
    if (const ReductionKernels* k = reduction_kernels(isa)) out.push_back(k);
  return out;
}

}  // namespace

TEST(reductions_every_isa_same_bits_as_scalar_order) {
  std::mt19937_64 rng(5);
  const auto kernels = available();
  CHECK(!kernels.empty());
  for (std::int64_t d : {0, 1, 2, 7, 8, 9, 15, 16, 17, 31, 64, 100, 257}) {
    const std::int64_t rows = 19;
    std::vector<double> x = kernel_test::random_vector(rng, static_cast<std::size_t>(4 * d + 1));
    std::vector<double> r = kernel_test::random_vector(rng, static_cast<std::size_t>(rows * d + 1));
    for (const ReductionKernels* k : kernels) {
      for (std::int64_t j = 0; j < rows; ++j) {
        const double* row = r.data() + j * d;
        const double want_dot = scalar_fixed_order(x.data(), row, d, false);
        CHECK_SAME_BITS(k->dot_product(x.data(), row, d), want_dot);
        CHECK_SAME_BITS(k->squared_distance(x.data(), row, d), scalar_fixed_order(x.data(), row, d, true));
        long double exact = 0;
        for (std::int64_t t = 0; t < d; ++t) exact += static_cast<long double>(x[t]) * row[t];
        CHECK_NEAR(want_dot, static_cast<double>(exact), 1e-13 * (1 + d));
      }
      for (std::int64_t count : {1, 2, 3, 8, 9, 17, 19}) {
        std::vector<double> out(static_cast<std::size_t>(count), -1.0);
        k->dot_products(x.data(), r.data(), d, count, out.data());
        for (std::int64_t j = 0; j < count; ++j)
          CHECK_SAME_BITS(out[j], scalar_fixed_order(x.data(), r.data() + j * d, d, false));
        std::vector<double> outs4(static_cast<std::size_t>(4 * count), -1.0);
        const double* xs[4] = {x.data(), x.data() + d, x.data() + 2 * d, x.data() + 3 * d};
        double* outs[4] = {outs4.data(), outs4.data() + count, outs4.data() + 2 * count, outs4.data() + 3 * count};
        k->dot_products_4(xs, r.data(), d, count, outs);
        for (int q = 0; q < 4; ++q)
          for (std::int64_t j = 0; j < count; ++j)
            CHECK_SAME_BITS(outs[q][j], scalar_fixed_order(xs[q], r.data() + j * d, d, false));
      }
      // Pairs over the rows, for a range that starts and ends off the 4-pair blocks.
      std::vector<std::int32_t> pairs;
      for (int i = 0; i < rows; ++i)
        for (int j = i + 1; j < rows; j += 3) pairs.insert(pairs.end(), {i, j});
      const std::int64_t m = static_cast<std::int64_t>(pairs.size() / 2);
      std::vector<double> q(static_cast<std::size_t>(m), -1.0);
      k->pair_distances(r.data(), d, pairs.data(), 1, m - 2, q.data());
      CHECK(q[0] == -1.0 && q[m - 1] == -1.0 && q[m - 2] == -1.0);
      for (std::int64_t p = 1; p < m - 2; ++p)
        CHECK_SAME_BITS(q[p], scalar_fixed_order(r.data() + pairs[2 * p] * d, r.data() + pairs[2 * p + 1] * d, d, true));
    }
  }
}
