// BatchBALD's lazy greedy over label configurations (lib/rules/batchbald.ts is the reference):
// the same configuration updates, joint-entropy estimates and (key desc, position asc) order; the
// random numbers of the sampled regime come from the caller, drawn in the reference's order.
#pragma once

#include <cstdint>

namespace arm {

struct BatchBaldInput {
  const double* prob;          // m×S: p_s(x) = P(i ≻ j | w_s), pair-major
  const double* cond_entropy;  // m: E_s H(y_x | w_s)
  std::int64_t m, S, k;
  std::int64_t configurations;  // enumerate exactly while 2^|B| fits, then sample this many
  const double* uniforms;       // U(0, 1) draws, consumed in order (configurations·(k + 1) suffice)
  std::int64_t uniform_count;
  const volatile std::int32_t* cancel;
};

enum class BatchBaldStatus { ok, cancelled, out_of_uniforms };

// positions, scores: k each (the marginal gain of each pick when it was picked).
BatchBaldStatus batchbald_greedy(const BatchBaldInput& in, std::int32_t* positions, double* scores);

}  // namespace arm
