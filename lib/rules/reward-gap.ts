/** Baselines on the reward gap |r_i − r_j|: entropy (most uncertain = smallest gap) and maxdiff. */
import type { RuleContext, RuleResult } from './context.js';
import { bottomK, gather, topK } from '../math/top-k.js';

export function rewardGaps(rewards: Float64Array, pool: Int32Array): Float64Array {
  const m = pool.length >> 1;
  const gaps = new Float64Array(m);
  for (let p = 0; p < m; p++) gaps[p] = Math.abs(rewards[pool[2 * p]!]! - rewards[pool[2 * p + 1]!]!);
  return gaps;
}

export function entropyRule(ctx: RuleContext): RuleResult {
  const gaps = rewardGaps(ctx.rewards, ctx.pool);
  const positions = bottomK(gaps, ctx.k);
  return { positions, scores: gather(gaps, positions) };
}

export function maxdiffRule(ctx: RuleContext): RuleResult {
  const gaps = rewardGaps(ctx.rewards, ctx.pool);
  const positions = topK(gaps, ctx.k);
  return { positions, scores: gather(gaps, positions) };
}
