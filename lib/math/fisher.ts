/** Bradley–Terry Fisher information: rewards, pair weights λ, and information matrices. */
import type { FeatureArray } from '../types.js';

/** r_i = wᵀφ_i for every response (written into `out` when given). */
export function rewards(
  features: ArrayLike<number>,
  n: number,
  d: number,
  w: ArrayLike<number>,
  out: Float64Array = new Float64Array(n),
): Float64Array {
  for (let i = 0; i < n; i++) {
    const o = i * d;
    let s = 0;
    for (let k = 0; k < d; k++) s += features[o + k]! * w[k]!;
    out[i] = s;
  }
  return out;
}

/** λ = σ(x)(1 − σ(x)), written as e/(1+e)² with e = exp(−|x|) so that it never overflows. */
export function bernoulliVariance(x: number): number {
  const e = Math.exp(-Math.abs(x));
  const onePlus = 1 + e;
  return e / (onePlus * onePlus);
}

/**
 * λ_p = σ(r_i − r_j)(1 − σ(r_i − r_j)) for each pair.
 *
 * With e_i = exp(r_i − c), λ = e_i e_j / (e_i + e_j)²: one exp per response instead of one per pair
 * (pools hold millions of pairs over thousands of responses). It agrees with bernoulliVariance to a
 * few ulps, and is closer to exact when r_i − r_j would round. Rewards for which no exact centering
 * keeps every e_i in range (or non-finite ones) take bernoulliVariance per pair.
 */
export function pairLambdas(r: Float64Array, pairs: Int32Array): Float64Array {
  const m = pairs.length >> 1;
  const lambdas = new Float64Array(m);
  // Fewer pairs than responses: n exps would cost more than they save.
  const e = m >= r.length ? scaledExp(r) : undefined;
  if (e) {
    for (let p = 0; p < m; p++) {
      const a = e[pairs[2 * p]!]!;
      const b = e[pairs[2 * p + 1]!]!;
      const s = a + b;
      lambdas[p] = (a * b) / (s * s);
    }
  } else {
    for (let p = 0; p < m; p++) lambdas[p] = bernoulliVariance(r[pairs[2 * p]!]! - r[pairs[2 * p + 1]!]!);
  }
  return lambdas;
}

/**
 * Largest |r − c| for the e_i of pairLambdas: with every e_i in [e^−350, e^350], e_i e_j and
 * (e_i + e_j)² stay normal float64 (e^±700 against the limits e^±708).
 */
const EXP_RANGE = 350;

/**
 * exp(r_i − c) for a centre c that makes every r_i − c exact (0, or by Sterbenz the extreme reward
 * when all rewards share a sign within a factor of 2), or undefined when none keeps them in range.
 * An inexact r_i − c would cost |r_i − c| ulps in λ.
 */
export function scaledExp(r: Float64Array): Float64Array | undefined {
  let lo = Infinity;
  let hi = -Infinity;
  for (let i = 0; i < r.length; i++) {
    const x = r[i]!;
    if (x !== x) return undefined;
    if (x < lo) lo = x;
    if (x > hi) hi = x;
  }
  let c: number;
  if (lo >= -EXP_RANGE && hi <= EXP_RANGE) c = 0;
  else if (!(hi - lo <= EXP_RANGE)) return undefined;
  else if (lo > 0 && hi <= 2 * lo) c = lo;
  else if (hi < 0 && lo >= 2 * hi) c = hi;
  else return undefined;
  const e = new Float64Array(r.length);
  for (let i = 0; i < r.length; i++) e[i] = Math.exp(r[i]! - c);
  return e;
}

/**
 * ridge·I + base + Σ_p w_p v_p v_pᵀ using the pair (graph-Laplacian) structure:
 * Σ_p w_p v_p v_pᵀ = Φᵀ G with G = diag(deg)Φ − WΦ, so m pairs cost O(m d + n d²), not O(m d²).
 */
export function informationMatrix(
  features: FeatureArray,
  n: number,
  d: number,
  pairs: Int32Array,
  weights: Float64Array,
  ridge: number,
  base?: Float64Array,
): Float64Array {
  const acc = new InformationAccumulator(features, n, d);
  acc.addPairs(pairs, weights, 0, weights.length);
  acc.addRows(0, n);
  return acc.finish(ridge, base);
}

/** The two passes of informationMatrix, resumable over ranges so a caller can yield between them. */
export class InformationAccumulator {
  private readonly G: Float64Array;
  private readonly degree: Float64Array;
  private readonly M: Float64Array;
  private readonly phi: Float64Array;
  constructor(
    private readonly features: FeatureArray,
    n: number,
    private readonly d: number,
  ) {
    this.G = new Float64Array(n * d);
    this.degree = new Float64Array(n);
    this.M = new Float64Array(d * d);
    this.phi = new Float64Array(d);
  }

  /** Pass 1 over pairs [start, end): degrees and −WΦ. */
  addPairs(pairs: Int32Array, weights: Float64Array, start: number, end: number): void {
    const { G, degree, features, d } = this;
    for (let p = start; p < end; p++) {
      const i = pairs[2 * p]!;
      const j = pairs[2 * p + 1]!;
      const w = weights[p]!;
      if (w === 0) continue;
      degree[i] += w;
      degree[j] += w;
      const oi = i * d;
      const oj = j * d;
      for (let k = 0; k < d; k++) {
        G[oi + k] -= w * features[oj + k]!;
        G[oj + k] -= w * features[oi + k]!;
      }
    }
  }

  /** Pass 2 over responses [start, end): M += φ_i g_iᵀ (lower triangle), after every pair was added. */
  addRows(start: number, end: number): void {
    const { G, degree, features, d, M, phi } = this;
    for (let i = start; i < end; i++) {
      const deg = degree[i]!;
      if (deg === 0) continue;
      const o = i * d;
      for (let k = 0; k < d; k++) {
        phi[k] = features[o + k]!;
        G[o + k] += deg * phi[k]!;
      }
      // Accumulate the lower triangle only and mirror it: Φᵀ G is symmetric in exact arithmetic,
      // and mirroring makes the result exactly symmetric (and halves the work).
      for (let a = 0; a < d; a++) {
        const fa = phi[a]!;
        if (fa === 0) continue;
        const row = a * d;
        for (let b = 0; b <= a; b++) M[row + b] += fa * G[o + b]!;
      }
    }
  }

  finish(ridge: number, base?: Float64Array): Float64Array {
    const { M, d } = this;
    for (let a = 0; a < d; a++) {
      for (let b = 0; b < a; b++) M[b * d + a] = M[a * d + b]!;
      M[a * d + a] += ridge;
    }
    if (base) for (let t = 0; t < d * d; t++) M[t] += base[t]!;
    return M;
  }
}

/** Fisher information of a set of labeled-or-not pairs about w: Σ_p λ_p v_p v_pᵀ (d×d, no ridge). */
export function fisherMatrix(
  features: FeatureArray,
  n: number,
  d: number,
  pairs: Int32Array,
  w: ArrayLike<number>,
): Float64Array {
  return informationMatrix(features, n, d, pairs, pairLambdas(rewards(features, n, d, w), pairs), 0);
}
