/**
 * selectPairs' onProgress and the backends' onPicks: phases in order, picks that only go up and
 * end at k, a native kernel that really writes its progress slot, errors kept on the caller's side.
 * Runs on the backend ACTIVE_RM_BACKEND names (test:js and test:native run it on both).
 */
import { describe, expect, it } from 'vitest';
import { selectPairs, type Method, type SelectProgress } from '../lib/index.js';
import { resolveBackend } from '../lib/backends/index.js';
import { hasKernel } from '../lib/backends/interface.js';

const P = 40;
const R = 4;
const D = 6;

function features(seed: number): Float64Array {
  const x = new Float64Array(P * R * D);
  for (let t = 0; t < x.length; t++) x[t] = Math.sin(1.3 * t + seed) + 0.2 * Math.cos(0.7 * t * t + seed);
  return x;
}

const base = { features: features(1), dim: D, shape: [P, R, D] as const, head: Float64Array.from({ length: D }, (_, c) => 0.3 * (c - 2)) };

async function events(method: Method, pool: 'within' | 'cross', k: number, lazy = true): Promise<SelectProgress[]> {
  const seen: SelectProgress[] = [];
  await selectPairs({ ...base, pool, method, k, lazy, seed: 3, onProgress: (p) => seen.push({ ...p }) });
  return seen;
}

function checkEvents(seen: SelectProgress[], k: number): void {
  const phases = seen.filter((p) => p.done === 0 && p.phase !== 'select').map((p) => p.phase);
  expect(phases).toEqual(['pool', 'ridge', 'evaluate']);
  const order = seen.map((p) => p.phase).filter((p, i, all) => i === 0 || all[i - 1] !== p);
  expect(order).toEqual(['pool', 'ridge', 'select', 'evaluate']);
  const picks = seen.filter((p) => p.phase === 'select');
  expect(picks[0]).toEqual({ phase: 'select', done: 0, total: k });
  for (let e = 1; e < picks.length; e++) expect(picks[e]!.done).toBeGreaterThanOrEqual(picks[e - 1]!.done);
  expect(picks.at(-1)).toEqual({ phase: 'select', done: k, total: k });
}

describe('selectPairs onProgress', () => {
  it.each([
    ['greedy-dopt', 'within', true],
    ['greedy-dopt', 'within', false],
    ['greedy-dopt', 'cross', true],
    ['past-greedy-dopt', 'cross', true],
    ['batchbald', 'within', true],
    ['dopt', 'within', true],
    ['random', 'cross', true],
    ['coreset', 'within', true],
  ] as const)('%s on %s (lazy %s): phases in order, picks rise to k', async (method, pool, lazy) => {
    checkEvents(await events(method, pool, 12, lazy), 12);
  });

  it('refuses an onProgress that is not a function, naming the option', async () => {
    await expect(selectPairs({ ...base, pool: 'within', method: 'greedy-dopt', k: 3, onProgress: 5 as never })).rejects.toThrow(
      /onProgress must be a function called with \{ phase, done, total \}; got number/,
    );
  });

  it('rejects with the callback\'s own error when it throws (not an uncaught exception)', async () => {
    const boom = new Error('display broke');
    await expect(
      selectPairs({ ...base, pool: 'cross', method: 'greedy-dopt', k: 8, onProgress: (p) => {
        if (p.phase === 'select') throw boom;
      } }),
    ).rejects.toBe(boom);
  });

  it('cancels with progress on', async () => {
    const controller = new AbortController();
    const run = selectPairs({
      ...base, pool: 'cross', method: 'greedy-dopt', k: 20, signal: controller.signal,
      onProgress: (p) => {
        if (p.phase === 'ridge') controller.abort();
      },
    });
    await expect(run).rejects.toMatchObject({ name: 'AbortError' });
  });
});

describe('backend onPicks: the kernels publish the picks they made', () => {
  const x = features(2);
  const n = P * R;
  const pairs: number[] = [];
  for (let i = 0; i < n; i++) for (let j = i + 1; j < n; j++) if (Math.floor(i / R) !== Math.floor(j / R)) pairs.push(i, j);
  const pool = Int32Array.from(pairs);
  const m = pool.length / 2;
  const lambdas = Float64Array.from({ length: m }, (_, p) => 0.05 + 0.2 * Math.abs(Math.sin(p)));

  // lazy true takes the blocked mode here (n·d ≤ 2m), false the plain one; a narrow pool (below) the bucket queue.
  it.each([true, false])('greedyDesign reports k at the end (lazy %s)', async (lazy) => {
    const backend = resolveBackend();
    const seen: number[] = [];
    const r = await backend.greedyDesign({ features: x, n, d: D, pairs: pool, lambdas, k: 25, ridge: 0.5, lazy, onPicks: (t) => seen.push(t) });
    expect(r.picks).toHaveLength(25);
    expect(seen.at(-1)).toBe(25);
    for (let e = 1; e < seen.length; e++) expect(seen[e]!).toBeGreaterThan(seen[e - 1]!);
  });

  it('greedyDesign on a pool where n·d > 2m (the bucket-queue lazy greedy) reports k', async () => {
    const backend = resolveBackend();
    const narrow = pool.subarray(0, 2 * 60);
    const seen: number[] = [];
    await backend.greedyDesign({
      features: x, n, d: D, pairs: narrow, lambdas: lambdas.subarray(0, 60), k: 17, ridge: 0.5, lazy: true, onPicks: (t) => seen.push(t),
    });
    expect(n * D).toBeGreaterThan(2 * 60);
    expect(seen.at(-1)).toBe(17);
  });

  // The TypeScript backend has no such kernel: its rule reports the picks itself (tested above).
  it.runIf(hasKernel(resolveBackend(), 'batchbaldGreedy'))('batchbaldGreedy kernel reports k at the end (backends that have one)', async () => {
    const backend = resolveBackend();
    if (!hasKernel(backend, 'batchbaldGreedy')) throw new Error('unreachable');
    const S = 8;
    const mm = 50;
    const prob = Float64Array.from({ length: mm * S }, (_, e) => 0.5 + 0.45 * Math.sin(3.1 * e));
    const condEntropy = new Float64Array(mm);
    for (let p = 0; p < mm; p++) {
      let h = 0;
      for (let s = 0; s < S; s++) {
        const q = prob[p * S + s]!;
        h += -q * Math.log(q) - (1 - q) * Math.log(1 - q);
      }
      condEntropy[p] = h / S;
    }
    const uniforms = Float64Array.from({ length: 64 * 11 }, (_, e) => (e * 0.618) % 1);
    const seen: number[] = [];
    const r = await backend.batchbaldGreedy({ prob, condEntropy, S, k: 10, configurations: 64, uniforms, onPicks: (t) => seen.push(t) });
    expect(r.positions).toHaveLength(10);
    expect(seen.at(-1)).toBe(10);
  });
});
