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
}

/** Pairs already labeled and their weights: the Σ_past λ v vᵀ term of M. */
export interface PastTerm {
  pairs: Int32Array;
  lambdas: Float64Array;
}

/** One greedy D-optimal selection: M₀ = ridge·I (+ Σ_past λ v vᵀ), factor, project, pick k. */
export interface GreedyDesignArgs {
  features: FeatureArray;
  n: number;
  d: number;
  /** The candidates. (An implicit exhaustive cross pool is meant to come in as an alternative to
   * this field, so the whole family keeps one entry.) */
  pairs: Int32Array;
  lambdas: Float64Array;
  k: number;
  ridge: number;
  /** Starts from the labeled pairs' information too (past-greedy-dopt). */
  past?: PastTerm;
  lazy: boolean;
  signal?: AbortSignal;
}

export interface GreedyDesignResult extends GreedyResult {
  /** log det M₀, the matrix the first pick's quadratic form refers to. */
  startLogDet: number;
}

/** Every candidate's v_pᵀ M⁻¹ v_p in one step: form M, factor, project, score. */
export interface DoptScoresArgs {
  features: FeatureArray;
  n: number;
  d: number;
  pairs: Int32Array;
  /** λ_p (1 for xtx): the candidates' weights in M. */
  weights: Float64Array;
  ridge: number;
  past?: PastTerm;
  /** M includes Σ_pairs weights v vᵀ (the dopt rules); false scores against the greedy rules'
   * starting matrix ridge·I (+ past). */
  poolInMatrix: boolean;
  signal?: AbortSignal;
}

export interface DoptScoresResult {
  quadratic: Float64Array;
  /** log det M. */
  logDet: number;
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
  /** informationMatrix → cholesky → greedy as one call (one native round trip; the rules use this). */
  greedyDesign(args: GreedyDesignArgs): Promise<GreedyDesignResult>;
  /** informationMatrix → cholesky → quadraticForms as one call (the dopt family and pairScores). */
  doptScores(args: DoptScoresArgs): Promise<DoptScoresResult>;
}

/** Thrown when a matrix that should be positive definite is not. */
export class CholeskyError extends RangeError {
  constructor(message: string) {
    super(message);
    this.name = 'CholeskyError';
  }
}
