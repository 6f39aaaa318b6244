/**
 * The Newton iteration of the linear head (see linear.ts), written once for both of its drivers.
 *
 * The iteration is a generator: whenever it needs a Newton step it yields the system to solve and
 * resumes once the driver has written the step. The synchronous driver solves in TypeScript; the
 * async one forms and factors the d×d Hessian on a backend. Everything else (objective, gradient,
 * line search, stopping rules) runs here, so both drivers take the same path given the same steps.
 */
import type { FeatureArray } from '../types.js';
import { rewards } from '../math/fisher.js';
import { backSolve, cholesky, forwardSolve } from '../math/linalg.js';
import type { LinearTrainResult } from './linear.js';
import { sigmoid, softplus } from './logistic.js';

/** The training data restricted to the responses that occur in a pair. */
export interface HeadProblem {
  /** Features of the used responses, row-major n×d, in order of first occurrence. */
  phi: Float64Array;
  n: number;
  d: number;
  /** The pairs as rows of phi, i and j interleaved, in the caller's order (label 1 = i preferred). */
  local: Int32Array;
  y: Float64Array;
  ridge: number;
  /** With fewer pairs than dimensions: the pair differences V (m×d) and their Gram VVᵀ (m×m),
   * built once per problem, so each Newton step and evidence costs O(m³ + m d), not O(m² d). */
  pairSpace?: { V: Float64Array; gram: Float64Array };
}

/** Solve H step = grad for H = ridge·I + Σ_p lam_p v_p v_pᵀ (the engine's M at the current w). */
export interface NewtonSystem {
  lam: Float64Array;
  grad: Float64Array;
  step: Float64Array;
}

/**
 * Work only on the responses that occur in a pair: the Hessian then costs O(m d + n_used d²)
 * through the pair Laplacian instead of O(m d²) through per-pair outer products, and a backend
 * is handed (and checks) n_used rows rather than the whole dataset on every Newton step.
 */
export function compactProblem(features: FeatureArray, d: number, pairs: Int32Array, labels: ArrayLike<number>, ridge: number): HeadProblem {
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
  return { phi, n, d, local, y: Float64Array.from(labels), ridge };
}

export function* newtonIterations(prob: HeadProblem, w: Float64Array, maxIter: number, tol: number): Generator<NewtonSystem, Omit<LinearTrainResult, 'prior' | 'axisScale'>, void> {
  const { phi, n, d, local, y, ridge } = prob;
  const m = local.length / 2;
  const r = new Float64Array(n);
  const coef = new Float64Array(n);
  const grad = new Float64Array(d);
  const lam = new Float64Array(m);
  const step = new Float64Array(d);
  const trial = new Float64Array(d);
  const system: NewtonSystem = { lam, grad, step };

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
    if (gradientNorm >= previousNorm && prevSlope <= tinyDecrement(loss)) {
      atFloor = true;
      break;
    }

    yield system;

    // Backtracking (Armijo): full Newton steps are taken near the optimum, so convergence stays
    // quadratic; far from it (e.g. separable data early on) this keeps every step a descent step.
    let slope = 0;
    for (let k = 0; k < d; k++) slope += grad[k]! * step[k]!;
    prevSlope = slope;
    let t = 1;
    let accepted = false;
    // Deep in the quadratic region the full step is right, and what it gains is about to drop
    // below the loss's rounding: Armijo would then accept whichever fraction of the step happens
    // to round to no increase, and the gradient would stall far above its floor.
    if (slope <= tinyDecrement(loss)) {
      for (let k = 0; k < d; k++) w[k] -= step[k]!;
      loss = objective(w);
      accepted = true;
    }
    for (let ls = 0; ls < 60 && !accepted; ls++) {
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
  return { w, iterations, gradientNorm, loss, converged: gradientNorm <= tol || atFloor, ridge, logEvidence: NaN };
}

/** A Newton decrement gᵀH⁻¹g this small puts Newton deep in its quadratic region: the next one,
 * of the order of its square, is far below the loss's rounding (about 1e-16·|loss|). */
const tinyDecrement = (loss: number): number => 1e-10 * (1 + Math.abs(loss));

/**
 * step = H⁻¹ g for H = ridge·I + SᵀS with S = Λ^½ V (m×d), through the m×m system
 * (Woodbury): H⁻¹g = (g − Sᵀ (ridge·I + SSᵀ)⁻¹ S g) / ridge. O(m² d + m³) instead of O(d³): the
 * early rounds of a campaign on 512-d embeddings have far fewer pairs than dimensions.
 */
export function woodburyStep(prob: HeadProblem, sys: NewtonSystem): void {
  const { d, ridge } = prob;
  const { lam, grad: g, step } = sys;
  const m = lam.length;
  const { V, gram } = pairSpace(prob);
  const sq = Float64Array.from(lam, Math.sqrt);
  const G = weightedGram(gram, sq, ridge);
  const z = new Float64Array(m);
  for (let p = 0; p < m; p++) {
    let t = 0;
    for (let k = 0; k < d; k++) t += V[p * d + k]! * g[k]!;
    z[p] = sq[p]! * t;
  }
  solveWithFactor(cholesky(G, m).factor, m, z);
  step.set(g);
  for (let p = 0; p < m; p++) {
    const zp = z[p]! * sq[p]!;
    for (let k = 0; k < d; k++) step[k] -= zp * V[p * d + k]!;
  }
  for (let k = 0; k < d; k++) step[k] /= ridge;
}

/** V and VVᵀ of the problem's pairs, built on first use. */
export function pairSpace(prob: HeadProblem): { V: Float64Array; gram: Float64Array } {
  if (prob.pairSpace) return prob.pairSpace;
  const { phi, d, local } = prob;
  const m = local.length / 2;
  const V = new Float64Array(m * d);
  for (let p = 0; p < m; p++) {
    const ri = local[2 * p]! * d;
    const rj = local[2 * p + 1]! * d;
    for (let k = 0; k < d; k++) V[p * d + k] = phi[ri + k]! - phi[rj + k]!;
  }
  const gram = new Float64Array(m * m);
  for (let a = 0; a < m; a++) {
    for (let b = 0; b <= a; b++) {
      let t = 0;
      for (let k = 0; k < d; k++) t += V[a * d + k]! * V[b * d + k]!;
      gram[a * m + b] = t;
      gram[b * m + a] = t;
    }
  }
  prob.pairSpace = { V, gram };
  return prob.pairSpace;
}

/** τI + SSᵀ for S = diag(sq)·V, from VVᵀ. */
export function weightedGram(gram: Float64Array, sq: Float64Array, ridge: number): Float64Array {
  const m = sq.length;
  const G = new Float64Array(m * m);
  for (let a = 0; a < m; a++) {
    for (let b = 0; b < m; b++) G[a * m + b] = sq[a]! * sq[b]! * gram[a * m + b]!;
    G[a * m + a] += ridge;
  }
  return G;
}

/** b ← (L Lᵀ)⁻¹ b. */
export function solveWithFactor(L: Float64Array, d: number, b: Float64Array): void {
  forwardSolve(L, d, b);
  backSolve(L, d, b);
}

function norm(v: Float64Array): number {
  let s = 0;
  for (let k = 0; k < v.length; k++) s += v[k]! * v[k]!;
  return Math.sqrt(s);
}
