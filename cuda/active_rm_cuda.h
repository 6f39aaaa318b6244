/*
 * Plain C interface of the CUDA layer. The CPU addon opens this library with dlopen at first use,
 * so nothing here may mention Node, and every entry point reports failure through a status code
 * plus arm_cuda_last_error() instead of throwing across the C boundary.
 *
 * Conventions (the same as lib/backends/interface.ts):
 * - features: row-major n×d float32 (the bridge converts float64 input once).
 * - pairs: 2m int32, (i, j) interleaved, 0 ≤ i < j < n.
 * - matrices: float64 d×d row-major; Cholesky factors are lower triangular, strict upper zero.
 * All pointers are host pointers; the library owns its device memory for the duration of a call.
 */
#ifndef ACTIVE_RM_CUDA_H
#define ACTIVE_RM_CUDA_H

#include <stdint.h>

#if defined(ARM_CUDA_BUILD) && defined(__GNUC__)
#define ARM_CUDA_API __attribute__((visibility("default")))
#else
#define ARM_CUDA_API
#endif

#ifdef __cplusplus
extern "C" {
#endif

enum arm_status {
  ARM_OK = 0,
  ARM_NOT_POSITIVE_DEFINITE = 1,
  ARM_INVALID_ARGUMENT = 2,
  ARM_CUDA_ERROR = 3,
  ARM_ABORTED = 4,
  ARM_OUT_OF_MEMORY = 5
};

/* Message of the last failure on the calling thread ("" when none). */
ARM_CUDA_API const char* arm_cuda_last_error(void);
/* Number of usable devices, or -1 with arm_cuda_last_error() saying why (no driver, no GPU). */
ARM_CUDA_API int arm_cuda_device_count(void);
/* Name of device 0, or "" when there is none. */
ARM_CUDA_API const char* arm_cuda_device_name(void);
/* Version of this C interface; the bridge refuses a library with another one. */
ARM_CUDA_API int arm_cuda_abi_version(void);

/* out (d×d) = ridge·I + base + Σ_p weights_p v_p v_pᵀ, computed as Φᵀ(diag(deg)Φ − WΦ). */
ARM_CUDA_API int arm_cuda_information(const float* features, int n, int d, const int32_t* pairs, int64_t m,
                         const double* weights, double ridge, const double* base /* nullable */,
                         double* out);

/* Lower Cholesky factor of M and its log det. Runs on the host in float64 (see docs/cuda.md).
 * ARM_NOT_POSITIVE_DEFINITE when a pivot is not positive or not finite; then *bad_column and
 * *bad_pivot (each nullable) say which one. */
ARM_CUDA_API int arm_cuda_cholesky(const double* M, int d, double* factor, double* log_det,
                                   int64_t* bad_column, double* bad_pivot);

/* q_p = ‖L⁻¹(φ_i − φ_j)‖² for every pair. */
ARM_CUDA_API int arm_cuda_quadratic(const float* features, int n, int d, const double* factor,
                       const int32_t* pairs, int64_t m, double* out);

/* Y = Φ L⁻ᵀ (n×d float32) into out (nullable: then only timed); *device_ms (nullable) gets the
 * device time of the projection kernels alone, for throughput figures. */
ARM_CUDA_API int arm_cuda_project(const float* features, int n, int d, const double* factor, float* out,
                                  double* device_ms);

/* Greedy D-optimal selection over an explicit pair list: k picks (positions in pairs), ties to the
 * lower position; quadratic[t] = v_pᵀ M_t⁻¹ v_p of pick t when picked. lazy != 0 re-scores only the
 * candidates whose stale bound could still win (same picks). cancel, when not null, is polled
 * between steps; a non-zero value stops with ARM_ABORTED. */
ARM_CUDA_API int arm_cuda_greedy(const float* features, int n, int d, const double* factor,
                    const int32_t* pairs, int64_t m, const double* lambdas, int k, int lazy,
                    const volatile int32_t* cancel, int32_t* picks, double* quadratic);

/* Greedy selection over the exhaustive cross-prompt pool {(i, j): i < j, prompt_i ≠ prompt_j}
 * without materializing it: responses are scored in tiles through the Gram matrix, with
 * λ_ij = σ(r_i − r_j)(1 − σ(r_i − r_j)) from rewards r (n, float64). Ties go to the lower (i, j)
 * in lexicographic order, i.e. the lower position in the pool enumerated as for i, for j > i.
 * pairs_out gets 2k entries, quadratic and lambdas k each. */
ARM_CUDA_API int arm_cuda_cross_greedy(const float* features, int n, int d, const double* factor,
                          const int32_t* prompt_ids, const double* rewards, int k,
                          const volatile int32_t* cancel, int32_t* pairs_out, double* quadratic,
                          double* lambdas);

#ifdef __cplusplus
}
#endif

#endif
