// The implicit pool's block filters (design/implicit_block_filter.h) of every ISA this CPU runs:
// filter_block, metric_filter_block and first_bounds bit for bit against a scalar statement of
// their operations (λ is a member's weight, so it must round as pool.lambda does); the float32
// distances within the rounding margin the scan adds to them; the transposed tiles' layout.
#include <algorithm>
#include <cmath>
#include <limits>

#include "active_rm/active_rm.h"
#include "check.h"
#include "design/greedy_directions.h"
#include "design/implicit_block_filter.h"

using namespace arm;

namespace {

constexpr float kNaN = std::numeric_limits<float>::quiet_NaN();

std::vector<const ImplicitFilterKernels*> available() {
  std::vector<const ImplicitFilterKernels*> out;
  for (Isa isa : {Isa::ref, Isa::avx2, Isa::avx512, Isa::neon})
    if (const ImplicitFilterKernels* k = implicit_filter_kernels(isa)) out.push_back(k);
  return out;
}

bool same_float(float a, float b) { return std::memcmp(&a, &b, sizeof a) == 0; }

double lambda_of(double a, double b) {
  const double s = a + b;
  return (a * b) / (s * s);
}

struct Block {
  std::vector<float> filed;
  std::vector<double> e, r, s, m, g;
  std::vector<float> distance;
  std::vector<std::int32_t> prompt;
};

// 64 lanes around an edge of 1: some NaN (head members, non-members), some far below, the rest
// spread over [0.25, 4) so that every branch (closed, tightened, let through) is taken.
Block make_block(std::mt19937_64& rng) {
  Block b;
  std::uniform_real_distribution<double> unit(0.0, 1.0);
  std::normal_distribution<double> normal(0.0, 1.0);
  for (int c = 0; c < 64; ++c) {
    const double u = unit(rng);
    b.filed.push_back(u < 0.1 ? kNaN : u < 0.2 ? 0.01f : static_cast<float>(0.25 * std::pow(16.0, unit(rng))));
    b.e.push_back(std::exp(normal(rng)));
    b.r.push_back(0.5 + 2.0 * unit(rng));
    b.s.push_back(1e-6 * unit(rng));
    b.m.push_back(1e-3 * unit(rng));
    b.g.push_back(1.0 + 3.0 * unit(rng));
    b.distance.push_back(static_cast<float>(8.0 * unit(rng)));
    b.prompt.push_back(static_cast<std::int32_t>(rng() % 4));
  }
  return b;
}

}  // namespace

TEST(implicit_filter_block_every_isa_same_bits_as_scalar) {
  std::mt19937_64 rng(61);
  const auto kernels = available();
  CHECK(!kernels.empty());
  for (int round = 0; round < 40; ++round) {
    const Block b = make_block(rng);
    const double edge = 0.5 + 0.05 * round, e_i = b.e[63], r_i = b.r[63], s_i = b.s[63];
    for (std::int64_t count : {64, 61, 8, 5}) {
      std::vector<float> want = b.filed;
      std::uint64_t want_need = 0;
      std::vector<double> want_lambda(64), want_bound(64);
      for (std::int64_t c = 0; c < count; ++c) {
        if (!(want[c] >= edge)) continue;
        const double lambda = lambda_of(e_i, b.e[c]);
        const double radius = r_i + b.r[c];
        const double bound = lambda * (((radius * radius + s_i) + b.s[c]) * (1.0 + 1e-9));
        if (bound >= edge) {
          want_need |= std::uint64_t{1} << c;
          want_lambda[c] = lambda;
          want_bound[c] = bound;
        } else {
          want[c] = round_up_to_float(std::min(static_cast<double>(want[c]), bound));
        }
      }
      for (const ImplicitFilterKernels* k : kernels) {
        std::vector<float> filed = b.filed;
        std::vector<double> lambda(64), bound(64);
        const std::uint64_t need = k->filter_block(filed.data(), count, edge, round_up_to_float(edge), e_i, r_i, s_i,
                                                   b.e.data(), b.r.data(), b.s.data(), lambda.data(), bound.data());
        CHECK(need == want_need);
        for (int c = 0; c < 64; ++c) {
          CHECK(same_float(filed[c], want[c]));  // lanes past count untouched too
          if ((want_need >> c) & 1) {
            CHECK_SAME_BITS(lambda[c], want_lambda[c]);
            CHECK_SAME_BITS(bound[c], want_bound[c]);
          }
        }
      }
    }
  }
}

TEST(implicit_metric_filter_block_every_isa_same_bits_as_scalar) {
  std::mt19937_64 rng(62);
  const auto kernels = available();
  for (int round = 0; round < 40; ++round) {
    const Block b = make_block(rng);
    const double edge = 0.05 + 0.05 * round, m_i = b.m[0];
    std::uint64_t need_in = rng();
    std::vector<double> lambda(64), bound_in(64);
    for (int c = 0; c < 64; ++c) {
      lambda[c] = lambda_of(b.e[0], b.e[c]);
      bound_in[c] = 0.25 * std::pow(16.0, static_cast<double>(rng() % 1000) / 1000.0);
    }
    for (std::int64_t count : {64, 59, 3}) {
      std::vector<float> want = b.filed;
      std::vector<double> want_bound = bound_in;
      std::uint64_t left = need_in & (count == 64 ? ~std::uint64_t{0} : (std::uint64_t{1} << count) - 1);
      double want_fresh = -std::numeric_limits<double>::infinity();
      for (std::int64_t c = 0; c < count; ++c) {
        if (!((need_in >> c) & 1)) continue;
        const double metric = lambda[c] * (static_cast<double>(b.distance[c]) + (m_i + b.m[c]));
        const double x = std::min(metric, bound_in[c]);
        want_bound[c] = x;
        if (x >= edge) continue;
        want[c] = round_up_to_float(x);
        want_fresh = std::max(want_fresh, static_cast<double>(want[c]));
        left &= ~(std::uint64_t{1} << c);
      }
      for (const ImplicitFilterKernels* k : kernels) {
        std::vector<float> filed = b.filed;
        std::vector<double> bound = bound_in;
        double fresh = 0.0;
        const std::uint64_t got = k->metric_filter_block(filed.data(), count, need_in, edge, m_i, b.m.data(),
                                                         b.distance.data(), lambda.data(), bound.data(), &fresh);
        CHECK((got & (count == 64 ? ~std::uint64_t{0} : (std::uint64_t{1} << count) - 1)) == left);
        CHECK_SAME_BITS(fresh, want_fresh);
        for (std::int64_t c = 0; c < 64; ++c) {
          CHECK(same_float(filed[c], want[c]));
          if (c < count && ((need_in >> c) & 1)) CHECK_SAME_BITS(bound[c], want_bound[c]);
        }
      }
    }
  }
}

TEST(implicit_first_bounds_every_isa_same_bits_as_scalar) {
  std::mt19937_64 rng(63);
  const auto kernels = available();
  for (int round = 0; round < 20; ++round) {
    const Block b = make_block(rng);
    const double margin = 4.0 * 40 * std::numeric_limits<double>::epsilon();
    for (bool cross : {true, false})
      for (std::int64_t count : {64, 13, 1}) {
        std::vector<float> want(64, -7.0f);
        double want_high = -std::numeric_limits<double>::infinity();
        for (std::int64_t c = 0; c < count; ++c) {
          if (cross && b.prompt[c] == 2) {
            want[c] = kNaN;
            continue;
          }
          const double q = static_cast<double>(b.distance[c]) + margin * (b.g[0] + b.g[c]);
          want[c] = round_up_to_float(lambda_of(b.e[0], b.e[c]) * q);
          want_high = std::max(want_high, static_cast<double>(want[c]));
        }
        for (const ImplicitFilterKernels* k : kernels) {
          std::vector<float> bound(64, -7.0f);
          const double high = k->first_bounds(bound.data(), count, b.e[0], b.e.data(), b.g[0], b.g.data(), b.distance.data(),
                                              margin, 2, cross ? b.prompt.data() : nullptr);
          CHECK_SAME_BITS(high, want_high);
          for (int c = 0; c < 64; ++c) CHECK(same_float(bound[c], want[c]) || (std::isnan(bound[c]) && std::isnan(want[c])));
        }
      }
  }
}

TEST(implicit_metric_tiles_and_distances_within_their_margin) {
  std::mt19937_64 rng(64);
  const auto kernels = available();
  for (std::int64_t d : {1, 5, 16, 33, 128, 512}) {
    const std::int64_t n = 150;  // not a multiple of 16 or 64: the last tiles are padded
    std::vector<float> rows(static_cast<std::size_t>(n * d));
    std::normal_distribution<float> normal(0.0f, 1.0f);
    for (float& x : rows) x = normal(rng);
    MetricTiles tiles;
    tiles.build(rows.data(), n, d);
    CHECK(static_cast<std::int64_t>(tiles.data.size()) == 192 * d);
    for (std::int64_t j = 0; j < 192; ++j)
      for (std::int64_t c = 0; c < d; ++c)
        CHECK(tiles.block(j / 64 * 64)[(j % 64) / 16 * 16 * d + 16 * c + j % 16] == (j < n ? rows[j * d + c] : 0.0f));
    // The scan's margin for a float32 distance: 4·(d + 8)·ε₃₂·(‖x‖² + ‖w‖²) (design/greedy_implicit.cpp).
    auto check_distance = [&](const float* x, std::int64_t j, float got) {
      long double exact = 0, norms = 0;
      for (std::int64_t c = 0; c < d; ++c) {
        const long double w = j < n ? rows[j * d + c] : 0.0f;
        exact += (x[c] - w) * (x[c] - w);
        norms += x[c] * static_cast<long double>(x[c]) + w * w;
      }
      CHECK(std::fabs(static_cast<double>(got - exact)) <= 4.0 * (d + 8) * std::numeric_limits<float>::epsilon() * static_cast<double>(norms));
    };
    std::vector<std::int32_t> index;
    for (std::int32_t j = 0; j < n; j += 3) index.push_back(j);
    for (const ImplicitFilterKernels* k : kernels) {
      for (std::int64_t i : {0, 77, 149}) {
        const float* x = rows.data() + i * d;
        for (std::int64_t jc = 0; jc < 192; jc += 64) {
          float out[64];
          k->block_distances_rows(&x, 1, tiles.block(jc), d, out);
          for (std::int64_t l = 0; l < 64; ++l) check_distance(x, jc + l, out[l]);
        }
        for (int count = 1; count <= 4; ++count) {  // several rows against the same tiles
          const float* xs[4];
          for (int r = 0; r < count; ++r) xs[r] = rows.data() + std::min<std::int64_t>(n - 1, i + r) * d;
          float many[4 * 64];
          k->block_distances_rows(xs, count, tiles.block(64), d, many);
          for (int r = 0; r < count; ++r)
            for (std::int64_t l = 0; l < 64; ++l) check_distance(xs[r], 64 + l, many[r * 64 + l]);
        }
        std::vector<float> out(index.size());
        k->row_distances(x, rows.data(), d, index.data(), static_cast<std::int64_t>(index.size()), out.data());
        for (std::size_t c = 0; c < index.size(); ++c) check_distance(x, index[c], out[c]);
      }
    }
  }
}
