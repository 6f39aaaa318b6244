/**
 * Exhaustive pools described instead of listed. A named 'cross' or 'all' pool without sampling is
 * every pair (i, j), i < j, of the kind, less the labeled ones, in lexicographic order: greedy-dopt
 * enumerates it in the kernel (cpp/design/greedy_implicit.h, lib/math/implicit-greedy.ts) with 4
 * bytes of state per pair instead of the ~32 a materialized pool costs. This file decides when
 * that happens, counts the pool, and finds the pairs at given positions (the ridge's scale sample).
 */
import type { Method, PoolKind } from '../types.js';
import { MAX_EXHAUSTIVE_CROSS, type PoolSpec } from './pools.js';
import type { Responses } from './normalize.js';
import { requireInteger } from './validate.js';

/**
 * Exhaustive cross/all pools of at least this many pairs run greedy-dopt implicitly. Below it, the
 * materialized pool is as fast and both give the same picks (measured in docs/native.md).
 */
export const IMPLICIT_POOL_MIN = 2_000_000;

/** Largest n the implicit pool takes: the triangle of bounds must fit one typed array (2³² entries). */
export const MAX_IMPLICIT_RESPONSES = 92_681;

/** IMPLICIT_POOL_MIN, or ACTIVE_RM_IMPLICIT_POOL_MIN (tests and benchmarks force either path with it). */
export function implicitPoolMin(): number {
  const raw = typeof process === 'undefined' ? undefined : process.env.ACTIVE_RM_IMPLICIT_POOL_MIN;
  if (raw === undefined || raw === '') return IMPLICIT_POOL_MIN;
  const v = Number(raw);
  if (!Number.isInteger(v) || v < 0) throw new RangeError(`ACTIVE_RM_IMPLICIT_POOL_MIN must be a non-negative integer; got "${raw}"`);
  return v;
}

export interface ImplicitPool {
  kind: 'cross' | 'all';
  n: number;
  promptOf: Int32Array;
  /** Labeled pairs that are members, i < j, distinct, in position order. */
  excluded: Int32Array;
  /** Pairs in the pool (labeled ones excluded). */
  size: number;
  /** Cross-prompt pairs before exclusions (the materialized pool's limit applies to these). */
  crossCount: number;
}

const GREEDY: ReadonlySet<Method> = new Set(['greedy-dopt', 'past-greedy-dopt']);

/**
 * The implicit pool for this selection, or undefined when the materialized one is used (below
 * implicitPoolMin(), or for plain greedy while the pool can be materialized). Throws for
 * a rule that needs a materialized pool when the exhaustive cross pool is too large to build.
 */
export function implicitPoolFor(r: Responses, spec: PoolSpec, past: Int32Array, method: Method, lazy = true): ImplicitPool | undefined {
  const pool = describeExhaustive(r, spec, past);
  if (!pool) return undefined;
  if (!GREEDY.has(method)) {
    if (pool.crossCount > MAX_EXHAUSTIVE_CROSS) {
      throw new RangeError(
        `method '${method}' needs its candidate pool materialized, and the exhaustive ${pool.kind} pool has ${pool.size} pairs ` +
          `(${pool.crossCount} across prompts; at most ${MAX_EXHAUSTIVE_CROSS} are materialized); pass crossSample to draw a seeded sample, ` +
          "or use method 'greedy-dopt' or 'past-greedy-dopt', which enumerate exhaustive pools without materializing them",
      );
    }
    return undefined;
  }
  // lazy: false asks for plain greedy's pass over every candidate (the benchmarks' baseline): kept
  // wherever the pool can be materialized. The implicit kernel gives the same picks either way.
  if ((pool.size < implicitPoolMin() || !lazy) && pool.crossCount <= MAX_EXHAUSTIVE_CROSS) return undefined;
  if (r.n > MAX_IMPLICIT_RESPONSES) {
    throw new RangeError(
      `the exhaustive ${pool.kind} pool over ${r.n} responses is too large even implicitly (at most ${MAX_IMPLICIT_RESPONSES} responses, ` +
        `4 bytes per pair of the triangle); pass crossSample to draw a seeded sample`,
    );
  }
  return pool;
}

/** A named cross/all pool that is not sampled, counted; undefined for anything else. */
function describeExhaustive(r: Responses, spec: PoolSpec, past: Int32Array): ImplicitPool | undefined {
  const kind = spec.pool;
  if ((kind !== 'cross' && kind !== 'all') || !r.promptOf) return undefined;
  const { n, promptOf } = r;
  const groupSize = new Map<number, number>();
  for (let i = 0; i < n; i++) groupSize.set(promptOf[i]!, (groupSize.get(promptOf[i]!) ?? 0) + 1);
  let within = 0;
  for (const g of groupSize.values()) within += (g * (g - 1)) / 2;
  const crossCount = (n * (n - 1)) / 2 - within;
  if (spec.crossSample !== undefined && requireInteger(spec.crossSample, 'crossSample', 1) < crossCount) return undefined;
  const keys = new Set<number>();
  for (let p = 0; p < past.length; p += 2) {
    const i = past[p]!;
    const j = past[p + 1]!;
    if (i < j && (kind === 'all' || promptOf[i] !== promptOf[j])) keys.add(i * n + j);
  }
  const sorted = Float64Array.from(keys).sort();
  const excluded = new Int32Array(2 * sorted.length);
  sorted.forEach((key, t) => {
    excluded[2 * t] = Math.floor(key / n);
    excluded[2 * t + 1] = key % n;
  });
  const size = (kind === 'cross' ? crossCount : (n * (n - 1)) / 2) - sorted.length;
  return { kind: kind as Exclude<PoolKind, 'within'>, n, promptOf, excluded, size, crossCount };
}

/**
 * The pairs at the given ascending positions of the pool (what indexing the materialized pool
 * would give): a row by binary search over per-row counts, then the member by binary search over
 * "members of row i up to x" = (x − i) − same-prompt responses in (i, x] − excluded in (i, x].
 */
export function implicitPairsAt(pool: ImplicitPool, positions: ArrayLike<number>): Int32Array {
  const { n, promptOf, excluded } = pool;
  const cross = pool.kind === 'cross';
  const members = new Map<number, number[]>(); // each prompt's responses, ascending
  for (let i = 0; i < n; i++) {
    const g = members.get(promptOf[i]!);
    if (g) g.push(i);
    else members.set(promptOf[i]!, [i]);
  }
  const rankInGroup = new Int32Array(n);
  for (const g of members.values()) g.forEach((i, r) => (rankInGroup[i] = r));
  const rowExcludedStart = new Int32Array(n + 1); // excluded pairs of row i: [start[i], start[i+1])
  for (let p = 0; p < excluded.length; p += 2) rowExcludedStart[excluded[p]! + 1]++;
  for (let i = 0; i < n; i++) rowExcludedStart[i + 1] += rowExcludedStart[i]!;
  const rowOffset = new Float64Array(n + 1);
  for (let i = 0; i < n; i++) {
    const same = cross ? members.get(promptOf[i]!)!.length - 1 - rankInGroup[i]! : 0;
    rowOffset[i + 1] = rowOffset[i]! + (n - 1 - i) - same - (rowExcludedStart[i + 1]! - rowExcludedStart[i]!);
  }
  const upTo = (i: number, x: number): number => {
    let count = x - i;
    if (cross) count -= upperBound(members.get(promptOf[i]!)!, x) - (rankInGroup[i]! + 1);
    let lo = rowExcludedStart[i]!;
    let hi = rowExcludedStart[i + 1]!;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (excluded[2 * mid + 1]! <= x) lo = mid + 1;
      else hi = mid;
    }
    return count - (lo - rowExcludedStart[i]!);
  };
  const out = new Int32Array(2 * positions.length);
  for (let t = 0; t < positions.length; t++) {
    const p = positions[t]!;
    if (!(p >= 0 && p < pool.size)) throw new RangeError(`internal error: position ${p} outside the pool of ${pool.size} pairs`);
    let lo = 0;
    let hi = n - 1;
    while (lo < hi) {
      // the last row whose offset is ≤ p
      const mid = (lo + hi + 1) >> 1;
      if (rowOffset[mid]! <= p) lo = mid;
      else hi = mid - 1;
    }
    const i = lo;
    const rank = p - rowOffset[i]! + 1;
    let a = i + 1;
    let b = n - 1;
    while (a < b) {
      const mid = (a + b) >> 1;
      if (upTo(i, mid) >= rank) b = mid;
      else a = mid + 1;
    }
    out[2 * t] = i;
    out[2 * t + 1] = a;
  }
  return out;
}

function upperBound(sorted: number[], x: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (sorted[mid]! <= x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
