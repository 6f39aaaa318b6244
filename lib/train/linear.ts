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
import { axisScale, PRIOR_SHAPES, scaleHead, STANDARDIZED_MIN_NATS, type PriorChoice, type PriorShape } from './prior-shape.js';

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
  /** Shape of the prior (prior-shape.ts): 'isotropic' N(0, I/τ), 'standardized' N(0, (τ·diag(s²))⁻¹)
   * with s the features' per-axis standard deviation, or 'auto' (the default with ridge 'auto';
   * only with it): both are searched and standardized wins only by a log evidence larger by more
   * than STANDARDIZED_MIN_NATS. Default with a numeric ridge:
   * 'isotropic'. */
  prior?: PriorChoice;
  /** The s of the standardized prior (length dim, > 0); default axisScale(features). */
  axisScale?: ArrayLike<number>;
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
  /** s of the standardized prior (undefined for isotropic): pass it on with the τ to share the posterior. */
  axisScale?: Float64Array;
}

type Fit = Omit<LinearTrainResult, 'prior' | 'axisScale'>;

/** One prior shape to fit under: the head problem on φ (isotropic) or on φ/s (standardized). */
interface ShapedProblem {
  prior: PriorShape;
  s?: Float64Array;
  prob: HeadProblem;
  init: Float64Array;
}

function shapedProblems(opts: LinearTrainOptions): ShapedProblem[] {
  const prior = opts.prior ?? (opts.ridge === 'auto' ? 'auto' : 'isotropic');
  const shapes = prior === 'auto' ? PRIOR_SHAPES : [prior];
  const init = startingHead(opts);
  return shapes.map((shape) => {
    const prob = compactProblem(opts.features, opts.dim, opts.pairs, opts.labels, 1);
    if (shape === 'isotropic') return { prior: shape, prob, init };
    const s = opts.axisScale ? Float64Array.from(opts.axisScale) : axisScale(opts.features, opts.dim);
    for (let t = 0; t < prob.phi.length; t++) prob.phi[t] /= s[t % opts.dim]!;
    return { prior: shape, s, prob, init: scaleHead(init, s, 'into') };
  });
}

/** The fit of one shape in the caller's coordinates (w/s; loss and evidence are invariant). */
function inCallerCoordinates(shaped: ShapedProblem, fit: Fit): LinearTrainResult {
  if (!shaped.s) return { ...fit, prior: shaped.prior };
  return { ...fit, w: scaleHead(fit.w, shaped.s, 'back'), prior: shaped.prior, axisScale: shaped.s };
}

/** The isotropic fit (first) unless the standardized one has strong evidence over it. */
function betterOf(a: LinearTrainResult | undefined, b: LinearTrainResult): LinearTrainResult {
  return a && a.logEvidence >= b.logEvidence - STANDARDIZED_MIN_NATS ? a : b;
}

export function trainLinearHead(opts: LinearTrainOptions): LinearTrainResult {
  validate(opts);
  let best: LinearTrainResult | undefined;
  for (const shaped of shapedProblems(opts)) best = betterOf(best, inCallerCoordinates(shaped, trainShape(opts, shaped)));
  return best!;
}

function trainShape(opts: LinearTrainOptions, { prob, init }: ShapedProblem): Fit {
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
  if (opts.ridge !== 'auto') return fit(opts.ridge, init);
  const search = ridgeSearch(priorScaleRidge(prob.phi, prob.d, prob.local));
  let best: Fit | undefined;
  let w = init;
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
  let best: LinearTrainResult | undefined;
  for (const shaped of shapedProblems(opts)) best = betterOf(best, inCallerCoordinates(shaped, await trainShapeOn(backend, opts, shaped)));
  return best!;
}

async function trainShapeOn(backend: Backend, opts: LinearTrainOptions & { signal?: AbortSignal }, { prob, init }: ShapedProblem): Promise<Fit> {
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
  if (opts.ridge !== 'auto') return fit(opts.ridge, init);
  const search = ridgeSearch(priorScaleRidge(phi, d, prob.local));
  let best: Fit | undefined;
  let w = init;
  for (let next = search.next(); ; ) {
    if (next.done) return best!;
    const r = await fit(next.value, w);
    w = Float64Array.from(r.w);
    if (!best || r.logEvidence > best.logEvidence) best = { ...r, w: Float64Array.from(r.w) };
    next = search.next(r.logEvidence);
  }
}

/** The fit's Laplace log evidence, computed in TypeScript (one d×d or m×m factorization). */
function withEvidence(prob: HeadProblem, r: Omit<Fit, 'ridge' | 'logEvidence'>): Fit {
  return { ...r, ridge: prob.ridge, logEvidence: prob.local.length === 0 ? 0 : laplaceLogEvidence(prob, r.w, r.loss) };
}

/** Fewer pairs than dimensions: solve the Newton system in the m×m space (see woodburyStep). */
const woodbury = (prob: HeadProblem): boolean => prob.local.length / 2 < prob.d;

function startingHead(opts: LinearTrainOptions): Float64Array {
  const w = new Float64Array(opts.dim);
  if (opts.init) for (let k = 0; k < opts.dim; k++) w[k] = opts.init[k]!;
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
  const { prior } = opts;
  if (prior !== undefined && prior !== 'auto' && !PRIOR_SHAPES.includes(prior)) throw new RangeError(`trainLinearHead: prior must be 'auto', 'isotropic' or 'standardized' (got ${String(prior)})`);
  if (prior === 'auto' && ridge !== 'auto') throw new RangeError(`trainLinearHead: prior 'auto' chooses the shape by the evidence and needs ridge 'auto' (got ridge ${String(ridge)}); give prior 'isotropic' or 'standardized' with a fixed ridge`);
  if (opts.axisScale !== undefined) {
    const s = opts.axisScale;
    if (s.length !== dim) throw new RangeError(`trainLinearHead: axisScale has length ${s.length}, expected dim = ${dim}`);
    for (let k = 0; k < dim; k++) if (!(s[k]! > 0 && Number.isFinite(s[k]!))) throw new RangeError(`trainLinearHead: axisScale[${k}] = ${s[k]}; every axis scale must be a finite number > 0`);
  }
  if (opts.init && opts.init.length !== dim) throw new RangeError(`trainLinearHead: init has length ${opts.init.length}, expected dim = ${dim}`);
}
