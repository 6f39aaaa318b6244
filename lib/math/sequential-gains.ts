/**
 * log det bookkeeping for a chosen design: each pick's gain log(1 + λ vᵀM_t⁻¹v) when the picks are
 * added in order to a starting matrix with Cholesky factor L₀. The factor is carried along with
 * rank-1 updates (L_{t+1}L_{t+1}ᵀ = L_tL_tᵀ + λ v vᵀ), so each pick costs one triangular solve and
 * one update, O(d²), whatever the pool size, and no response is projected.
 */
import { forwardSolve } from './linalg.js';
import type { FeatureArray } from '../types.js';

/** log det(M + λ v vᵀ) − log det M = log(1 + λ vᵀM⁻¹v), from q = vᵀM⁻¹v (matrix determinant lemma). */
export function logDetGain(lambda: number, q: number): number {
  return Math.log1p(lambda * q);
}

export function sequentialGains(
  features: FeatureArray,
  d: number,
  factor: Float64Array,
  pairs: Int32Array,
  lambdas: Float64Array,
): Float64Array {
  const k = lambdas.length;
  const L = Float64Array.from(factor);
  const v = new Float64Array(d);
  const w = new Float64Array(d);
  const gains = new Float64Array(k);
  for (let t = 0; t < k; t++) {
    const oi = pairs[2 * t]! * d;
    const oj = pairs[2 * t + 1]! * d;
    for (let x = 0; x < d; x++) v[x] = features[oi + x]! - features[oj + x]!;
    w.set(v);
    forwardSolve(L, d, w);
    let q = 0;
    for (let x = 0; x < d; x++) q += w[x]! * w[x]!;
    const lambda = lambdas[t]!;
    gains[t] = logDetGain(lambda, q);
    const root = Math.sqrt(lambda);
    for (let x = 0; x < d; x++) v[x] *= root;
    choleskyRankOneUpdate(L, d, v);
  }
  return gains;
}

/** L ← chol(L Lᵀ + x xᵀ) in place (x is overwritten): the stable rotation-based update. */
export function choleskyRankOneUpdate(L: Float64Array, d: number, x: Float64Array): void {
  for (let k = 0; k < d; k++) {
    const lkk = L[k * d + k]!;
    const xk = x[k]!;
    if (xk === 0) continue;
    const r = Math.hypot(lkk, xk);
    const c = r / lkk;
    const s = xk / lkk;
    L[k * d + k] = r;
    for (let i = k + 1; i < d; i++) {
      const lik = (L[i * d + k]! + s * x[i]!) / c;
      L[i * d + k] = lik;
      x[i] = c * x[i]! - s * lik;
    }
  }
}
