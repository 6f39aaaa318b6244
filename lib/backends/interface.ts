/**
 * The kernel interface every backend implements. The TypeScript backend (backends/js.ts) is the
 * reference semantics; native and CUDA backends must return the same picks on generic data and
 * log-dets within 1e-6 relative. Policy (pools, randomness, validation, rule choice) stays in lib/:
 * a backend only runs deterministic numerical kernels on inputs lib/ has already validated.
 *
 * Conventions shared by all methods:
 * - features: row-major n×d, Float32Array or Float64Array, finite.
 * - pairs: Int32Array of 2m entries (i, j interleaved), 0 ≤ i < j < n, no duplicates.
 * - matrices: Float64Array d×d, row-major. Cholesky factors are lower triangular with the strict
 *   upper triangle zero.
 * - v_p = φ_i − φ_j for pair p = (i, j).
 */
import type { BackendName, FeatureArray } from '../types.js';

export interface InformationArgs {
  features: FeatureArray;
  n: number;
  d: number;
  pairs: Int32Array;
  /** Per-pair weight (λ_p); length m. */
  weights: Float64Array;
  /** Added to the diagonal. */
  ridge: number;
  /** Optional d×d matrix added to the result (e.g. the past pairs' information). */
  base?: Float64Array;
  /** Cancels the work (the promise rejects with an AbortError). */
  signal?: AbortSignal;
}

export interface QuadraticArgs {
  features: FeatureArray;
  n: number;
  d: number;
  /** Lower Cholesky factor L of M (M = L Lᵀ). */
  factor: Float64Array;
  pairs: Int32Array;
  /** Cancels the work (the promise rejects with an AbortError). */
  signal?: AbortSignal;
}

export interface GreedyArgs extends QuadraticArgs {
  /** λ_p per pair; the score of p is λ_p · v_pᵀ M_t⁻¹ v_p. */
  lambdas: Float64Array;
  k: number;
  /** Lazy greedy (priority queue of stale upper bounds): exactly the same picks, fewer re-scorings. */
  lazy: boolean;
}

export interface GreedyResult {
  /** Positions in `pairs` of the k picks, in pick order. Ties go to the lower position. */
  picks: Int32Array;
  /** v_pᵀ M_t⁻¹ v_p of each pick at the time it was picked (so gain_t = log(1 + λ q_t)). */
  quadratic: Float64Array;
  /** Sherman–Morrison downdates of q actually applied, when the backend counts them (plain greedy
   * applies Σ_{t<k−1} (m − 1 − t); the benchmark reports the share lazy evaluation does). */
  downdates?: number;
}

export interface Backend {
  readonly name: BackendName;
  /** ridge·I + base + Σ_p weights_p v_p v_pᵀ, full symmetric. Must use the pair structure:
   * O(m d + n d²), never O(m d²). */
  informationMatrix(args: InformationArgs): Promise<Float64Array>;
  /** Lower Cholesky factor and log det. Throws CholeskyError when M is not positive definite. */
  cholesky(M: Float64Array, d: number): Promise<{ factor: Float64Array; logDet: number }>;
  /** q_p = v_pᵀ M⁻¹ v_p for every pair (project each response once: y = L⁻¹φ, q = ‖y_i − y_j‖²). */
  quadraticForms(args: QuadraticArgs): Promise<Float64Array>;
  /** Greedy D-optimal selection with Sherman–Morrison downdates, O(n d + m) per pick. */
  greedy(args: GreedyArgs): Promise<GreedyResult>;
}

/** Thrown when a matrix that should be positive definite is not. */
export class CholeskyError extends RangeError {
  constructor(message: string) {
    super(message);
    this.name = 'CholeskyError';
  }
}
