/**
 * The TypeScript backend: the reference semantics, available everywhere. Long loops run in
 * chunks that yield to the event loop, so timers keep firing and AbortSignal is honoured.
 */
import type { Backend, GreedyArgs, InformationArgs, QuadraticArgs } from './interface.js';
import { composedDoptScores, composedGreedyDesign, composedImplicitGreedyDesign } from './composed-design.js';
import { InformationAccumulator } from '../math/fisher.js';
import { projectedGreedy } from '../math/greedy.js';
import { cholesky, inverseDiagonal, pairSquaredDistances, projectRows, usedResponses } from '../math/linalg.js';
import type { FeatureArray } from '../types.js';
import { inChunks, Yielder } from '../math/yielder.js';

/** Work units per chunk: about a millisecond of arithmetic each. */
const CHUNK_FLOPS = 1 << 20;
const rowsPerChunk = (d: number, perRow: number): number => Math.max(1, Math.floor(CHUNK_FLOPS / Math.max(1, d * perRow)));

async function project(features: FeatureArray, n: number, d: number, L: Float64Array, pairs: Int32Array, y: Yielder): Promise<Float64Array> {
  const Y = new Float64Array(n * d);
  const used = usedResponses(n, pairs);
  const invDiag = inverseDiagonal(L, d);
  await inChunks(n, rowsPerChunk(d, d / 2), y, (s, e) => projectRows(features, d, L, invDiag, Y, s, e, used));
  return Y;
}

/** q_p = ‖y_i − y_j‖² for every pair, in chunks. */
async function projectedQuadratic(Y: Float64Array, d: number, pairs: Int32Array, y: Yielder): Promise<Float64Array> {
  const q = new Float64Array(pairs.length >> 1);
  await inChunks(q.length, rowsPerChunk(d, 1), y, (s, e) => pairSquaredDistances(Y, d, pairs, q, s, e));
  return q;
}

export const jsBackend: Backend = {
  name: 'js',
  async informationMatrix(a: InformationArgs) {
    const y = new Yielder(a.signal);
    if (a.weights.length === 0) return new InformationAccumulator(new Float64Array(0), 0, a.d).finish(a.ridge, a.base);
    const acc = new InformationAccumulator(a.features, a.n, a.d);
    await inChunks(a.weights.length, rowsPerChunk(a.d, 2), y, (s, e) => acc.addPairs(a.pairs, a.weights, s, e));
    await inChunks(a.n, rowsPerChunk(a.d, a.d / 2), y, (s, e) => acc.addRows(s, e));
    return acc.finish(a.ridge, a.base);
  },
  async cholesky(M: Float64Array, d: number) {
    return cholesky(M, d);
  },
  async quadraticForms(a: QuadraticArgs) {
    const y = new Yielder(a.signal);
    return projectedQuadratic(await project(a.features, a.n, a.d, a.factor, a.pairs, y), a.d, a.pairs, y);
  },
  async greedy(a: GreedyArgs) {
    const y = new Yielder(a.signal);
    const Y = await project(a.features, a.n, a.d, a.factor, a.pairs, y);
    const q0 = await projectedQuadratic(Y, a.d, a.pairs, y);
    return projectedGreedy({ Y, n: a.n, d: a.d, pairs: a.pairs, lambdas: a.lambdas, q0, k: a.k, lazy: a.lazy, signal: a.signal, onPicks: a.onPicks });
  },
  greedyDesign: (a) => composedGreedyDesign(jsBackend, a),
  greedyDesignImplicit: (a) => composedImplicitGreedyDesign(jsBackend, a),
  doptScores: (a) => composedDoptScores(jsBackend, a),
};

