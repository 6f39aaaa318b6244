/**
 * The paper's D-optimal rules, scored all at once: M = τI + Σ_pool λ v vᵀ (+ Σ_past λ v vᵀ for
 * past-dopt), score_p = λ_p v_pᵀ M⁻¹ v_p = ∂ log det M / ∂ weight_p, top-k. `xtx` is the same with
 * λ ≡ 1 (the OLS design XᵀX).
 */
import type { RuleContext, RuleResult } from './context.js';
import { gather, topK } from '../math/top-k.js';

export async function doptRule(ctx: RuleContext, variant: 'dopt' | 'past-dopt' | 'xtx'): Promise<RuleResult> {
  const scores = await doptScores(ctx, variant);
  const positions = topK(scores.scores, ctx.k);
  return { positions, scores: gather(scores.scores, positions) };
}

export async function doptScores(
  ctx: Omit<RuleContext, 'k' | 'seed' | 'lazy' | 'samples'>,
  variant: 'dopt' | 'past-dopt' | 'xtx',
): Promise<{ weights: Float64Array; quadratic: Float64Array; scores: Float64Array }> {
  const { responses: r, pool, backend } = ctx;
  const weights = variant === 'xtx' ? new Float64Array(ctx.lambdas.length).fill(1) : ctx.lambdas;
  let base: Float64Array | undefined;
  if (variant === 'past-dopt' && ctx.past.pairs.length > 0) {
    base = await backend.informationMatrix({
      features: r.features, n: r.n, d: r.d, pairs: ctx.past.pairs, weights: ctx.pastLambdas, ridge: 0, signal: ctx.signal,
    });
  }
  const M = await backend.informationMatrix({ features: r.features, n: r.n, d: r.d, pairs: pool, weights, ridge: ctx.ridge, base, signal: ctx.signal });
  const { factor } = await backend.cholesky(M, r.d);
  const quadratic = await backend.quadraticForms({ features: r.features, n: r.n, d: r.d, factor, pairs: pool, signal: ctx.signal });
  const scores = new Float64Array(quadratic.length);
  for (let p = 0; p < scores.length; p++) scores[p] = weights[p]! * quadratic[p]!;
  return { weights, quadratic, scores };
}
