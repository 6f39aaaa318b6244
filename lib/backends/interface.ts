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

/** What most kernels take: n responses' features (row-major n×d) and pairs of them. */
export interface PairProblem {
  features: FeatureArray;
  n: number;
  d: number;
  pairs: Int32Array;
}

export interface InformationArgs extends PairProblem {
  /** Per-pair weight (λ_p); length m. */
  weights: Float64Array;
  /** Added to the diagonal. */
  ridge: number;
  /** Optional d×d matrix added to the result (e.g. the past pairs' information). */
  base?: Float64Array;
  /** Cancels the work (the promise rejects with an AbortError). */
  signal?: AbortSignal;
}

export interface QuadraticArgs extends PairProblem {
  /** Lower Cholesky factor L of M (M = L Lᵀ). */
  factor: Float64Array;
  /** Cancels the work (the promise rejects with an AbortError). */
  signal?: AbortSignal;
}

/** Called with the number of picks made so far while a selection runs (a progress display: it may
 * skip values, and a backend that cannot report may not call it at all). */
export type PickProgress = (picksDone: number) => void;

export interface GreedyArgs extends QuadraticArgs {
  /** λ_p per pair; the score of p is λ_p · v_pᵀ M_t⁻¹ v_p. */
  lambdas: Float64Array;
  k: number;
  /** Lazy greedy (stale scores and response-level bounds, a head of candidates updated pick by pick
   * and the rest in passes): exactly the same picks, fewer re-scorings. */
  lazy: boolean;
  onPicks?: PickProgress;
}

export interface GreedyResult {
  /** Positions in `pairs` of the k picks, in pick order. Ties go to the lower position. */
  picks: Int32Array;
  /** v_pᵀ M_t⁻¹ v_p of each pick at the time it was picked (so gain_t = log(1 + λ q_t)). */
  quadratic: Float64Array;
  /** Candidate downdates done (plain greedy: every remaining candidate at every pick), where the
   * backend counts them: the benchmarks' share of plain greedy's work. */
  downdates?: number;
}

/** Pairs already labeled and their weights: the Σ_past λ v vᵀ term of M. */
export interface PastTerm {
  pairs: Int32Array;
  lambdas: Float64Array;
}

/** One greedy D-optimal selection: M₀ = ridge·I (+ Σ_past λ v vᵀ), factor, project, pick k. */
export interface GreedyDesignArgs extends PairProblem {
  /** λ_p of each candidate in `pairs`. */
  lambdas: Float64Array;
  k: number;
  ridge: number;
  /** Starts from the labeled pairs' information too (past-greedy-dopt). */
  past?: PastTerm;
  lazy: boolean;
  signal?: AbortSignal;
  onPicks?: PickProgress;
}

export interface GreedyDesignResult extends GreedyResult {
  /** log det M₀, the matrix the first pick's quadratic form refers to. */
  startLogDet: number;
}

/**
 * An exhaustive pool described instead of listed (lib/problem/implicit-pool.ts): every pair
 * (i, j), i < j, of the n responses ('all'), or those whose prompts differ ('cross'), less the
 * excluded pairs. Positions are lexicographic (i, j), as in a materialized pool.
 */
export interface ImplicitPoolSpec {
  kind: 'cross' | 'all';
  /** Prompt of each response (length n). */
  promptOf: Int32Array;
  /** λ_ij = e_i e_j/(e_i + e_j)² from these scaled exponentials (lib/math/fisher.ts scaledExp),
   * or, when absent, bernoulliVariance(r_i − r_j): what pairLambdas computes on the materialized pool. */
  expRewards?: Float64Array;
  /** r_i = wᵀφ_i (length n). */
  rewards: Float64Array;
  /** Labeled pairs (i < j interleaved), never proposed. */
  excluded: Int32Array;
}

/** greedyDesign over an implicit exhaustive pool: no pair or λ array, 4 bytes of state per pair. */
export interface ImplicitGreedyDesignArgs {
  features: FeatureArray;
  n: number;
  d: number;
  pool: ImplicitPoolSpec;
  /** At most the pool's size. */
  k: number;
  ridge: number;
  past?: PastTerm;
  signal?: AbortSignal;
  onPicks?: PickProgress;
}

export interface ImplicitGreedyDesignResult {
  /** The k picks (i < j interleaved) in pick order: plain greedy's picks on the materialized pool. */
  pairs: Int32Array;
  /** v_pᵀ M_t⁻¹ v_p of each pick at the time it was picked. */
  quadratic: Float64Array;
  /** log det M₀. */
  startLogDet: number;
  /** Serial downdates applied (head updates and exact evaluations; the O(d) bounds are not counted). */
  downdates?: number;
}

/** Every candidate's v_pᵀ M⁻¹ v_p in one step: form M, factor, project, score. */
export interface DoptScoresArgs extends PairProblem {
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

/** log det gains of given picks added in order to M₀ = L Lᵀ (the bookkeeping of non-greedy rules). */
export interface SequentialGainsArgs extends PairProblem {
  factor: Float64Array;
  /** λ of each pick; `pairs` holds the picks in order, i < j interleaved. */
  lambdas: Float64Array;
  signal?: AbortSignal;
}

/** The coreset rule's k-means over pair vectors and the sensitivities (lib/rules/coreset.ts is the reference). */
export interface CoresetArgs extends PairProblem {
  /** K distinct pair positions: the initial centers. */
  seeds: Int32Array;
  iterations: number;
  radius: number;
  signal?: AbortSignal;
}

/** BatchBALD's pair probabilities under posterior samples of the head (lib/rules/batchbald.ts is the reference). */
export interface BatchBaldProbabilityArgs extends PairProblem {
  /** S×d posterior samples of the head, row s = w_s. */
  samples: Float64Array;
  signal?: AbortSignal;
}

/** BatchBALD's lazy greedy from the samples' probabilities (lib/rules/batchbald.ts is the reference). */
export interface BatchBaldArgs {
  /** m×S, candidate-major: P(i ≻ j | w_s). */
  prob: Float64Array;
  /** m: E_s H(y | w_s). */
  condEntropy: Float64Array;
  S: number;
  k: number;
  configurations: number;
  /** U(0, 1) draws in the reference's order: configurations·(k + 1). */
  uniforms: Float64Array;
  signal?: AbortSignal;
  onPicks?: PickProgress;
}

/** The MLP reward model's parameters and shape (lib/train/mlp.ts is the reference). */
export interface MlpShape {
  inputDim: number;
  width: number;
  params: Float64Array;
}

export interface MlpForwardArgs extends MlpShape {
  features: FeatureArray;
  n: number;
  signal?: AbortSignal;
}

export interface MlpTrainArgs extends MlpShape {
  features: FeatureArray;
  n: number;
  adamM: Float64Array;
  adamV: Float64Array;
  steps: number;
  pairs: Int32Array;
  labels: Float64Array;
  /** epochs × m pair indices: each epoch's batch order. */
  order: Int32Array;
  epochs: number;
  batchSize: number;
  lr: number;
  weightDecay: number;
  signal?: AbortSignal;
}

export interface MlpTrainResult {
  params: Float64Array;
  adamM: Float64Array;
  adamV: Float64Array;
  steps: number;
  /** Mean loss of each epoch. */
  losses: Float64Array;
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

  /** greedyDesign over an implicit exhaustive pool (lib/math/implicit-greedy.ts is the reference;
   * a compiled addon without the kernel runs its own M and factor, then that reference). */
  greedyDesignImplicit(args: ImplicitGreedyDesignArgs): Promise<ImplicitGreedyDesignResult>;

  // Optional kernels: lib/ runs its TypeScript reference when a backend lacks one (hasKernel).
  sequentialGains?(args: SequentialGainsArgs): Promise<Float64Array>;
  coresetSensitivities?(args: CoresetArgs): Promise<Float64Array>;
  batchbaldGreedy?(args: BatchBaldArgs): Promise<{ positions: Int32Array; scores: Float64Array }>;
  /** BatchBALD's pair probabilities: samples is S×d (row s = w_s); prob is m×S, pair-major. */
  batchbaldProbabilities?(args: BatchBaldProbabilityArgs): Promise<{ prob: Float64Array; condEntropy: Float64Array }>;
  /** φ (n×width, last hidden layer) and r (n) of the MLP. */
  mlpForward?(args: MlpForwardArgs): Promise<{ phi: Float64Array; rewards: Float64Array }>;
  /** Adam over the given batch order; resolves with updated copies of the state. */
  mlpTrain?(args: MlpTrainArgs): Promise<MlpTrainResult>;
}

export type OptionalKernel = 'sequentialGains' | 'coresetSensitivities' | 'batchbaldGreedy' | 'batchbaldProbabilities' | 'mlpForward' | 'mlpTrain';

/** Whether the backend implements an optional kernel (else the caller runs the TypeScript reference). */
export function hasKernel<K extends OptionalKernel>(backend: Backend | undefined, kernel: K): backend is Backend & Required<Pick<Backend, K>> {
  return typeof backend?.[kernel] === 'function';
}

/** Thrown when a matrix that should be positive definite is not. */
export class CholeskyError extends RangeError {
  constructor(message: string) {
    super(message);
    this.name = 'CholeskyError';
  }
}
