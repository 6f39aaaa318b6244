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
  volatile std::int32_t* progress = nullptr;  // optional: picks made so far (polled by a display)
};

enum class BatchBaldStatus { ok, cancelled, out_of_uniforms };

// positions, scores: k each (the marginal gain of each pick when it was picked). Re-evaluations
// run ahead on the thread pool; the picks are the serial lazy greedy's whatever the thread count.
BatchBaldStatus batchbald_greedy(const BatchBaldInput& in, std::int32_t* positions, double* scores);

// The posterior samples' pair probabilities, as lib/rules/batchbald.ts computes them:
// r_s = Φ w_s (samples: S×d, row s = w_s), prob[p·S + s] = σ(r_s[i] − r_s[j]) for pair p = (i, j),
// cond_entropy[p] = (1/S) Σ_s H(prob[p·S + s]). Returns false when cancelled.
template <class T>
bool batchbald_probabilities(const T* phi, std::int64_t n, std::int64_t d, const double* samples,
                             std::int64_t S, const std::int32_t* pairs, std::int64_t m, double* prob,
                             double* cond_entropy, const volatile std::int32_t* cancel);

}  // namespace arm
