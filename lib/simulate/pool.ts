/**
 * The candidate pool of one round, in dataset rows. Drawn from (seed, round) only — never from the
 * rule or its past picks — so every rule chooses from the same candidates in the same round.
 * Already-labeled pairs stay in; selectPairs drops them because it receives them as `past`.
 */
import { Rng } from '../math/rng.js';
import type { Dataset } from '../datasets/types.js';
import type { PoolKind } from '../types.js';
import { mixSeed, PURPOSE } from './seeds.js';
import { sampleWithout } from './split.js';

export interface PoolOptions {
  kind: PoolKind;
  /** Prompts (or labeled pairs) drawn per round. */
  units: number;
  /** Cross-prompt pairs sampled per round for `cross`/`all` (default: as many as `within` has). */
  crossSample?: number;
}

export interface RoundPool {
  /** Dataset rows of the drawn responses. */
  rows: Int32Array;
  /** Candidate pairs as dataset rows, i < j. */
  pairs: Int32Array;
}

export function drawPool(data: Dataset, trainUnits: Int32Array, opts: PoolOptions, seed: number, round: number): RoundPool {
  const rng = new Rng(mixSeed(seed, PURPOSE.pool, round));
  const units = sampleWithout(trainUnits, opts.units, rng).sort((a, b) => a - b);
  if (data.kind === 'pairs') {
    // Only the labeled pairs themselves have a label: the pool is exactly those.
    const rows = new Int32Array(2 * units.length);
    units.forEach((u, t) => {
      rows[2 * t] = 2 * u;
      rows[2 * t + 1] = 2 * u + 1;
    });
    return { rows, pairs: rows.slice() };
  }
  const R = data.responses;
  const rows = new Int32Array(units.length * R);
  units.forEach((u, t) => {
    for (let r = 0; r < R; r++) rows[t * R + r] = u * R + r;
  });
  const out: number[] = [];
  if (opts.kind !== 'cross') {
    for (const u of units) for (let a = 0; a < R; a++) for (let b = a + 1; b < R; b++) out.push(u * R + a, u * R + b);
  }
  if (opts.kind !== 'within') {
    const want = opts.crossSample ?? (units.length * R * (R - 1)) / 2;
    const total = (rows.length * (rows.length - 1)) / 2 - (units.length * R * (R - 1)) / 2;
    if (want > total) throw new RangeError(`crossSample (${want}) exceeds the ${total} cross-prompt pairs of a round; lower it or draw more prompts per round`);
    const seen = new Set<number>();
    const n = data.prompts * R;
    while (seen.size < want) {
      const x = rows[rng.int(rows.length)]!;
      const y = rows[rng.int(rows.length)]!;
      if (Math.floor(x / R) === Math.floor(y / R)) continue;
      const i = Math.min(x, y);
      const j = Math.max(x, y);
      const key = i * n + j;
      if (seen.has(key)) continue;
      seen.add(key);
      out.push(i, j);
    }
  }
  return { rows, pairs: Int32Array.from(out) };
}
