import { describe, expect, it } from 'vitest';
import { buildPool } from '../lib/problem/pools.js';
import { normalizeResponses } from '../lib/problem/normalize.js';
import { Rng } from '../lib/math/rng.js';
import { pairsOf } from './helpers/problems.js';

function responses(promptIds: number[]) {
  return normalizeResponses({ features: new Float64Array(promptIds.length), dim: 1, promptIds });
}

describe('candidate pools', () => {
  const r = responses([0, 0, 0, 1, 1, 2]);
  const none = new Int32Array(0);

  it('within: all pairs inside each prompt, lexicographic', () => {
    expect(pairsOf(buildPool(r, { pool: 'within', seed: 0 }, none))).toEqual([[0, 1], [0, 2], [1, 2], [3, 4]]);
  });

  it('cross: every pair across prompts; all = within + cross', () => {
    const cross = pairsOf(buildPool(r, { pool: 'cross', seed: 0 }, none));
    expect(cross.length).toBe(15 - 4);
    expect(cross.every(([i, j]) => r.promptOf![i!] !== r.promptOf![j!])).toBe(true);
    expect(buildPool(r, { pool: 'all', seed: 0 }, none).length / 2).toBe(15);
  });

  it('past pairs are never proposed', () => {
    const pool = pairsOf(buildPool(r, { pool: 'all', seed: 0 }, new Int32Array([0, 1, 2, 5])));
    expect(pool.length).toBe(13);
    expect(pool).not.toContainEqual([0, 1]);
    expect(pool).not.toContainEqual([2, 5]);
  });

  it('sampled cross: seeded, distinct, cross-prompt only, sorted', () => {
    const ids = Array.from({ length: 300 }, (_, i) => Math.floor(i / 3));
    const big = responses(ids);
    const a = buildPool(big, { pool: 'cross', crossSample: 500, seed: 9 }, none);
    const b = buildPool(big, { pool: 'cross', crossSample: 500, seed: 9 }, none);
    const c = buildPool(big, { pool: 'cross', crossSample: 500, seed: 10 }, none);
    expect(Array.from(a)).toEqual(Array.from(b));
    expect(Array.from(a)).not.toEqual(Array.from(c));
    const pairs = pairsOf(a);
    expect(new Set(pairs.map(([i, j]) => i! * 300 + j!)).size).toBe(500);
    expect(pairs.every(([i, j]) => i! < j! && ids[i!] !== ids[j!])).toBe(true);
    const keys = pairs.map(([i, j]) => i! * 300 + j!);
    expect(keys).toEqual([...keys].sort((x, y) => x - y));
  });

  it('a sample larger than half the cross pool falls back to enumeration and stays exact in size', () => {
    const small = responses([0, 0, 1, 1, 2]);
    const pool = buildPool(small, { pool: 'cross', crossSample: 7, seed: 1 }, none);
    expect(pool.length / 2).toBe(7);
    expect(buildPool(small, { pool: 'cross', crossSample: 100, seed: 1 }, none).length / 2).toBe(8);
  });

  it('explicit pools keep the caller order, normalize to i < j, drop labeled pairs and refuse duplicates', () => {
    expect(pairsOf(buildPool(r, { pool: [3, 1, 0, 5], seed: 0 }, new Int32Array([0, 5])))).toEqual([[1, 3]]);
    expect(() => buildPool(r, { pool: [1, 3, 3, 1], seed: 0 }, none)).toThrow(/more than once/);
  });
  it('exhaustive pools equal a brute-force walk, with prompts interleaved and past pairs of every kind, repeated or reversed', () => {
    const rng = new Rng(5);
    for (let trial = 0; trial < 20; trial++) {
      const n = 2 + rng.int(40);
      const ids = Array.from({ length: n }, () => rng.int(1 + rng.int(6)));
      // Prompt ids must be dense: renumber by first appearance.
      const dense = new Map<number, number>();
      const promptIds = ids.map((x) => dense.get(x) ?? (dense.set(x, dense.size), dense.size - 1));
      const big = responses(promptIds);
      const past: number[] = [];
      for (let t = rng.int(2 * n); t > 0; t--) {
        const a = rng.int(n);
        const b = (a + 1 + rng.int(n - 1)) % n;
        past.push(...(rng.int(2) ? [a, b] : [Math.min(a, b), Math.max(a, b)]));
        if (rng.int(4) === 0) past.push(past[past.length - 2]!, past[past.length - 1]!);
      }
      const labeled = new Set<number>();
      for (let t = 0; t < past.length; t += 2) labeled.add(past[t]! * n + past[t + 1]!);
      for (const kind of ['within', 'cross', 'all'] as const) {
        const expected: number[][] = [];
        for (let i = 0; i < n; i++) {
          for (let j = i + 1; j < n; j++) {
            const same = promptIds[i] === promptIds[j];
            if ((kind === 'all' || same === (kind === 'within')) && !labeled.has(i * n + j)) expected.push([i, j]);
          }
        }
        expect(pairsOf(buildPool(big, { pool: kind, seed: 0 }, Int32Array.from(past)))).toEqual(expected);
      }
    }
  });

  it('an exhaustive pool with every pair labeled is empty', () => {
    const two = responses([0, 1]);
    expect(buildPool(two, { pool: 'cross', seed: 0 }, new Int32Array([0, 1])).length).toBe(0);
  });
});
