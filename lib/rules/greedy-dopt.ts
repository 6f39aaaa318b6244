/**
 * Sequential D-optimal design: pick argmax λ vᵀM⁻¹v, add it to M by a rank-1 update, repeat.
 * `past-greedy-dopt` starts from M = τI + Σ_past λ v vᵀ, `greedy-dopt` from τI.
 */
import type { RuleContext, RuleResult } from './context.js';

export async function startMatrix(ctx: RuleContext, pastAware: boolean): Promise<Float64Array> {
  const { responses: r } = ctx;
  const pairs = pastAware ? ctx.past.pairs : new Int32Array(0);
  const weights = pastAware ? ctx.pastLambdas : new Float64Array(0);
  return ctx.backend.informationMatrix({ features: r.features, n: r.n, d: r.d, pairs, weights, ridge: ctx.ridge, signal: ctx.signal });
}

export async function greedyDoptRule(ctx: RuleContext, pastAware: boolean): Promise<RuleResult> {
  const { responses: r, backend } = ctx;
  const { factor, logDet } = await backend.cholesky(await startMatrix(ctx, pastAware), r.d);
  const { picks, quadratic } = await backend.greedy({
    features: r.features, n: r.n, d: r.d, factor, pairs: ctx.pool, lambdas: ctx.lambdas, k: ctx.k, lazy: ctx.lazy, signal: ctx.signal,
  });
  const scores = new Float64Array(picks.length);
  for (let t = 0; t < picks.length; t++) scores[t] = ctx.lambdas[picks[t]!]! * quadratic[t]!;
  return { positions: picks, scores, quadratic, startLogDet: logDet };
}
