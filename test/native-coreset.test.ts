/**
 * The coreset rule's native k-means + sensitivities (cpp/rules/coreset.cpp) against the TypeScript
 * reference (lib/rules/coreset.ts). Runs whenever the addon loads; with ACTIVE_RM_BACKEND=native a
 * missing addon is a failure, otherwise the suite is skipped with the reason printed.
 */
import { describe, expect, it } from 'vitest';
import { hasKernel, type Backend } from '../lib/backends/interface.js';
import { nativeForTests } from './helpers/native-addon.js';
import { coresetSensitivities } from '../lib/rules/coreset.js';
import { Rng } from '../lib/math/rng.js';
import { selectPairs } from '../lib/api/select-pairs.js';

const { skip, backend } = nativeForTests('native coreset tests');
const native = backend as Backend & Required<Pick<Backend, 'coresetSensitivities'>>;

function data(seed: number, prompts: number, per: number, d: number, f32: boolean) {
  const rng = new Rng(seed);
  const n = prompts * per;
  const features = f32 ? new Float32Array(n * d) : new Float64Array(n * d);
  for (let e = 0; e < features.length; e++) features[e] = rng.normal();
  const promptIds = Int32Array.from({ length: n }, (_, i) => Math.floor(i / per));
  const list: number[] = [];
  for (let g = 0; g < n; g += per) for (let i = g; i < g + per; i++) for (let j = i + 1; j < g + per; j++) list.push(i, j);
  const head = Float64Array.from({ length: d }, () => rng.normal());
  return { features, n, d, promptIds, pairs: new Int32Array(list), head };
}

describe.skipIf(skip)('native coreset sensitivities', () => {
  it('the native backend has the kernel', () => expect(hasKernel(backend, 'coresetSensitivities')).toBe(true));

  it.each([
    ['float64, K = 10', 11, false, [0, 7, 19, 33, 40, 58, 61, 72, 80, 99]],
    ['float32, K = 3', 12, true, [5, 6, 90]],
    ['one cluster', 13, false, [17]],
  ] as const)('match the TypeScript reference within 1e-12 (%s)', async (_, seed, f32, seedList) => {
    const p = data(seed, 30, 6, 9, f32);
    const seeds = Int32Array.from(seedList);
    const mine = await native.coresetSensitivities({ features: p.features, n: p.n, d: p.d, pairs: p.pairs, seeds, iterations: 25, radius: 1 });
    const ref = coresetSensitivities(p.features, p.n, p.d, p.pairs, seeds, 1);
    expect(mine.length).toBe(ref.length);
    for (let e = 0; e < ref.length; e++) expect(Math.abs(mine[e]! - ref[e]!) / ref[e]!).toBeLessThan(1e-12);
  });

  it('selectPairs picks the same pairs with the coreset rule on both backends', async () => {
    const p = data(14, 80, 8, 16, true);
    const opts = { features: p.features, dim: p.d, promptIds: p.promptIds, head: p.head, pool: 'within' as const, method: 'coreset' as const, k: 40, seed: 5 };
    const a = await selectPairs({ ...opts, backend: 'native' });
    const b = await selectPairs({ ...opts, backend: 'js' });
    expect(Array.from(a.pairs)).toEqual(Array.from(b.pairs));
    for (let t = 0; t < 40; t++) expect(Math.abs(a.scores[t]! - b.scores[t]!) / b.scores[t]!).toBeLessThan(1e-12);
  });

  it('match the reference when K exceeds the distinct pair vectors (empty clusters)', async () => {
    // Two distinct response vectors: every pair vector is 0, u or −u, so most of the 8 seeds collide.
    const d = 5;
    const n = 16;
    const features = new Float64Array(n * d);
    for (let i = 0; i < n; i++) for (let x = 0; x < d; x++) features[i * d + x] = i % 3 === 0 ? x + 1 : -x;
    const list: number[] = [];
    for (let i = 0; i < n; i++) for (let j = i + 1; j < n; j++) list.push(i, j);
    const pairs = new Int32Array(list);
    const seeds = Int32Array.from([0, 1, 2, 3, 4, 5, 15, 30]);
    const mine = await native.coresetSensitivities({ features, n, d, pairs, seeds, iterations: 25, radius: 1 });
    const ref = coresetSensitivities(features, n, d, pairs, seeds, 1);
    for (let e = 0; e < ref.length; e++) expect(Math.abs(mine[e]! - ref[e]!) / ref[e]!).toBeLessThan(1e-12);
  });

  it('a single pair has sensitivity 1 (nothing else in the pool)', async () => {
    const p = data(17, 1, 2, 4, false);
    const mine = await native.coresetSensitivities({ features: p.features, n: p.n, d: p.d, pairs: p.pairs, seeds: Int32Array.of(0), iterations: 25, radius: 1 });
    expect(Array.from(mine)).toEqual([1]);
  });

  it.each([
    ['m = 1, k = 1', 1, 2, 1],
    ['m = 3, k = 3', 1, 3, 3],
    ['m = 12, k = 5 (K = 10 of 12)', 2, 4, 5],
  ] as const)('selectPairs agrees on tiny pools (%s)', async (_, prompts, per, k) => {
    const p = data(18, prompts, per, 3, false);
    const opts = { features: p.features, dim: p.d, promptIds: p.promptIds, head: p.head, pool: 'within' as const, method: 'coreset' as const, k, seed: 9 };
    const a = await selectPairs({ ...opts, backend: 'native' });
    const b = await selectPairs({ ...opts, backend: 'js' });
    expect(Array.from(a.pairs)).toEqual(Array.from(b.pairs));
    for (let t = 0; t < k; t++) expect(Math.abs(a.scores[t]! - b.scores[t]!) / b.scores[t]!).toBeLessThan(1e-12);
  });

  it('is reproducible call to call (each output from one thread in a fixed order)', async () => {
    const p = data(19, 400, 10, 24, true);
    const seeds = Int32Array.from([3, 100, 2000, 5000, 7000, 9000, 11000, 13000, 15000, 17000]);
    const args = { features: p.features, n: p.n, d: p.d, pairs: p.pairs, seeds, iterations: 25, radius: 1 };
    const first = await native.coresetSensitivities(args);
    const second = await native.coresetSensitivities(args);
    expect(Array.from(second)).toEqual(Array.from(first));
    const ref = coresetSensitivities(p.features, p.n, p.d, p.pairs, seeds, 1);
    for (let e = 0; e < ref.length; e++) expect(Math.abs(first[e]! - ref[e]!) / ref[e]!).toBeLessThan(1e-9);
  });

  it('rejects bad arguments naming them', async () => {
    const p = data(15, 4, 4, 3, false);
    const call = (seeds: Int32Array, radius = 1) =>
      native.coresetSensitivities({ features: p.features, n: p.n, d: p.d, pairs: p.pairs, seeds, iterations: 5, radius });
    await expect(async () => call(new Int32Array([0, 0]))).rejects.toThrow(/seeds must be distinct/);
    await expect(async () => call(new Int32Array([0, 999]))).rejects.toThrow(/seed 999 is not a pair position/);
    await expect(async () => call(new Int32Array(0))).rejects.toThrow(/seeds must hold between 1/);
    await expect(async () => call(new Int32Array([1]), 0)).rejects.toThrow(/radius must be > 0/);
  });

  it('an aborted signal rejects with an AbortError', async () => {
    const p = data(16, 1000, 10, 32, true);
    const controller = new AbortController();
    const run = native.coresetSensitivities({ features: p.features, n: p.n, d: p.d, pairs: p.pairs, seeds: Int32Array.from([1, 2, 3]), iterations: 25, radius: 1, signal: controller.signal });
    controller.abort();
    await expect(run).rejects.toMatchObject({ name: 'AbortError' });
  });
});
