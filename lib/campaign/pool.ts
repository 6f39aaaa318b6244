/** Candidate pairs of a campaign round: a named pool over the store's responses, minus every pair already issued. */
import type { PoolKind } from '../types.js';

/** Key of an issued pair (i < j) in a Set. */
export const pairKey = (i: number, j: number): number => i * 0x100000000 + j;

/** More candidates than this are refused: the explicit pool holds two int32 per pair. */
export const MAX_CAMPAIGN_POOL = 50_000_000;

export function campaignPool(promptOf: Int32Array, kind: PoolKind, issued: ReadonlySet<number>): Int32Array {
  const n = promptOf.length;
  const total = (n * (n - 1)) / 2;
  if (kind !== 'within' && total > MAX_CAMPAIGN_POOL) {
    throw new RangeError(`pool ${kind}: ${total} candidate pairs is more than a campaign enumerates (${MAX_CAMPAIGN_POOL}); use --pool within`);
  }
  const out: number[] = [];
  if (kind === 'within') {
    const groups = new Map<number, number[]>();
    for (let i = 0; i < n; i++) {
      const g = groups.get(promptOf[i]!);
      if (g) g.push(i);
      else groups.set(promptOf[i]!, [i]);
    }
    for (const g of groups.values()) {
      for (let a = 0; a < g.length; a++) for (let b = a + 1; b < g.length; b++) push(out, g[a]!, g[b]!, issued);
    }
  } else {
    for (let i = 0; i < n; i++) {
      for (let j = i + 1; j < n; j++) {
        if (kind === 'cross' && promptOf[i] === promptOf[j]) continue;
        push(out, i, j, issued);
      }
    }
  }
  return Int32Array.from(out);
}

function push(out: number[], i: number, j: number, issued: ReadonlySet<number>): void {
  if (!issued.has(pairKey(i, j))) out.push(i, j);
}
