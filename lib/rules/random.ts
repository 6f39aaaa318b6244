/** Uniform sampling without replacement (seeded partial Fisher–Yates over pool positions). */
import { Rng } from '../math/rng.js';
import type { RuleContext, RuleResult } from './context.js';

export function randomRule(ctx: RuleContext): RuleResult {
  const m = ctx.lambdas.length;
  const rng = new Rng(ctx.seed);
  // A sparse swap map keeps this O(k) in memory even for pools of millions.
  const swapped = new Map<number, number>();
  const positions = new Int32Array(ctx.k);
  for (let t = 0; t < ctx.k; t++) {
    const s = t + rng.int(m - t);
    const atS = swapped.get(s) ?? s;
    const atT = swapped.get(t) ?? t;
    positions[t] = atS;
    swapped.set(s, atT);
  }
  // Random picks have no ranking; their score is the selection probability k/m.
  return { positions, scores: new Float64Array(ctx.k).fill(ctx.k / m) };
}
