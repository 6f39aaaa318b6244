// Pair quadratic forms from projected responses, shared by quadraticForms and the greedy start.
#pragma once

#include <cstdint>

namespace arm {

// d_q[p] = ‖y_i − y_j‖² (float64 accumulation) for the m pairs in d_pairs.
void pair_distances(const float* d_Y, std::int64_t d, const std::int32_t* d_pairs, std::int64_t m, double* d_q);

}  // namespace arm
