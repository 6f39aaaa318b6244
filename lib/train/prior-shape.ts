/**
 * The shape of the head's Gaussian prior: isotropic in the raw features, w ~ N(0, I/τ), or
 * isotropic in per-axis standardized features, w ~ N(0, (τ·diag(s²))⁻¹), with s_k the root mean
 * square of the labeled pairs' differences v_k (before any label: of the candidate pool's). The
 * second is a diagonal Zellner g-prior: it does not care about the units of each axis, which
 * matters when the reward lives on axes of small variance (an isotropic prior then shrinks them
 * hardest, and its evidence prefers shrinking everything).
 *
 * A standardized prior is the isotropic one on features φ_k / s_k with weights w_k s_k: margins
 * wᵀv, λ, the labels' likelihood and their evidence log p(y) are unchanged by that change of
 * variables, so the fit, the search over τ and the rules' M run on rescaled features, and the
 * evidences of both shapes compare directly (log det M differs by Σ log s_k², which is added back
 * where log det is reported).
 */
import type { PriorShape } from '../types.js';

export type { PriorShape };
/** A shape, or 'auto': the shape whose (τ-maximized) Laplace evidence of the labels is higher. */
export type PriorChoice = 'auto' | PriorShape;

export const PRIOR_SHAPES: readonly PriorShape[] = ['isotropic', 'standardized'];

/**
 * The shape 'auto' uses before any label, when there is no evidence to compare. Measured on the
 * embedded world and three unseen ones (docs/simulate.md): standardized before the first label
 * changed greedy-dopt's final Spearman by −0.015 to +0.009 (all within noise), so the zero-label
 * picks stay those of the raw features' geometry, as with a fixed τ.
 */
export const ZERO_LABEL_SHAPE: PriorShape = 'isotropic';

/** Per-axis root mean square of the pair differences φ_i − φ_j (an axis constant over the pairs
 * gets 1: no information to scale it by, and the prior leaves it as the isotropic one would). */
export function axisScales(features: ArrayLike<number>, d: number, pairs: ArrayLike<number>): Float64Array {
  const m = pairs.length / 2;
  const s = new Float64Array(d);
  for (let p = 0; p < m; p++) {
    const ri = pairs[2 * p]! * d;
    const rj = pairs[2 * p + 1]! * d;
    for (let k = 0; k < d; k++) {
      const v = features[ri + k]! - features[rj + k]!;
      s[k] += v * v;
    }
  }
  for (let k = 0; k < d; k++) {
    const r = Math.sqrt(s[k]! / Math.max(m, 1));
    s[k] = r > 0 && Number.isFinite(r) ? r : 1;
  }
  return s;
}

/** φ_k / s_k for every row (a new float64 array; the caller's features are never modified). */
export function scaleFeatures(features: ArrayLike<number>, d: number, s: Float64Array): Float64Array {
  const out = new Float64Array(features.length);
  for (let t = 0; t < features.length; t += d) {
    for (let k = 0; k < d; k++) out[t + k] = features[t + k]! / s[k]!;
  }
  return out;
}

/** Σ_k log s_k²: log det M in raw coordinates minus log det M in the standardized ones. */
export function logDetScale(s: Float64Array): number {
  let t = 0;
  for (let k = 0; k < s.length; k++) t += 2 * Math.log(s[k]!);
  return t;
}

export function requirePriorChoice(prior: unknown, name = 'prior'): PriorChoice {
  if (prior === 'auto' || prior === 'isotropic' || prior === 'standardized') return prior;
  throw new TypeError(`${name} must be 'auto' (the labels' evidence chooses), 'isotropic' (N(0, I/τ) in the raw features) or 'standardized' (isotropic in per-axis standardized features); got ${typeof prior === 'string' ? JSON.stringify(prior) : String(prior)}`);
}
