/**
 * greedy-dopt and past-greedy-dopt over an implicit exhaustive pool (lib/problem/implicit-pool.ts):
 * the same picks as over the materialized pool, with λ computed per pair from per-response values
 * (as pairLambdas would on the materialized pool) instead of read from an array.
 */
import type { ImplicitGreedyDesignArgs, ImplicitPoolSpec, PickProgress } from '../backends/interface.js';
import type { Problem } from '../api/prepare.js';
import { pairLambdas, rewards as computeRewards, scaledExp } from '../math/fisher.js';
import { implicitLambda } from '../math/implicit-greedy.js';
import type { ImplicitPool } from '../problem/implicit-pool.js';

export interface ImplicitGreedyOutcome {
  /** The picks, i < j interleaved, in pick order. */
  pairs: Int32Array;
  lambdas: Float64Array;
  quadratic: Float64Array;
  scores: Float64Array;
  startLogDet: number;
}

export async function implicitGreedyDoptRule(
  problem: Problem,
  pool: ImplicitPool,
  ridge: number,
  k: number,
  pastAware: boolean,
  onPicks?: PickProgress,
): Promise<ImplicitGreedyOutcome> {
  const { responses: r, backend, past } = problem;
  const rewards = computeRewards(r.features, r.n, r.d, problem.head);
  // pairLambdas takes the per-response exponentials when the pool has at least n pairs: so here.
  const expRewards = pool.size >= r.n ? scaledExp(rewards) : undefined;
  const spec: ImplicitPoolSpec = { kind: pool.kind, promptOf: pool.promptOf, rewards, excluded: pool.excluded, ...(expRewards ? { expRewards } : {}) };
  const args: ImplicitGreedyDesignArgs = {
    features: r.features, n: r.n, d: r.d, pool: spec, k, ridge, signal: problem.signal, ...(onPicks ? { onPicks } : {}),
    ...(pastAware ? { past: { pairs: past.pairs, lambdas: pairLambdas(rewards, past.pairs) } } : {}),
  };
  const result = await backend.greedyDesignImplicit(args);
  const lambdas = new Float64Array(k);
  const scores = new Float64Array(k);
  for (let t = 0; t < k; t++) {
    lambdas[t] = implicitLambda(spec, result.pairs[2 * t]!, result.pairs[2 * t + 1]!);
    scores[t] = lambdas[t]! * result.quadratic[t]!;
  }
  return { pairs: result.pairs, lambdas, quadratic: result.quadratic, scores, startLogDet: result.startLogDet };
}
