/**
 * log det bookkeeping for a chosen design: each pick's gain log(1 + λ vᵀM_t⁻¹v) when the picks are
 * added in order to a starting matrix. Only the ≤ 2k responses the picks touch are projected, so
 * this costs O(k d² + k² d) whatever the pool size.
 */
import { DowndateState } from './greedy.js';
import { projectResponses } from './linalg.js';
import type { FeatureArray } from './types.js';

export function sequentialGains(
  features: FeatureArray,
  d: number,
  factor: Float64Array,
  pairs: Int32Array,
  lambdas: Float64Array,
): Float64Array {
  const k = lambdas.length;
  // Compact the touched responses so projection and c_t = Y u_t run over 2k rows at most.
  const local = new Map<number, number>();
  const localPairs = new Int32Array(pairs.length);
  for (let t = 0; t < pairs.length; t++) {
    let id = local.get(pairs[t]!);
    if (id === undefined) {
      id = local.size;
      local.set(pairs[t]!, id);
    }
    localPairs[t] = id;
  }
  const rows = local.size;
  const sub = new Float64Array(rows * d);
  for (const [global, id] of local) for (let x = 0; x < d; x++) sub[id * d + x] = features[global * d + x]!;
  const Y = projectResponses(sub, rows, d, factor);
  const state = new DowndateState(Y, d, k);
  const C = new Float64Array(k * rows);
  const gains = new Float64Array(k);
  for (let t = 0; t < k; t++) {
    const a = localPairs[2 * t]!;
    const b = localPairs[2 * t + 1]!;
    let q = 0;
    for (let x = 0; x < d; x++) {
      const diff = Y[a * d + x]! - Y[b * d + x]!;
      q += diff * diff;
    }
    for (let s = 0; s < t; s++) {
      const dc = C[s * rows + a]! - C[s * rows + b]!;
      q -= state.betas[s]! * dc * dc;
    }
    gains[t] = Math.log1p(lambdas[t]! * q);
    state.step(t, a, b, lambdas[t]!, q);
    for (let i = 0; i < rows; i++) C[t * rows + i] = state.dot(t, i);
  }
  return gains;
}
