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
 */
import type { FeatureArray } from '../types.js';
import { informationMatrix, rewards } from '../fisher.js';
import { backSolve, cholesky, forwardSolve } from '../linalg.js';
import { sigmoid, softplus } from './logistic.js';

export interface LinearTrainOptions {
  /** Response features φ, row-major n×dim. */
  features: FeatureArray;
  dim: number;
  /** Labeled pairs, i and j interleaved (2m entries). */
  pairs: Int32Array;
  /** Per pair: 1 when i was preferred, 0 when j was; values in between act as soft labels. */
  labels: ArrayLike<number>;
  /** Ridge > 0 (absolute, on the summed — not averaged — log-likelihood). */
  ridge: number;
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
}

export function trainLinearHead(opts: LinearTrainOptions): LinearTrainResult {
  const { features, dim: d, pairs, labels, ridge } = opts;
  const maxIter = opts.maxIter ?? 100;
  const tol = opts.tol ?? 1e-9;
  validate(opts);
  const m = pairs.length / 2;

  // Work only on the responses that occur in a pair: the Hessian then costs O(m d + n_used d²)
  // through the pair Laplacian instead of O(m d²) through per-pair outer products.
  const local = new Int32Array(pairs.length);
  const index = new Map<number, number>();
  for (let t = 0; t < pairs.length; t++) {
    const g = pairs[t]!;
    let l = index.get(g);
    if (l === undefined) {
      l = index.size;
      index.set(g, l);
    }
    local[t] = l;
  }
  const n = index.size;
  const phi = new Float64Array(n * d);
  for (const [g, l] of index) {
    for (let k = 0; k < d; k++) phi[l * d + k] = features[g * d + k]!;
  }
  const y = Float64Array.from(labels);

  const w = new Float64Array(d);
  if (opts.init) for (let k = 0; k < d; k++) w[k] = opts.init[k]!;
  const r = new Float64Array(n);
  const coef = new Float64Array(n);
  const grad = new Float64Array(d);
  const lam = new Float64Array(m);
  // The d×d Hessian is only formed when there are at least d pairs (see woodburyStep).
  const H = m < d ? new Float64Array(0) : new Float64Array(d * d);
  const step = new Float64Array(d);
  const trial = new Float64Array(d);

  const objective = (wv: Float64Array): number => {
    rewards(phi, n, d, wv, r);
    let f = 0;
    for (let p = 0; p < m; p++) {
      const mp = r[local[2 * p]!]! - r[local[2 * p + 1]!]!;
      f += softplus(mp) - y[p]! * mp;
    }
    let ww = 0;
    for (let k = 0; k < d; k++) ww += wv[k]! * wv[k]!;
    return f + 0.5 * ridge * ww;
  };

  let loss = objective(w);
  let gradientNorm = Infinity;
  let iterations = 0;
  let atFloor = false;
  let prevSlope = Infinity;
  for (;;) {
    // r holds Φw for the current w (objective() just ran on it).
    coef.fill(0);
    for (let p = 0; p < m; p++) {
      const i = local[2 * p]!;
      const j = local[2 * p + 1]!;
      const s = sigmoid(r[i]! - r[j]!);
      lam[p] = s * (1 - s);
      const e = s - y[p]!;
      coef[i] += e;
      coef[j] -= e;
    }
    for (let k = 0; k < d; k++) grad[k] = ridge * w[k]!;
    for (let i = 0; i < n; i++) {
      const c = coef[i]!;
      if (c === 0) continue;
      const row = i * d;
      for (let k = 0; k < d; k++) grad[k] += c * phi[row + k]!;
    }
    const previousNorm = gradientNorm;
    gradientNorm = norm(grad);
    if (gradientNorm <= tol || iterations >= maxIter) break;
    // Near the optimum (tiny Newton decrement gᵀH⁻¹g) Newton shrinks the gradient quadratically;
    // when it stops shrinking, the gradient is at its float64 rounding floor (which exceeds tol for
    // many pairs or large features) and further steps only chase rounding.
    if (gradientNorm >= previousNorm && prevSlope <= 1e-10 * (1 + Math.abs(loss))) {
      atFloor = true;
      break;
    }

    if (m < d) woodburyStep(phi, d, local, lam, ridge, grad, step);
    else {
      H.set(informationMatrix(phi, n, d, local, lam, ridge));
      step.set(grad);
      solveSpd(H, d, step);
    }

    // Backtracking (Armijo): full Newton steps are taken near the optimum, so convergence stays
    // quadratic; far from it (e.g. separable data early on) this keeps every step a descent step.
    let slope = 0;
    for (let k = 0; k < d; k++) slope += grad[k]! * step[k]!;
    prevSlope = slope;
    let t = 1;
    let accepted = false;
    for (let ls = 0; ls < 60; ls++) {
      for (let k = 0; k < d; k++) trial[k] = w[k]! - t * step[k]!;
      const f = objective(trial);
      if (f <= loss - 1e-4 * t * slope) {
        w.set(trial);
        loss = f;
        accepted = true;
        break;
      }
      t *= 0.5;
    }
    iterations++;
    // No decrease is representable any more: w is the optimum up to rounding, and gradientNorm
    // (computed at w) says how close.
    if (!accepted) {
      atFloor = true;
      break;
    }
  }
  return { w, iterations, gradientNorm, loss, converged: gradientNorm <= tol || atFloor };
}

/**
 * step = H⁻¹ g for H = ridge·I + SᵀS with S = Λ^½ V (m×d), through the m×m system
 * (Woodbury): H⁻¹g = (g − Sᵀ (ridge·I + SSᵀ)⁻¹ S g) / ridge. O(m² d + m³) instead of O(d³): the
 * early rounds of a campaign on 512-d embeddings have far fewer pairs than dimensions.
 */
function woodburyStep(phi: Float64Array, d: number, local: Int32Array, lam: Float64Array, ridge: number, g: Float64Array, step: Float64Array): void {
  const m = lam.length;
  const S = new Float64Array(m * d);
  for (let p = 0; p < m; p++) {
    const ri = local[2 * p]! * d;
    const rj = local[2 * p + 1]! * d;
    const s = Math.sqrt(lam[p]!);
    for (let k = 0; k < d; k++) S[p * d + k] = s * (phi[ri + k]! - phi[rj + k]!);
  }
  const G = new Float64Array(m * m);
  for (let a = 0; a < m; a++) {
    for (let b = 0; b <= a; b++) {
      let t = 0;
      for (let k = 0; k < d; k++) t += S[a * d + k]! * S[b * d + k]!;
      G[a * m + b] = t;
      G[b * m + a] = t;
    }
    G[a * m + a] += ridge;
  }
  const z = new Float64Array(m);
  for (let p = 0; p < m; p++) {
    let t = 0;
    for (let k = 0; k < d; k++) t += S[p * d + k]! * g[k]!;
    z[p] = t;
  }
  solveSpd(G, m, z);
  step.set(g);
  for (let p = 0; p < m; p++) {
    const zp = z[p]!;
    for (let k = 0; k < d; k++) step[k] -= zp * S[p * d + k]!;
  }
  for (let k = 0; k < d; k++) step[k] /= ridge;
}

function norm(v: Float64Array): number {
  let s = 0;
  for (let k = 0; k < v.length; k++) s += v[k]! * v[k]!;
  return Math.sqrt(s);
}

function validate(opts: LinearTrainOptions): void {
  const { features, dim, pairs, labels, ridge } = opts;
  if (!Number.isInteger(dim) || dim <= 0) throw new RangeError(`trainLinearHead: dim must be a positive integer (got ${dim})`);
  if (features.length % dim !== 0) throw new RangeError(`trainLinearHead: features.length (${features.length}) must be a multiple of dim (${dim})`);
  if (!(pairs instanceof Int32Array) || pairs.length % 2 !== 0) throw new RangeError('trainLinearHead: pairs must be an Int32Array of i, j interleaved (even length)');
  if (labels.length !== pairs.length / 2) throw new RangeError(`trainLinearHead: labels has ${labels.length} entries, pairs has ${pairs.length / 2}; give one label per pair`);
  if (!(ridge > 0) || !Number.isFinite(ridge)) throw new RangeError(`trainLinearHead: ridge must be a finite number > 0 (got ${ridge}); without it separable labels have no optimum`);
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
  if (opts.init && opts.init.length !== dim) throw new RangeError(`trainLinearHead: init has length ${opts.init.length}, expected dim = ${dim}`);
}

/** b ← A⁻¹ b for a symmetric positive-definite A (CholeskyError when it is not: non-finite features). */
function solveSpd(A: Float64Array, d: number, b: Float64Array): void {
  const { factor } = cholesky(A, d);
  forwardSolve(factor, d, b);
  backSolve(factor, d, b);
}
