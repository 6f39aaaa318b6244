/**
 * Sequential D-optimal design: pick argmax λ vᵀM⁻¹v, add it to M by a rank-1 update, repeat.
 * `past-greedy-dopt` starts from M = τI + Σ_past λ v vᵀ, `greedy-dopt` from τI. The backend forms,
 * factors and selects in one call.
 */
import type { RuleContext, RuleResult } from './context.js';
import type { PastTerm } from '../backends/interface.js';

/** The labeled pairs' term of M when the rule is past-aware, else none. */
export function pastTerm(ctx: Pick<RuleContext, 'past' | 'pastLambdas'>, pastAware: boolean): PastTerm | undefined {
  return pastAware ? { pairs: ctx.past.pairs, lambdas: ctx.pastLambdas } : undefined;
}

/** M₀ = τI (+ Σ_past λ v vᵀ): where greedy starts, and what the bookkeeping of the other rules adds their picks to. */
export function startMatrix(ctx: RuleContext, pastAware: boolean): Promise<Float64Array> {
  const { responses: r } = ctx;
  const past = pastTerm(ctx, pastAware);
  return ctx.backend.informationMatrix({
    features: r.features, n: r.n, d: r.d, pairs: past?.pairs ?? new Int32Array(0), weights: past?.lambdas ?? new Float64Array(0),
    ridge: ctx.ridge, signal: ctx.signal,
  });
}

export async function greedyDoptRule(ctx: RuleContext, pastAware: boolean): Promise<RuleResult> {
  const { responses: r } = ctx;
  const { picks, quadratic, startLogDet } = await ctx.backend.greedyDesign({
    features: r.features, n: r.n, d: r.d, pairs: ctx.pool, lambdas: ctx.lambdas, k: ctx.k, ridge: ctx.ridge,
    past: pastTerm(ctx, pastAware), lazy: ctx.lazy, signal: ctx.signal, onPicks: ctx.onPicks,
  });
  const scores = new Float64Array(picks.length);
  for (let t = 0; t < picks.length; t++) scores[t] = ctx.lambdas[picks[t]!]! * quadratic[t]!;
  return { positions: picks, scores, quadratic, startLogDet };
}
