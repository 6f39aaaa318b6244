// Sensitivities of the logistic-regression coreset (Huggins, Campbell & Broderick 2016) over the
// pair vectors v_p = φ_i − φ_j: k-means on the v_p through the pair structure, then
//   s_p = m / (1 + Σ_c |G_c⁻ᵖ| exp(−R ‖Ḡ_c⁻ᵖ − v_p‖)).
// The same arithmetic, in the same order, as lib/rules/coreset.ts (the reference); only exp may
// differ from V8's in the last bit.
#pragma once

#include <cstdint>

namespace arm {

struct CoresetInput {
  std::int64_t n, d;
  const std::int32_t* pairs;  // 2m, i < j
  std::int64_t m;
  std::int64_t K;               // clusters
  const std::int32_t* seeds;    // K distinct pair positions: the initial centers
  std::int64_t iterations;      // k-means passes at most
  double radius;                // R
  const volatile std::int32_t* cancel;
};

// Returns false when *cancel became nonzero (checked every k-means pass).
template <class T>
bool coreset_sensitivities(const T* features, const CoresetInput& in, double* sensitivity);

}  // namespace arm
