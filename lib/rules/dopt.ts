/**
 * The paper's D-optimal rules, scored all at once: M = τI + Σ_pool λ v vᵀ (+ Σ_past λ v vᵀ for
 * past-dopt), score_p = λ_p v_pᵀ M⁻¹ v_p = ∂ log det M / ∂ weight_p, top-k. `xtx` is the same with
 * λ ≡ 1 (the OLS design XᵀX).
 */
import type { RuleContext, RuleResult } from './context.js';
import { pastTerm } from './greedy-dopt.js';
import { gather, topK } from '../math/top-k.js';

export async function doptRule(ctx: RuleContext, variant: 'dopt' | 'past-dopt' | 'xtx'): Promise<RuleResult> {
  const scores = await doptScores(ctx, variant);
  const positions = topK(scores.scores, ctx.k);
  return { positions, scores: gather(scores.scores, positions) };
}

export type ScoreContext = Pick<RuleContext, 'responses' | 'pool' | 'lambdas' | 'past' | 'pastLambdas' | 'ridge' | 'backend' | 'signal'>;

/** Every candidate's λ·vᵀM⁻¹v against the variant's matrix: the dopt family's M, or (for the greedy
 * variants) the matrix greedy starts from. One backend call. */
export async function doptScores(
  ctx: ScoreContext,
  variant: 'dopt' | 'past-dopt' | 'xtx' | 'greedy-dopt' | 'past-greedy-dopt',
): Promise<{ weights: Float64Array; quadratic: Float64Array; scores: Float64Array }> {
  const { responses: r, pool } = ctx;
  const weights = variant === 'xtx' ? new Float64Array(ctx.lambdas.length).fill(1) : ctx.lambdas;
  const pastAware = variant === 'past-dopt' || variant === 'past-greedy-dopt';
  const { quadratic } = await ctx.backend.doptScores({
    features: r.features, n: r.n, d: r.d, pairs: pool, weights, ridge: ctx.ridge, past: pastTerm(ctx, pastAware),
    poolInMatrix: variant === 'dopt' || variant === 'past-dopt' || variant === 'xtx', signal: ctx.signal,
  });
  const scores = new Float64Array(quadratic.length);
  for (let p = 0; p < scores.length; p++) scores[p] = weights[p]! * quadratic[p]!;
  return { weights, quadratic, scores };
}
