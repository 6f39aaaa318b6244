#include "rules/coreset.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <vector>

#include "linalg/thread_pool.h"

namespace arm {

namespace {

// Tasks over index ranges; every output element is computed by one task in the reference's order,
// so results do not depend on the thread count. (This file is compiled with -ffp-contract=off and
// its sums are sequential, as the TypeScript loops are.)
template <class F>
void ranges(std::int64_t count, std::int64_t grain, F&& body) {
  const std::int64_t tasks = (count + grain - 1) / grain;
  parallel_for(static_cast<std::size_t>(tasks), [&](std::size_t t) {
    const std::int64_t b = static_cast<std::int64_t>(t) * grain;
    body(b, std::min(count, b + grain));
  });
}

}  // namespace

template <class T>
bool coreset_sensitivities(const T* f, const CoresetInput& in, double* sensitivity) {
  const std::int64_t n = in.n, d = in.d, m = in.m, K = in.K;
  const std::int32_t* pairs = in.pairs;
  std::vector<double> norms(static_cast<std::size_t>(m));
  ranges(m, 4096, [&](std::int64_t b, std::int64_t e) {
    for (std::int64_t p = b; p < e; ++p) {
      const T* a = f + pairs[2 * p] * d;
      const T* c = f + pairs[2 * p + 1] * d;
      double acc = 0;
      for (std::int64_t x = 0; x < d; ++x) {
        const double diff = static_cast<double>(a[x]) - static_cast<double>(c[x]);
        acc += diff * diff;
      }
      norms[p] = acc;
    }
  });
  // Centers are kept as coefficients over the responses (a mean of e_i − e_j): Φᵀcoef.
  std::vector<double> coef(static_cast<std::size_t>(K * n), 0.0);
  for (std::int64_t c = 0; c < K; ++c) {
    const std::int64_t p = in.seeds[c];
    coef[c * n + pairs[2 * p]] = 1;
    coef[c * n + pairs[2 * p + 1]] = -1;
  }
  std::vector<double> centers(static_cast<std::size_t>((K + 7) / 8 * 8 * d)), center_norm(static_cast<std::size_t>(K));
  std::vector<double> proj(static_cast<std::size_t>(K * n));
  std::vector<std::int32_t> assign(static_cast<std::size_t>(m), -1), sizes(static_cast<std::size_t>(K));
  std::vector<double> dist(static_cast<std::size_t>(m * K));
  std::vector<std::uint8_t> moved(static_cast<std::size_t>(m));
  for (std::int64_t iter = 0; iter < in.iterations; ++iter) {
    if (in.cancel && *in.cancel) return false;
    std::fill(centers.begin(), centers.end(), 0.0);
    parallel_for(static_cast<std::size_t>(K), [&](std::size_t cc) {
      const std::int64_t c = static_cast<std::int64_t>(cc);
      double* mu = centers.data() + c * d;
      for (std::int64_t i = 0; i < n; ++i) {
        const double a = coef[c * n + i];
        if (a == 0) continue;
        const T* row = f + i * d;
        for (std::int64_t x = 0; x < d; ++x) mu[x] += a * static_cast<double>(row[x]);
      }
      double s = 0;
      for (std::int64_t x = 0; x < d; ++x) s += mu[x] * mu[x];
      center_norm[c] = s;
    });
    // Up to 8 centers side by side: each sum stays sequential in x (the reference's order), but
    // independent chains keep the adder busy instead of waiting on one chain's latency.
    ranges(n, 512, [&](std::int64_t b, std::int64_t e) {
      for (std::int64_t i = b; i < e; ++i) {
        const T* row = f + i * d;
        for (std::int64_t c0 = 0; c0 < K; c0 += 8) {
          // A fixed width of 8 (centers are padded with zero rows) keeps the sums in registers.
          double s[8] = {0, 0, 0, 0, 0, 0, 0, 0};
          const double* mu = centers.data() + c0 * d;
          for (std::int64_t x = 0; x < d; ++x) {
            const double v = static_cast<double>(row[x]);
#pragma GCC unroll 8
            for (int c = 0; c < 8; ++c) s[c] += v * mu[c * d + x];
          }
          for (std::int64_t c = 0; c < std::min<std::int64_t>(8, K - c0); ++c) proj[(c0 + c) * n + i] = s[c];
        }
      }
    });
    ranges(m, 8192, [&](std::int64_t b, std::int64_t e) {
      for (std::int64_t p = b; p < e; ++p) {
        const std::int64_t i = pairs[2 * p], j = pairs[2 * p + 1];
        std::int32_t best = 0;
        double best_dist = std::numeric_limits<double>::infinity();
        for (std::int64_t c = 0; c < K; ++c) {
          const double dot = proj[c * n + i] - proj[c * n + j];
          const double sq = std::max(0.0, norms[p] - 2 * dot + center_norm[c]);
          dist[p * K + c] = std::sqrt(sq);
          if (sq < best_dist) {
            best_dist = sq;
            best = static_cast<std::int32_t>(c);
          }
        }
        moved[p] = assign[p] != best;
        assign[p] = best;
      }
    });
    std::fill(sizes.begin(), sizes.end(), 0);
    std::int64_t changed = 0;
    for (std::int64_t p = 0; p < m; ++p) {
      changed += moved[p];
      ++sizes[assign[p]];
    }
    if (changed == 0) break;
    std::fill(coef.begin(), coef.end(), 0.0);
    for (std::int64_t p = 0; p < m; ++p) {
      const std::int64_t c = assign[p];
      const double w = 1.0 / sizes[c];
      coef[c * n + pairs[2 * p]] += w;
      coef[c * n + pairs[2 * p + 1]] -= w;
    }
  }
  ranges(m, 8192, [&](std::int64_t b, std::int64_t e) {
    for (std::int64_t p = b; p < e; ++p) {
      double denom = 1;
      for (std::int64_t c = 0; c < K; ++c) {
        double size = sizes[c];
        double distance = dist[p * K + c];
        if (assign[p] == c) {
          // Leave p out of its own cluster: the mean of the others is |G|/(|G|−1) farther from v_p.
          size -= 1;
          distance = size > 0 ? (distance * (size + 1)) / size : 0;
        }
        if (size > 0) denom += size * std::exp(-in.radius * distance);
      }
      sensitivity[p] = static_cast<double>(m) / denom;
    }
  });
  return true;
}

template bool coreset_sensitivities<float>(const float*, const CoresetInput&, double*);
template bool coreset_sensitivities<double>(const double*, const CoresetInput&, double*);

}  // namespace arm
