// M = ridge·I + base + Σ_p w_p v_p v_pᵀ with v_p = φ_i − φ_j, via the pair graph's Laplacian:
// Σ_p w_p v_p v_pᵀ = Φᵀ(DΦ − WΦ) where D holds the weighted degrees and W the pair weights.
// Building G = DΦ − WΦ costs O(m d) and Φᵀ G costs O(n' d²) over the n' responses that appear in a
// pair, instead of O(m d²) for one outer product per pair.
#pragma once

#include <cstdint>

namespace arm {

// out: d×d row-major, exactly symmetric. base may be null.
template <class T>
void information_matrix(const T* features, std::int64_t n, std::int64_t d,
                        const std::int32_t* pairs, std::int64_t m, const double* weights,
                        double ridge, const double* base, double* out);

}  // namespace arm
