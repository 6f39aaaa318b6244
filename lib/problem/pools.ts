/**
 * Candidate pools. Built pools come in lexicographic (i, j) order with i < j, which is also the
 * tie-breaking order of every rule (lower position wins). Pairs already labeled are never proposed.
 */
import { normalizePairs, type Responses } from './normalize.js';
import { Rng } from '../math/rng.js';
import { requireInteger } from './validate.js';
import type { PoolKind } from '../types.js';

/** Largest exhaustive cross-prompt pool built without `crossSample` (about 0.5 GB of bookkeeping). */
export const MAX_EXHAUSTIVE_CROSS = 16_777_216;

export interface PoolSpec {
  pool: unknown;
  crossSample?: unknown;
  seed: number;
}

const pairKey = (i: number, j: number, n: number): number => i * n + j;

export function buildPool(r: Responses, spec: PoolSpec, past: Int32Array): Int32Array {
  const exclude = new Set<number>();
  for (let p = 0; p < past.length; p += 2) exclude.add(pairKey(past[p]!, past[p + 1]!, r.n));
  const { pool } = spec;
  if (typeof pool === 'string') {
    if (pool !== 'within' && pool !== 'cross' && pool !== 'all') {
      throw new TypeError(`pool must be 'within', 'cross', 'all' or explicit pairs (Int32Array of i, j); got "${pool}"`);
    }
    if (!r.promptOf) {
      throw new TypeError(`pool '${pool}' needs prompts: pass promptIds (one per response) or 3-D features with shape`);
    }
    return namedPool(r.n, r.promptOf, pool, spec, exclude);
  }
  if (pool === undefined || pool === null) throw new TypeError("pool is required: 'within', 'cross', 'all' or explicit pairs");
  return explicitPool(normalizePairs(pool, r.n, 'pool'), r.n, exclude);
}

function explicitPool(pairs: Int32Array, n: number, exclude: Set<number>): Int32Array {
  const seen = new Set<number>();
  const keep: number[] = [];
  for (let p = 0; p < pairs.length; p += 2) {
    const key = pairKey(pairs[p]!, pairs[p + 1]!, n);
    if (seen.has(key)) {
      throw new RangeError(`pool: pair (${pairs[p]}, ${pairs[p + 1]}) appears more than once (as (i, j) or (j, i)); remove duplicates`);
    }
    seen.add(key);
    if (!exclude.has(key)) keep.push(p);
  }
  if (keep.length === pairs.length / 2) return pairs;
  const out = new Int32Array(keep.length * 2);
  keep.forEach((p, t) => {
    out[2 * t] = pairs[p]!;
    out[2 * t + 1] = pairs[p + 1]!;
  });
  return out;
}

/** Responses grouped by prompt, each group in increasing index order. */
function groups(promptOf: Int32Array): number[][] {
  const g: number[][] = [];
  for (let i = 0; i < promptOf.length; i++) (g[promptOf[i]!] ??= []).push(i);
  return g;
}

function namedPool(n: number, promptOf: Int32Array, kind: PoolKind, spec: PoolSpec, exclude: Set<number>): Int32Array {
  const byPrompt = groups(promptOf);
  let withinCount = 0;
  for (const g of byPrompt) if (g) withinCount += (g.length * (g.length - 1)) / 2;
  const crossCount = (n * (n - 1)) / 2 - withinCount;
  const sample = spec.crossSample === undefined ? undefined : requireInteger(spec.crossSample, 'crossSample', 1);
  const wantCross = kind !== 'within';
  const sampleCross = wantCross && sample !== undefined && sample < crossCount;
  if (wantCross && !sampleCross && crossCount > MAX_EXHAUSTIVE_CROSS) {
    throw new RangeError(
      `the exhaustive cross-prompt pool has ${crossCount} pairs (limit ${MAX_EXHAUSTIVE_CROSS}); pass crossSample to draw a seeded uniform sample`,
    );
  }
  if (!sampleCross) {
    const size = (kind === 'cross' ? 0 : withinCount) + (wantCross ? crossCount : 0);
    return exhaustivePool(n, promptOf, byPrompt, kind, size, exclude);
  }
  const keys: number[] = [];
  if (kind === 'all') {
    for (const g of byPrompt) {
      if (!g) continue;
      for (let a = 0; a < g.length; a++) for (let b = a + 1; b < g.length; b++) {
        const key = pairKey(g[a]!, g[b]!, n);
        if (!exclude.has(key)) keys.push(key);
      }
    }
  }
  for (const key of sampleCrossKeys(n, promptOf, sample!, crossCount, spec.seed, exclude)) keys.push(key);
  const sorted = Float64Array.from(keys).sort();
  const pairs = new Int32Array(sorted.length * 2);
  for (let t = 0; t < sorted.length; t++) {
    const key = sorted[t]!;
    pairs[2 * t] = Math.floor(key / n);
    pairs[2 * t + 1] = key % n;
  }
  return pairs;
}

/**
 * A seeded uniform sample of distinct cross-prompt pairs (not in `exclude`). Rejection sampling
 * from all unordered pairs while it is cheap; when cross pairs are too rare for that, it
 * enumerates them and takes a partial Fisher–Yates shuffle instead.
 */
function sampleCrossKeys(
  n: number,
  promptOf: Int32Array,
  size: number,
  crossCount: number,
  seed: number,
  exclude: Set<number>,
): number[] {
  const rng = new Rng(seed ^ 0x5eed);
  const chosen = new Set<number>();
  const allPairs = (n * (n - 1)) / 2;
  const expectedTries = (size * allPairs) / Math.max(1, crossCount - exclude.size - size);
  if (expectedTries < 20 * size && size <= crossCount / 2) {
    const maxTries = 50 * size + 1000;
    for (let tries = 0; chosen.size < size && tries < maxTries; tries++) {
      const a = rng.int(n);
      let b = rng.int(n - 1);
      if (b >= a) b++;
      const i = Math.min(a, b);
      const j = Math.max(a, b);
      if (promptOf[i] === promptOf[j]) continue;
      const key = pairKey(i, j, n);
      if (!exclude.has(key)) chosen.add(key);
    }
    if (chosen.size === size) return [...chosen];
  }
  if (crossCount > MAX_EXHAUSTIVE_CROSS) {
    throw new RangeError(`cannot draw ${size} distinct cross-prompt pairs from ${crossCount}; lower crossSample`);
  }
  const all: number[] = [];
  for (let i = 0; i < n; i++) {
    for (let j = i + 1; j < n; j++) {
      if (promptOf[i] !== promptOf[j]) {
        const key = pairKey(i, j, n);
        if (!exclude.has(key)) all.push(key);
      }
    }
  }
  const take = Math.min(size, all.length);
  const fresh = new Rng(seed ^ 0x5eed);
  for (let t = 0; t < take; t++) {
    const s = t + fresh.int(all.length - t);
    const tmp = all[t]!;
    all[t] = all[s]!;
    all[s] = tmp;
  }
  return all.slice(0, take);
}

/**
 * Every pair of the requested kinds, not in `exclude`, in lexicographic order. `size` is the count
 * before exclusions. The array is allocated once at its exact size: pools reach millions of pairs,
 * and a growable buffer would hold up to twice that while it doubles and copies.
 */
function exhaustivePool(
  n: number,
  promptOf: Int32Array,
  byPrompt: number[][],
  kind: PoolKind,
  size: number,
  exclude: Set<number>,
): Int32Array {
  const wantWithin = kind !== 'cross';
  const wantCross = kind !== 'within';
  // Only excluded pairs that the walk would visit shrink the pool (past may hold either kind, and
  // repeats). The walk visits keys in increasing order, so a cursor over the sorted keys replaces a
  // Set lookup per pair.
  const skip: number[] = [];
  for (const key of exclude) {
    const i = Math.floor(key / n);
    const j = key - i * n;
    if (i < j && (promptOf[i] === promptOf[j] ? wantWithin : wantCross)) skip.push(key);
  }
  skip.sort((a, b) => a - b);
  const out = new Int32Array(2 * (size - skip.length));
  let w = 0;
  let s = 0;
  for (let i = 0; i < n; i++) {
    const pi = promptOf[i]!;
    const rowEnd = (i + 1) * n;
    // j of the next excluded pair in row i, or n (never reached) when there is none.
    const nextSkip = (): number => (s < skip.length && skip[s]! < rowEnd ? skip[s]! - i * n : n);
    let skipJ = nextSkip();
    if (!wantCross) {
      for (const j of byPrompt[pi]!) {
        if (j <= i) continue;
        if (j === skipJ) {
          s++;
          skipJ = nextSkip();
          continue;
        }
        out[w++] = i;
        out[w++] = j;
      }
      continue;
    }
    for (let j = i + 1; j < n; j++) {
      if (!wantWithin && promptOf[j] === pi) continue;
      if (j === skipJ) {
        s++;
        skipJ = nextSkip();
        continue;
      }
      out[w++] = i;
      out[w++] = j;
    }
  }
  // A miscount would leave zero pairs (0, 0) at the end or drop pairs silently (typed arrays ignore writes past the end).
  if (w !== out.length) throw new Error(`internal error: pool of ${out.length / 2} pairs expected, ${w / 2} written`);
  return out;
}
