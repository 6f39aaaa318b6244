/** The TypeScript backend: the reference semantics, available everywhere. */
import type { Backend, GreedyArgs, InformationArgs, QuadraticArgs } from '../backend.js';
import { informationMatrix } from '../fisher.js';
import { projectedGreedy } from '../greedy.js';
import { cholesky, projectResponses, usedResponses } from '../linalg.js';
import type { FeatureArray } from '../types.js';

/** q_p = ‖y_i − y_j‖² from projected responses. */
export function projectedQuadratic(Y: Float64Array, d: number, pairs: Int32Array): Float64Array {
  const m = pairs.length >> 1;
  const q = new Float64Array(m);
  for (let p = 0; p < m; p++) {
    const oi = pairs[2 * p]! * d;
    const oj = pairs[2 * p + 1]! * d;
    let s = 0;
    for (let x = 0; x < d; x++) {
      const diff = Y[oi + x]! - Y[oj + x]!;
      s += diff * diff;
    }
    q[p] = s;
  }
  return q;
}

function project(features: FeatureArray, n: number, d: number, factor: Float64Array, pairs: Int32Array): Float64Array {
  return projectResponses(features, n, d, factor, usedResponses(n, pairs));
}

export const jsBackend: Backend = {
  name: 'js',
  async informationMatrix(a: InformationArgs) {
    return informationMatrix(a.features, a.n, a.d, a.pairs, a.weights, a.ridge, a.base);
  },
  async cholesky(M: Float64Array, d: number) {
    return cholesky(M, d);
  },
  async quadraticForms(a: QuadraticArgs) {
    return projectedQuadratic(project(a.features, a.n, a.d, a.factor, a.pairs), a.d, a.pairs);
  },
  async greedy(a: GreedyArgs) {
    const Y = project(a.features, a.n, a.d, a.factor, a.pairs);
    const q0 = projectedQuadratic(Y, a.d, a.pairs);
    return projectedGreedy({ Y, n: a.n, d: a.d, pairs: a.pairs, lambdas: a.lambdas, q0, k: a.k, lazy: a.lazy, signal: a.signal });
  },
};
