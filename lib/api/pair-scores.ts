/** Building blocks users ask for directly: Fisher matrices and per-pair scores of a pool. */
import { resolveBackend } from '../backends/index.js';
import { fisherMatrix, pairLambdas, rewards as computeRewards } from '../math/fisher.js';
import { buildPool } from '../problem/pools.js';
import { resolveRidge } from '../problem/ridge.js';
import { DEFAULT_SEED, normalizeHead, normalizePairs, normalizePast, normalizeResponses, normalizeRidge } from '../problem/normalize.js';
import { doptScores } from '../rules/dopt.js';
import { startMatrix } from '../rules/greedy-dopt.js';
import type { RuleContext } from '../rules/context.js';
import type { FeatureArray, SelectOptions } from '../types.js';
import { requireFeatureArray, requireInteger } from '../problem/validate.js';

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
  const method = options.method ?? 'dopt';
  if (!['dopt', 'past-dopt', 'xtx', 'greedy-dopt', 'past-greedy-dopt'].includes(method)) {
    throw new TypeError(`method must be one of dopt, past-dopt, xtx, greedy-dopt, past-greedy-dopt; got ${String(method)}`);
  }
  const responses = normalizeResponses(options);
  const head = normalizeHead(options.head, responses.d);
  const ridgeOption = normalizeRidge(options.ridge);
  const seed = options.seed === undefined ? DEFAULT_SEED : requireInteger(options.seed, 'seed', -2147483648, 4294967295);
  const past = normalizePast(options.past, responses.n);
  const backend = resolveBackend(options.backend);
  const pool = buildPool(responses, { pool: options.pool, crossSample: options.crossSample, seed }, past.pairs);
  const { ridge } = await resolveRidge(ridgeOption, responses, pool, past, backend, options.signal);
  const r = computeRewards(responses.features, responses.n, responses.d, head);
  const ctx: RuleContext = {
    responses, head, rewards: r, pool, lambdas: pairLambdas(r, pool), past, pastLambdas: pairLambdas(r, past.pairs),
    ridge, k: 1, seed, backend, lazy: true, samples: 2, signal: options.signal,
  };
  if (method === 'dopt' || method === 'past-dopt' || method === 'xtx') {
    const s = await doptScores(ctx, method);
    return { pairs: pool, lambdas: s.weights, quadratic: s.quadratic, scores: s.scores };
  }
  const { factor } = await backend.cholesky(await startMatrix(ctx, method === 'past-greedy-dopt'), responses.d);
  const quadratic = await backend.quadraticForms({ features: responses.features, n: responses.n, d: responses.d, factor, pairs: pool });
  const scores = new Float64Array(quadratic.length);
  for (let p = 0; p < scores.length; p++) scores[p] = ctx.lambdas[p]! * quadratic[p]!;
  return { pairs: pool, lambdas: ctx.lambdas, quadratic, scores };
}
