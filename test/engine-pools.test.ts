import { describe, expect, it } from 'vitest';
import { buildPool } from '../lib/pools.js';
import { normalizeResponses } from '../lib/problem.js';
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
});
