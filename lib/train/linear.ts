/**
 * Ridge-regularized logistic Bradley–Terry on fixed features: the linear reward head r = wᵀφ.
 *
 *   minimize  Σ_p [softplus(m_p) − y_p m_p] + (ridge/2)‖w‖²,   m_p = wᵀ(φ_i − φ_j)
 *
 * Its Hessian, ridge·I + Σ λ_p v_p v_pᵀ, is exactly the engine's information matrix M, so the
 * head this returns and the M the Fisher rules build describe the same Laplace posterior.
 * Newton with a backtracking line search: strictly convex (ridge > 0), so it reaches the unique
 * optimum to machine precision in a handful of steps, separable data included. Newton systems are
 * solved in whichever space is smaller: d×d through the pair Laplacian, or m×m (Woodbury).
 *
 * trainLinearHead is the reference and solves everything in TypeScript; trainLinearHeadOn runs
 * the same iteration (linear-newton.ts) with the d×d systems formed and factored on a backend
 * (lib/api/train.ts's trainLinearHeadAsync resolves which one).
 */
import type { Backend } from '../backends/interface.js';
import { informationMatrix } from '../math/fisher.js';
import { cholesky } from '../math/linalg.js';
import { checkSignal } from '../math/yielder.js';
import type { BackendChoice, FeatureArray } from '../types.js';
import { laplaceLogEvidence, priorScaleRidge, ridgeSearch } from './evidence.js';
import { compactProblem, newtonIterations, solveWithFactor, woodburyStep, type HeadProblem } from './linear-newton.js';
import { axisScales, requirePriorChoice, scaleFeatures, ZERO_LABEL_SHAPE, type PriorChoice, type PriorShape } from './prior-shape.js';

export interface LinearTrainOptions {
  /** Response features φ, row-major n×dim. */
  features: FeatureArray;
  dim: number;
  /** Labeled pairs, i and j interleaved (2m entries). */
  pairs: Int32Array;
  /** Per pair: 1 when i was preferred, 0 when j was; values in between act as soft labels. */
  labels: ArrayLike<number>;
  /** Ridge τ > 0 (absolute, on the summed — not averaged — log-likelihood), or 'auto': the τ that
   * maximizes the Laplace log evidence of the labels (see evidence.ts), searched over log τ around
   * the scale of the labeled pairs' differences. */
  ridge: number | 'auto';
  /** The prior's shape (prior-shape.ts): 'isotropic' N(0, I/τ); 'standardized', precision
   * τ·diag(s²) with s the per-axis root mean square of the labeled pairs' differences; or 'auto':
   * both are fitted and the one with the higher Laplace evidence is kept (with no labels:
   * ZERO_LABEL_SHAPE). Default: 'auto' with ridge 'auto', 'isotropic' with a number. */
  prior?: PriorChoice;
  /** Newton iterations at most (default 100). */
  maxIter?: number;
  /** Stop when ‖gradient‖₂ ≤ tol (default 1e-9), or earlier when the Newton decrement shows the
   * loss cannot decrease any more in float64 (large n: the gradient's rounding floor exceeds tol). */
  tol?: number;
  /** Starting w (e.g. last round's head); zeros when omitted. Only speeds things up. */
  init?: ArrayLike<number>;
}

export interface LinearTrainResult {
  w: Float64Array;
  iterations: number;
  /** ‖∇‖₂ of the objective at w. */
  gradientNorm: number;
  /** Objective value at w. */
  loss: number;
  /** The gradient reached tol, or the optimum was reached to float64 resolution. */
  converged: boolean;
  /** The ridge τ of this fit: the given one, or the one 'auto' chose. */
  ridge: number;
  /** Laplace log evidence log p(labels | τ, shape) at this fit (0 without labels). */
  logEvidence: number;
  /** The prior's shape of this fit: the given one, or the one 'auto' chose. */
  prior: PriorShape;
  /** With the standardized shape: the per-axis scales s (prior precision τ·s_k² on w_k). */
  priorScale?: Float64Array;
}

export function trainLinearHead(opts: LinearTrainOptions): LinearTrainResult {
  validate(opts);
  const base = compactProblem(opts.features, opts.dim, opts.pairs, opts.labels, 1);
  let best: LinearTrainResult | undefined;
  for (const shape of shapesToFit(opts)) {
    const { prob, scale } = shapedProblem(base, shape);
    const r = inRawCoordinates(searchSync(prob, opts.ridge, startingHead(opts, scale), opts), shape, scale);
    if (!best || r.logEvidence > best.logEvidence) best = r;
  }
  return best!;
}

function searchSync(prob: HeadProblem, ridge: number | 'auto', w0: Float64Array, opts: LinearTrainOptions): Fit {
  const fit = (tau: number, w: Float64Array): Fit => {
    prob.ridge = tau;
    const run = newtonIterations(prob, w, opts.maxIter ?? 100, opts.tol ?? 1e-9);
    for (let next = run.next(); ; next = run.next()) {
      if (next.done) return withEvidence(prob, next.value);
      const sys = next.value;
      if (woodbury(prob)) woodburyStep(prob, sys);
      else {
        sys.step.set(sys.grad);
        solveWithFactor(cholesky(informationMatrix(prob.phi, prob.n, prob.d, prob.local, sys.lam, prob.ridge), prob.d).factor, prob.d, sys.step);
      }
    }
  };
  if (ridge !== 'auto') return fit(ridge, w0);
  const search = ridgeSearch(priorScaleRidge(prob.phi, prob.d, prob.local));
  let best: Fit | undefined;
  let w = w0;
  for (let next = search.next(); ; ) {
    if (next.done) return best!;
    const r = fit(next.value, w);
    w = Float64Array.from(r.w);
    if (!best || r.logEvidence > best.logEvidence) best = { ...r, w: Float64Array.from(r.w) };
    next = search.next(r.logEvidence);
  }
}

/** Where lib/api/train.ts's trainLinearHeadAsync runs, and how to cancel it. */
export interface LinearRunOptions {
  /** A backend, or a choice resolved as for selection ('auto' and ACTIVE_RM_BACKEND included). */
  backend?: BackendChoice | Backend;
  /** Checked before every Newton step and honoured by the backend's kernels; rejects with an AbortError. */
  signal?: AbortSignal;
}

/**
 * trainLinearHead with each d×d Newton system formed (informationMatrix: the λ-weighted pairs plus
 * the ridge, i.e. the engine's M) and factored (cholesky) on the backend; the O(d²) triangular
 * solves stay here. Same iteration, so it reaches the same w up to the rounding of H.
 */
export async function trainLinearHeadOn(backend: Backend, opts: LinearTrainOptions & { signal?: AbortSignal }): Promise<LinearTrainResult> {
  checkSignal(opts.signal);
  validate(opts);
  const base = compactProblem(opts.features, opts.dim, opts.pairs, opts.labels, 1);
  let best: LinearTrainResult | undefined;
  for (const shape of shapesToFit(opts)) {
    const { prob, scale } = shapedProblem(base, shape);
    const r = inRawCoordinates(await searchOn(backend, prob, opts.ridge, startingHead(opts, scale), opts), shape, scale);
    if (!best || r.logEvidence > best.logEvidence) best = r;
  }
  return best!;
}

async function searchOn(backend: Backend, prob: HeadProblem, ridge: number | 'auto', w0: Float64Array, opts: LinearTrainOptions & { signal?: AbortSignal }): Promise<Fit> {
  const { phi, n, d } = prob;
  // Backends take pairs as i < j; the Hessian does not depend on a pair's orientation.
  const ordered = prob.local.slice();
  for (let t = 0; t < ordered.length; t += 2) {
    if (ordered[t]! > ordered[t + 1]!) ordered.set([ordered[t + 1]!, ordered[t]!], t);
  }
  const fit = async (tau: number, w: Float64Array): Promise<Fit> => {
    prob.ridge = tau;
    const run = newtonIterations(prob, w, opts.maxIter ?? 100, opts.tol ?? 1e-9);
    for (let next = run.next(); ; next = run.next()) {
      if (next.done) return withEvidence(prob, next.value);
      checkSignal(opts.signal);
      const sys = next.value;
      // No backend kernel forms the m×m Gram matrix of pair differences, and with m < d it costs
      // O(m² d), less than one d×d information matrix: the Woodbury step stays in TypeScript.
      if (woodbury(prob)) woodburyStep(prob, sys);
      else {
        const H = await backend.informationMatrix({ features: phi, n, d, pairs: ordered, weights: sys.lam, ridge: prob.ridge, signal: opts.signal });
        const { factor } = await backend.cholesky(H, d);
        sys.step.set(sys.grad);
        solveWithFactor(factor, d, sys.step);
      }
    }
  };
  if (ridge !== 'auto') return fit(ridge, w0);
  const search = ridgeSearch(priorScaleRidge(phi, d, prob.local));
  let best: Fit | undefined;
  let w = w0;
  for (let next = search.next(); ; ) {
    if (next.done) return best!;
    const r = await fit(next.value, w);
    w = Float64Array.from(r.w);
    if (!best || r.logEvidence > best.logEvidence) best = { ...r, w: Float64Array.from(r.w) };
    next = search.next(r.logEvidence);
  }
}

/** A fit in the coordinates of its (possibly rescaled) problem. */
type Fit = Omit<LinearTrainResult, 'prior' | 'priorScale'>;

/** The shapes to fit: the given one, or with 'auto' both (one when there is no label to weigh them). */
function shapesToFit(opts: LinearTrainOptions): readonly PriorShape[] {
  const choice = opts.prior ?? (opts.ridge === 'auto' ? 'auto' : 'isotropic');
  if (choice !== 'auto') return [choice];
  return opts.labels.length === 0 ? [ZERO_LABEL_SHAPE] : ['isotropic', 'standardized'];
}

/** The problem with the shape's features: standardized, φ_k / s_k (then the prior is isotropic). */
function shapedProblem(base: HeadProblem, shape: PriorShape): { prob: HeadProblem; scale?: Float64Array } {
  if (shape === 'isotropic') return { prob: base };
  const scale = axisScales(base.phi, base.d, base.local);
  return { prob: { ...base, phi: scaleFeatures(base.phi, base.d, scale), pairSpace: undefined }, scale };
}

/** w back to the caller's features (w_k = w'_k / s_k); loss and evidence do not change. */
function inRawCoordinates(r: Fit, shape: PriorShape, scale: Float64Array | undefined): LinearTrainResult {
  if (!scale) return { ...r, prior: shape };
  const w = Float64Array.from(r.w, (x, k) => x / scale[k]!);
  return { ...r, w, prior: shape, priorScale: scale };
}

/** The fit's Laplace log evidence, computed in TypeScript (one d×d or m×m factorization). */
function withEvidence(prob: HeadProblem, r: Omit<Fit, 'ridge' | 'logEvidence'>): Fit {
  return { ...r, ridge: prob.ridge, logEvidence: prob.local.length === 0 ? 0 : laplaceLogEvidence(prob, r.w, r.loss) };
}

/** Fewer pairs than dimensions: solve the Newton system in the m×m space (see woodburyStep). */
const woodbury = (prob: HeadProblem): boolean => prob.local.length / 2 < prob.d;

/** The caller's init (raw coordinates) in the shape's coordinates: w'_k = w_k s_k. */
function startingHead(opts: LinearTrainOptions, scale?: Float64Array): Float64Array {
  const w = new Float64Array(opts.dim);
  if (opts.init) for (let k = 0; k < opts.dim; k++) w[k] = opts.init[k]! * (scale ? scale[k]! : 1);
  return w;
}

function validate(opts: LinearTrainOptions): void {
  const { features, dim, pairs, labels, ridge } = opts;
  if (!Number.isInteger(dim) || dim <= 0) throw new RangeError(`trainLinearHead: dim must be a positive integer (got ${dim})`);
  if (features.length % dim !== 0) throw new RangeError(`trainLinearHead: features.length (${features.length}) must be a multiple of dim (${dim})`);
  if (!(pairs instanceof Int32Array) || pairs.length % 2 !== 0) throw new RangeError('trainLinearHead: pairs must be an Int32Array of i, j interleaved (even length)');
  if (labels.length !== pairs.length / 2) throw new RangeError(`trainLinearHead: labels has ${labels.length} entries, pairs has ${pairs.length / 2}; give one label per pair`);
  if (ridge !== 'auto' && (!(typeof ridge === 'number' && ridge > 0) || !Number.isFinite(ridge))) throw new RangeError(`trainLinearHead: ridge must be a finite number > 0 (got ${String(ridge)}), or 'auto' to choose it by the evidence; without it separable labels have no optimum`);
  const n = features.length / dim;
  for (let t = 0; t < pairs.length; t += 2) {
    const i = pairs[t]!;
    const j = pairs[t + 1]!;
    if (i < 0 || j < 0 || i >= n || j >= n || i === j) throw new RangeError(`trainLinearHead: pair ${t / 2} = (${i}, ${j}) is out of range for ${n} responses or compares a response with itself`);
  }
  for (let p = 0; p < labels.length; p++) {
    const l = labels[p]!;
    if (!(l >= 0 && l <= 1)) throw new RangeError(`trainLinearHead: labels[${p}] = ${l}; labels must lie in [0, 1] (1 = i preferred)`);
  }
  if (opts.prior !== undefined) requirePriorChoice(opts.prior, 'trainLinearHead: prior');
  if (opts.init && opts.init.length !== dim) throw new RangeError(`trainLinearHead: init has length ${opts.init.length}, expected dim = ${dim}`);
}
