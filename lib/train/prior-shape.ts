/**
 * The shape of the head's Gaussian prior. 'isotropic': w ~ N(0, I/τ) in the caller's coordinates.
 * 'standardized': w ~ N(0, (τ·diag(s²))⁻¹), s the per-axis standard deviation of the response
 * features, i.e. the isotropic prior on features divided by s axis by axis. The isotropic prior
 * shrinks every axis alike, so when the reward lives on low-variance axes it shrinks exactly those
 * (docs/simulate.md, the anisotropic world); the standardized one is blind to per-axis units.
 *
 * Both are computed as the isotropic problem on φ/s: wᵀv = (w⊙s)ᵀ(v/s), so margins, λ, the loss and
 * the Laplace evidence are the same in either coordinate system (the evidence's prior and Hessian
 * terms pick up ±Σ log s² and cancel), and log det M differs by the constant 2 Σ log s. The two
 * shapes' maximized evidences therefore compare directly.
 */
import type { FeatureArray, PriorChoice, PriorShape } from '../types.js';

export type { PriorChoice, PriorShape };
export const PRIOR_SHAPES: readonly PriorShape[] = ['isotropic', 'standardized'];

/**
 * The prior shape before any label exists, when the caller leaves it to the evidence ('auto').
 * Both candidates keep the picks unchanged when φ is multiplied by a constant. Measured
 * (docs/simulate.md, "the prior's shape"): on the embedded world the two give the same final
 * Spearman; on the anisotropic world isotropic first picks reach 0.50 / 0.66 / 0.83 Spearman at
 * 40 / 60 / 100 labels against 0.43 / 0.56 / 0.75 for standardized ones, the same at 200.
 */
export const ZERO_LABEL_PRIOR: PriorShape = 'isotropic';

/**
 * The standardized shape replaces the isotropic one only when its maximized log evidence is larger
 * by more than this many nats, i.e. prior odds of e³ ≈ 20 : 1 for the isotropic prior (Kass and
 * Raftery's "strong evidence"). Measured (docs/simulate.md): with noisy labels on the clustered
 * world the two evidences differ by −2.4 … +0.7 nats and following that noise cost greedy-dopt
 * 0.15 Spearman; on the anisotropic world standardized wins by 14–28 nats at 200 labels.
 */
export const STANDARDIZED_MIN_NATS = 3;

/** An axis whose spread is below this fraction of the largest is treated as constant (s = the
 * largest spread): dividing rounding noise by ~0 would make it the most "informative" axis. */
const FLAT_AXIS = 1e-9;

/** Per-axis standard deviation over the n rows of features (n×d), flat axes mapped as above. */
export function axisScale(features: FeatureArray, d: number): Float64Array {
  const n = features.length / d;
  const mean = new Float64Array(d);
  for (let i = 0; i < n; i++) for (let k = 0; k < d; k++) mean[k] += features[i * d + k]!;
  for (let k = 0; k < d; k++) mean[k] /= Math.max(n, 1);
  const s = new Float64Array(d);
  for (let i = 0; i < n; i++) {
    for (let k = 0; k < d; k++) {
      const c = features[i * d + k]! - mean[k]!;
      s[k] += c * c;
    }
  }
  let top = 0;
  for (let k = 0; k < d; k++) top = Math.max(top, (s[k] = Math.sqrt(s[k]! / Math.max(n, 1))));
  const fill = top > 0 && Number.isFinite(top) ? top : 1;
  for (let k = 0; k < d; k++) if (!(s[k]! > FLAT_AXIS * fill)) s[k] = fill;
  return s;
}

/** φ/s row by row, in the caller's array type (a Float32Array stays one). */
export function divideAxes<T extends FeatureArray>(features: T, s: ArrayLike<number>): T {
  const d = s.length;
  const out = new (features.constructor as new (n: number) => T)(features.length);
  for (let t = 0; t < features.length; t++) out[t] = features[t]! / s[t % d]!;
  return out;
}

/** w⊙s (a head in the caller's coordinates into φ/s coordinates) or w/s (back): same margins. */
export function scaleHead(w: ArrayLike<number>, s: ArrayLike<number>, direction: 'into' | 'back'): Float64Array {
  return Float64Array.from({ length: s.length }, (_, k) => (direction === 'into' ? w[k]! * s[k]! : w[k]! / s[k]!));
}

/** log det of M in the caller's coordinates from log det of M on φ/s: M = S M' S. */
export function logDetShift(s: ArrayLike<number>): number {
  let t = 0;
  for (let k = 0; k < s.length; k++) t += Math.log(s[k]!);
  return 2 * t;
}
