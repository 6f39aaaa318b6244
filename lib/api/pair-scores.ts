/** Building blocks users ask for directly: Fisher matrices and per-pair scores of a pool. */
import { fisherMatrix } from '../math/fisher.js';
import { normalizeHead, normalizePairs, normalizeResponses } from '../problem/normalize.js';
import { doptScores } from '../rules/dopt.js';
import type { FeatureArray, SelectOptions } from '../types.js';
import { requireFeatureArray } from '../problem/validate.js';
import { candidatePool, normalizeProblem, requireOptions, resolvePrior, scoreContext } from './prepare.js';

/**
 * Fisher information Σ_p λ_p v_p v_pᵀ of the pairs (i, j interleaved) about w, as a d×d row-major
 * Float64Array (no ridge). d is w's length; features are row-major n×d.
 */
export function fisherInformation(features: FeatureArray, pairs: Int32Array | ArrayLike<number>, w: ArrayLike<number>): Float64Array {
  const f = requireFeatureArray(features, 'features');
  const d = w?.length;
  if (!d) throw new TypeError('w must be a non-empty array of weights (its length is the feature dimension)');
  const r = normalizeResponses({ features: f, dim: d });
  const head = normalizeHead(w, d);
  return fisherMatrix(r.features, r.n, d, normalizePairs(pairs, r.n, 'pairs'), head);
}

export type ScoreMethod = 'dopt' | 'past-dopt' | 'xtx' | 'greedy-dopt' | 'past-greedy-dopt';

export interface PoolScores {
  /** The pool, i < j interleaved, in the order of the other arrays. */
  pairs: Int32Array;
  /** λ_p (1 for xtx). */
  lambdas: Float64Array;
  /** v_pᵀ M⁻¹ v_p against the method's matrix (first-step matrix for the greedy rules). */
  quadratic: Float64Array;
  /** λ_p · quadratic_p. */
  scores: Float64Array;
}

/** Per-pair scores of a pool against the matrix a D-optimal rule starts from (or, for dopt, the whole pool's). */
export async function pairScores(
  options: Omit<SelectOptions, 'method' | 'k'> & { method?: ScoreMethod },
): Promise<PoolScores> {
  requireOptions(options, 'pairScores');
  const method = options.method ?? 'dopt';
  if (!['dopt', 'past-dopt', 'xtx', 'greedy-dopt', 'past-greedy-dopt'].includes(method)) {
    throw new TypeError(`method must be one of dopt, past-dopt, xtx, greedy-dopt, past-greedy-dopt; got ${String(method)}`);
  }
  const problem = normalizeProblem(options, 'pairScores');
  const pool = candidatePool(problem, options);
  const { resolved, shaped } = await resolvePrior(problem, pool);
  const ctx = scoreContext(shaped, pool, resolved.ridge);
  const s = await doptScores(ctx, method);
  return { pairs: ctx.pool, lambdas: s.weights, quadratic: s.quadratic, scores: s.scores };
}
