// Rank-one (Sherman–Morrison) bookkeeping shared by both greedy drivers, in projected
// coordinates where M_0 = I: after picks z_0 … z_{t−1}, M_t⁻¹ = I − Σ_s β_s u_s u_sᵀ with
// u_t = z_t − Σ_{s<t} β_s (u_s·z_t) u_s and β_t = λ_t / (1 + λ_t q_t).
#pragma once

#include <cstdint>

namespace arm {

struct PickInfo {
  std::int32_t a, b;  // responses of the pick (z = y_a − y_b)
  double lambda, q;   // its λ and its quadratic form when picked
};

// On the device: U (k×d float64, and its float32 copy Uf when not null), β (k), scratch (k).
struct Directions {
  double* U;
  float* Uf;
  double* beta;
  double* scratch;
};

// Appends u_t and β_t for the pick described by d_info[t]; Y is n×d float32 on the device.
void append_direction(const Directions& dirs, const float* Y, std::int64_t d, const PickInfo* d_info, int t);

// c = Y u (n), float64 accumulation.
void multiply_rows(const float* Y, std::int64_t n, std::int64_t d, const double* u, double* c);

// Best (score, position) over scores (−∞ = excluded), ties to the lower position. Writes the
// position to *d_winner; when d_info is not null also records pick t there (from pairs, λ and
// q), marks it excluded in scores, and writes picks[t] and quadratic[t].
struct ArgmaxScratch;
ArgmaxScratch* argmax_scratch(std::int64_t m);
void free_argmax_scratch(ArgmaxScratch*);
void argmax_scores(ArgmaxScratch* scratch, double* scores, std::int64_t m, std::int32_t* d_winner,
                   const std::int32_t* pairs, const double* lambdas, const double* q, PickInfo* d_info,
                   std::int32_t* d_picks, double* d_quadratic, int t);

}  // namespace arm
