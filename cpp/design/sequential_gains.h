// log det gains of a given pick sequence: gain_t = log(1 + λ_t v_tᵀ M_t⁻¹ v_t), M_{t+1} = M_t + λ_t v_t v_tᵀ,
// starting from M_0 = L Lᵀ. The bookkeeping of rules that rank all pairs at once (dopt, xtx).
#pragma once

#include <cstdint>

namespace arm {

// pairs: 2k response indices, lambdas: k, gains: k. O(k d² + k² d).
template <class T>
void sequential_gains(const T* features, std::int64_t d, const double* L, const std::int32_t* pairs,
                      const double* lambdas, std::int64_t k, double* gains);

}  // namespace arm
