/** Public types of active-rm. Names match the documented options so that scripts can rely on them. */

export type FeatureArray = Float32Array | Float64Array;
/** Shape of the Gaussian prior on the head (lib/train/prior-shape.ts). */
export type PriorShape = 'isotropic' | 'standardized';
export type PriorChoice = PriorShape | 'auto';

export type BackendName = 'js' | 'native' | 'cuda';
export type BackendChoice = 'auto' | BackendName;

export const METHODS = [
  'dopt',
  'past-dopt',
  'xtx',
  'greedy-dopt',
  'past-greedy-dopt',
  'entropy',
  'maxdiff',
  'random',
  'coreset',
  'batchbald',
] as const;
export type Method = (typeof METHODS)[number];

export type RidgeSource = 'fixed' | 'evidence' | 'prior-scale';

export type PoolKind = 'within' | 'cross' | 'all';

/** Pairs already labeled. `label` is 1 when i was preferred, 0 when j was; labels are optional
 * because the Fisher information of a pair does not depend on its label. */
export interface PastPairs {
  pairs: Int32Array | ArrayLike<number>;
  labels?: Uint8Array | Int32Array | Float64Array | ArrayLike<number>;
}
export type Past = PastPairs | ReadonlyArray<{ i: number; j: number; label?: number }>;

export interface SelectOptions {
  /** Response features φ, row-major: n×dim, or [prompts, responses, dim] with `shape`. */
  features: FeatureArray;
  /** Feature dimension d. */
  dim: number;
  /** Prompt id per response (0-based), required with a 2-D `features` for `within`/`cross`/`all` pools. */
  promptIds?: Int32Array | ArrayLike<number>;
  /** [prompts, responsesPerPrompt, dim] for the 3-D layout; prompt ids are then implied. */
  shape?: readonly [number, number, number];
  /** Last-layer weights w (length dim). All zeros means "no model yet": λ = 1/4 for every pair. */
  head: FeatureArray | ArrayLike<number>;
  /** Candidate pool: a named pool or explicit pairs (i, j interleaved). */
  pool: PoolKind | Int32Array | ArrayLike<number>;
  /** Size of the seeded uniform sample of cross-prompt pairs; exhaustive when omitted. */
  crossSample?: number;
  method: Method;
  /** Number of pairs to select. */
  k: number;
  /** Ridge τ of M = τI + …: a number > 0 (absolute, fixed), or 'auto' (the default): with labeled
   * `past` pairs the τ maximizing their Laplace evidence under a linear head (as
   * trainLinearHead({ ridge: 'auto' }) chooses it); before any label τ₀ = mean ‖φ_i − φ_j‖² over
   * the candidate pool, which makes the picks independent of the features' units. */
  ridge?: number | 'auto';
  /** Shape of the prior behind M and the head: 'isotropic' (τI), 'standardized' (τ·diag(s²), s the
   * features' per-axis standard deviation: blind to per-axis units), or 'auto' (the default with
   * ridge 'auto', and only with it): the labels' evidence chooses, as for τ; before any label,
   * 'standardized'. With a numeric ridge the default is 'isotropic'. */
  prior?: PriorChoice;
  /** The s of the standardized prior (length dim, each > 0); default: the features' per-axis
   * standard deviation. Pass a fitted head's axisScale to share its posterior exactly. */
  axisScale?: ArrayLike<number>;
  /** Pairs labeled so far: used by the past-aware rules and by batchbald's posterior; never proposed again. */
  past?: Past;
  seed?: number;
  backend?: BackendChoice;
  signal?: AbortSignal;
  /** Posterior samples of w for batchbald (default 32). */
  samples?: number;
  /** Use lazy greedy (same picks, fewer re-scorings). Default true. */
  lazy?: boolean;
  /** Refuse (RangeError) when the selection would need more memory than this many bytes. */
  maxMemoryBytes?: number;
  /** Progress of a long selection: called as each phase starts (done 0) and, in 'select', with the
   * picks made so far (greedy-dopt, past-greedy-dopt and batchbald report every few picks, at most
   * every 50 ms; the other rules report 0 then k). For display only: it may skip values. If it
   * throws, the selection rejects with that error. */
  onProgress?: (progress: SelectProgress) => void;
}

/** 'pool': building the candidate pool; 'ridge': choosing τ (the labels' evidence under 'auto');
 * 'select': the rule (done/total = picks made / k); 'evaluate': the log det bookkeeping. */
export type SelectPhase = 'pool' | 'ridge' | 'select' | 'evaluate';

export interface SelectProgress {
  phase: SelectPhase;
  done: number;
  total: number;
}

export interface Timings {
  /** Milliseconds spent building the candidate pool. */
  pool: number;
  /** Milliseconds spent scoring and selecting. */
  select: number;
  /** Milliseconds spent on the final log-det bookkeeping. */
  evaluate: number;
  total: number;
}

export interface Selection {
  /** Chosen pairs, i and j interleaved, i < j, in pick order. */
  pairs: Int32Array;
  /** The quantity each pick was ranked by (rule-specific; see the README's rule table). */
  scores: Float64Array;
  /** log det gain of each pick, added in pick order to the rule's starting matrix. */
  gains: Float64Array;
  /** log det M(S): τI (+ past for past-aware rules) + the selected pairs' information. */
  logDet: number;
  method: Method;
  backend: BackendName;
  /** Number of candidate pairs the rule chose from. */
  poolSize: number;
  /** The ridge τ the rule used. */
  ridge: number;
  /** Where τ came from: given as a number, the labels' evidence, or the pool's scale (no labels yet). */
  ridgeSource: RidgeSource;
  /** The prior's shape τ belongs to: given, or chosen by the evidence (as τ was). */
  prior: PriorShape;
  timings: Timings;
}

export interface BackendInfo {
  active: BackendName;
  js: { available: true };
  native: { available: boolean; reason?: string; path?: string; simd?: string };
  cuda: { available: boolean; reason?: string; device?: string };
}
