/**
 * Implicit exhaustive pools (lib/problem/implicit-pool.ts): greedy-dopt over the pool enumerated in
 * the kernel must give the materialized pool's selection exactly (picks, gains, log det, ridge,
 * pool size) on every backend, with labeled pairs excluded, zero and nonzero heads, exact ties,
 * large-norm clusters and both λ formulas. Either path is forced with ACTIVE_RM_IMPLICIT_POOL_MIN.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { selectPairs } from '../lib/api/select-pairs.js';
import { loadNativeBackend } from '../lib/backends/native.js';
import { projectedGreedy } from '../lib/math/greedy.js';
import { implicitGreedy } from '../lib/math/implicit-greedy.js';
import { pairSquaredDistances } from '../lib/math/linalg.js';
import { Rng } from '../lib/math/rng.js';
import { implicitPairsAt, implicitPoolFor, IMPLICIT_POOL_MIN } from '../lib/problem/implicit-pool.js';
import { normalizeResponses } from '../lib/problem/normalize.js';
import { buildPool, MAX_EXHAUSTIVE_CROSS } from '../lib/problem/pools.js';
import type { SelectOptions } from '../lib/types.js';

const loaded = loadNativeBackend();
const required = process.env.ACTIVE_RM_BACKEND === 'native';
if (!loaded.backend && !required) console.warn(`native half of implicit-pool skipped: the addon did not load (${loaded.info.reason})`);
const backends = loaded.backend || required ? (['js', 'native'] as const) : (['js'] as const);

type Kind = 'iid' | 'zero-head' | 'ties' | 'clustered' | 'huge-head';

function data(kind: Kind, n: number, d: number, perPrompt: number, seed: number): Omit<SelectOptions, 'method' | 'k' | 'pool'> {
  const rng = new Rng(seed);
  const features = new Float64Array(n * d);
  const head = new Float64Array(d);
  let ridge: number | 'auto' = 'auto';
  if (kind === 'ties') {
    const distinct = Array.from({ length: 5 }, () => Array.from({ length: d }, () => Math.round(rng.normal() * 4) / 4));
    for (let i = 0; i < n; i++) for (let c = 0; c < d; c++) features[i * d + c] = distinct[(i * 7) % 5]![c]!;
  } else if (kind === 'clustered') {
    ridge = 1e-3;
    const centres = Array.from({ length: n / perPrompt }, () => Array.from({ length: d }, () => rng.normal() * 15));
    for (let i = 0; i < n; i++) for (let c = 0; c < d; c++) features[i * d + c] = centres[Math.floor(i / perPrompt)]![c]! + rng.normal();
    for (let c = 0; c < d; c++) head[c] = rng.normal() / Math.sqrt(d);
  } else {
    for (let e = 0; e < features.length; e++) features[e] = rng.normal();
    // huge-head: rewards spanning more than 350, so λ takes bernoulliVariance per pair.
    if (kind !== 'zero-head') for (let c = 0; c < d; c++) head[c] = rng.normal() * (kind === 'huge-head' ? 200 : 1);
  }
  const promptIds = new Int32Array(n);
  for (let i = 0; i < n; i++) promptIds[i] = Math.floor(i / perPrompt);
  // Labeled pairs: the lowest positions (which win ties), one within a prompt, one given twice.
  const past = { pairs: new Int32Array([0, perPrompt, 0, perPrompt + 1, 1, 2, 3, n - 1, 3, n - 1, 5, 2 * perPrompt]) };
  return { features, dim: d, promptIds, head, ridge, past };
}

const savedMin = process.env.ACTIVE_RM_IMPLICIT_POOL_MIN;
afterEach(() => {
  if (savedMin === undefined) delete process.env.ACTIVE_RM_IMPLICIT_POOL_MIN;
  else process.env.ACTIVE_RM_IMPLICIT_POOL_MIN = savedMin;
});

async function bothPaths(options: SelectOptions) {
  process.env.ACTIVE_RM_IMPLICIT_POOL_MIN = String(Number.MAX_SAFE_INTEGER);
  const materialized = await selectPairs(options);
  process.env.ACTIVE_RM_IMPLICIT_POOL_MIN = '0';
  const implicit = await selectPairs(options);
  return { materialized, implicit };
}

describe('greedy-dopt over an implicit exhaustive pool', () => {
  const cases: Array<{ kind: Kind; pool: 'cross' | 'all'; method: 'greedy-dopt' | 'past-greedy-dopt'; n: number; d: number; per: number; k: number; standardized?: true }> = [
    { kind: 'iid', pool: 'cross', method: 'greedy-dopt', n: 48, d: 5, per: 3, k: 30 },
    { kind: 'zero-head', pool: 'cross', method: 'greedy-dopt', n: 45, d: 4, per: 5, k: 40 },
    { kind: 'zero-head', pool: 'all', method: 'past-greedy-dopt', n: 40, d: 6, per: 4, k: 25 },
    { kind: 'ties', pool: 'cross', method: 'greedy-dopt', n: 40, d: 3, per: 4, k: 30 },
    { kind: 'clustered', pool: 'cross', method: 'past-greedy-dopt', n: 60, d: 6, per: 6, k: 30 },
    { kind: 'huge-head', pool: 'all', method: 'greedy-dopt', n: 40, d: 4, per: 4, k: 20 },
    // Over 65,536 pairs: the 'auto' ridge's scale sample is strided, read by position from the implicit pool.
    { kind: 'iid', pool: 'cross', method: 'greedy-dopt', n: 380, d: 6, per: 4, k: 40 },
    // Axes two decades apart under the standardized prior: both paths select on φ/s and shift log det back.
    { kind: 'iid', pool: 'all', method: 'greedy-dopt', n: 42, d: 5, per: 3, k: 25, standardized: true },
  ];
  for (const backend of backends) {
    for (const c of cases) {
      it(`gives the materialized pool's selection (${backend}, ${c.kind}, ${c.pool}, ${c.method}, n = ${c.n}${c.standardized ? ', standardized prior' : ''})`, async () => {
        const options: SelectOptions = { ...data(c.kind, c.n, c.d, c.per, c.n + c.d), pool: c.pool, method: c.method, k: c.k, backend };
        if (c.standardized) {
          const x = options.features as Float64Array;
          for (let e = 0; e < x.length; e++) x[e] = x[e]! * 10 ** ((2 * (e % c.d)) / (c.d - 1));
          options.prior = 'standardized';
        }
        const { materialized, implicit } = await bothPaths(options);
        expect(implicit.poolSize).toBe(materialized.poolSize);
        expect(implicit.ridge).toBe(materialized.ridge);
        expect(Array.from(implicit.pairs)).toEqual(Array.from(materialized.pairs));
        expect(Array.from(implicit.gains)).toEqual(Array.from(materialized.gains));
        expect(implicit.logDet).toBe(materialized.logDet);
        expect(implicit.prior).toBe(materialized.prior);
        if (c.standardized) expect(implicit.prior).toBe('standardized');
        // The labeled pairs are never proposed.
        for (let t = 0; t < c.k; t++) expect([implicit.pairs[2 * t], implicit.pairs[2 * t + 1]]).not.toEqual([0, c.per]);
      }, 60_000);
    }
  }

  it('stops when the signal aborts', async () => {
    const controller = new AbortController();
    const options: SelectOptions = { ...data('zero-head', 300, 8, 3, 1), pool: 'cross', method: 'greedy-dopt', k: 200, backend: 'js', signal: controller.signal };
    process.env.ACTIVE_RM_IMPLICIT_POOL_MIN = '0';
    const pending = selectPairs(options);
    setTimeout(() => controller.abort(), 5);
    await expect(pending).rejects.toMatchObject({ name: 'AbortError' });
  });
});

describe('the TypeScript implicit greedy (lib/math/implicit-greedy.ts)', () => {
  it('gives plain greedy on the materialized pool when a tiny head cap raises the edge in every pass', async () => {
    const rng = new Rng(17);
    const n = 70;
    const d = 5;
    const Y = Float64Array.from({ length: n * d }, () => Math.round(rng.normal() * 4) / 4); // coarse: exact ties
    const promptOf = Int32Array.from({ length: n }, (_, i) => Math.floor(i / 4));
    const expRewards = new Float64Array(n).fill(1); // zero head: λ = ¼, flat scores
    const excluded = new Int32Array([0, 4, 1, 9]);
    const list: number[] = [];
    for (let i = 0; i < n; i++) for (let j = i + 1; j < n; j++) if (promptOf[i] !== promptOf[j] && !((i === 0 && j === 4) || (i === 1 && j === 9))) list.push(i, j);
    const pairs = new Int32Array(list);
    const lambdas = new Float64Array(pairs.length / 2).fill(0.25);
    const q0 = pairSquaredDistances(Y, d, pairs, new Float64Array(pairs.length / 2));
    const k = 60;
    const plain = await projectedGreedy({ Y, n, d, pairs, lambdas, q0, k, lazy: false });
    const pool = { kind: 'cross' as const, promptOf, expRewards, rewards: new Float64Array(n), excluded };
    for (const headCap of [2, 7, 1 << 16]) {
      const reported: number[] = [];
      const implicit = await implicitGreedy({ Y, n, d, pool, k, headCap, onPicks: (done) => reported.push(done) });
      // Picks are reported as they are made (for selectPairs' onProgress), in order, up to k.
      expect(reported.length).toBeGreaterThan(k / 2);
      expect(reported.every((x, i) => x <= k && (i === 0 || x > reported[i - 1]!))).toBe(true);
      for (let t = 0; t < k; t++) {
        const p = plain.picks[t]!;
        expect([implicit.pairs[2 * t], implicit.pairs[2 * t + 1]]).toEqual([pairs[2 * p], pairs[2 * p + 1]]);
        expect(Object.is(implicit.quadratic[t], plain.quadratic[t])).toBe(true);
      }
    }
  });
});

describe('the implicit pool policy', () => {
  it('finds the pairs at any position as the materialized pool holds them (cross and all, with exclusions)', () => {
    const { features, dim, promptIds } = data('iid', 37, 2, 3, 5);
    const responses = normalizeResponses({ features, dim, promptIds });
    const labeled = new Int32Array([0, 3, 0, 4, 1, 2, 3, 36, 3, 36, 5, 6]);
    for (const pool of ['cross', 'all'] as const) {
      const materialized = buildPool(responses, { pool, seed: 1 }, labeled);
      process.env.ACTIVE_RM_IMPLICIT_POOL_MIN = '0';
      const implicit = implicitPoolFor(responses, { pool, seed: 1 }, labeled, 'greedy-dopt')!;
      expect(implicit.size).toBe(materialized.length / 2);
      const positions = Array.from({ length: implicit.size }, (_, p) => p);
      expect(Array.from(implicitPairsAt(implicit, positions))).toEqual(Array.from(materialized));
    }
  });

  it('is chosen for greedy-dopt on large exhaustive pools only, and never for sampled or within pools', () => {
    delete process.env.ACTIVE_RM_IMPLICIT_POOL_MIN;
    const n = 2100; // all prompts distinct: n(n−1)/2 ≈ 2.2M cross pairs, above IMPLICIT_POOL_MIN
    const responses = normalizeResponses({ features: new Float64Array(n), dim: 1, promptIds: Int32Array.from({ length: n }, (_, i) => i) });
    const none = new Int32Array(0);
    expect(IMPLICIT_POOL_MIN).toBeLessThan((n * (n - 1)) / 2);
    expect(implicitPoolFor(responses, { pool: 'cross', seed: 1 }, none, 'greedy-dopt')?.size).toBe((n * (n - 1)) / 2);
    expect(implicitPoolFor(responses, { pool: 'cross', seed: 1 }, none, 'dopt')).toBeUndefined();
    expect(implicitPoolFor(responses, { pool: 'cross', crossSample: 1000, seed: 1 }, none, 'greedy-dopt')).toBeUndefined();
    expect(implicitPoolFor(responses, { pool: 'within', seed: 1 }, none, 'greedy-dopt')).toBeUndefined();
  });

  it('refuses a rule that needs a materialized pool above the cap, naming the rule, the size and the fixes', async () => {
    const n = 5800; // ≈ 16.8M cross pairs, just above MAX_EXHAUSTIVE_CROSS
    expect((n * (n - 1)) / 2).toBeGreaterThan(MAX_EXHAUSTIVE_CROSS);
    const options: SelectOptions = {
      features: new Float32Array(n * 2).fill(1), dim: 2, head: new Float64Array(2), promptIds: Int32Array.from({ length: n }, (_, i) => i), pool: 'cross', method: 'dopt', k: 3, backend: 'js',
    };
    await expect(selectPairs(options)).rejects.toThrow(/method 'dopt'.*16817100 pairs.*crossSample.*'greedy-dopt'/);
  });
});
