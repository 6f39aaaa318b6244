/**
 * The fused design calls (greedyDesign, doptScores): one native call per selection, and the same
 * answers, bit for bit, as the kernels called one by one; the same picks as the TypeScript reference.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { composedDoptScores, composedGreedyDesign } from '../lib/backends/composed-design.js';
import { CholeskyError, type PastTerm } from '../lib/backends/interface.js';
import { jsBackend } from '../lib/backends/js.js';
import { selectPairs } from '../lib/api/select-pairs.js';
import { Rng } from '../lib/math/rng.js';
import { nativeForTests } from './helpers/native-addon.js';

const { skip, backend: native, addon } = nativeForTests('native design tests');

function problem(seed: number, n: number, d: number, f32: boolean) {
  const rng = new Rng(seed);
  const features = f32 ? new Float32Array(n * d) : new Float64Array(n * d);
  for (let e = 0; e < features.length; e++) features[e] = rng.normal();
  const list: number[] = [];
  for (let i = 0; i < n; i++) for (let j = i + 1; j < n; j++) if (rng.next() < 0.3) list.push(i, j);
  const pairs = new Int32Array(list);
  const lambdas = Float64Array.from({ length: pairs.length / 2 }, () => 0.05 + 0.2 * rng.next());
  const past: PastTerm = { pairs: new Int32Array([0, 3, 1, 5, 2, 7]), lambdas: new Float64Array([0.2, 0.1, 0.25]) };
  return { features, n, d, pairs, lambdas, past };
}

describe.skipIf(skip)('fused native design calls', () => {
  const calls: string[] = [];
  const originals = new Map<string, unknown>();
  const record = (): void => {
    const exports = addon as unknown as Record<string, unknown>;
    for (const [name, f] of Object.entries(exports)) {
      if (typeof f !== 'function') continue;
      originals.set(name, f);
      exports[name] = (...args: unknown[]) => {
        calls.push(name);
        return (f as (...a: unknown[]) => unknown)(...args);
      };
    }
  };
  afterEach(() => {
    for (const [name, f] of originals) (addon as unknown as Record<string, unknown>)[name] = f;
    originals.clear();
    calls.length = 0;
  });

  it.each(['greedy-dopt', 'past-greedy-dopt'] as const)('a %s selection makes exactly one native call', async (method) => {
    const p = problem(1, 40, 6, true);
    record();
    const s = await selectPairs({
      features: p.features, dim: p.d, promptIds: Int32Array.from({ length: p.n }, (_, i) => i >> 2), head: new Float64Array(p.d).fill(0.3), pool: 'within', k: 5, method,
      past: { pairs: [0, 1, 2, 3], labels: [1, 0] }, backend: 'native',
    });
    expect(s.pairs.length).toBe(10);
    expect(calls).toEqual(['greedyDesign']);
  });

  it('a dopt selection scores the pool in one call (its bookkeeping adds the sequential gains)', async () => {
    const p = problem(2, 40, 6, false);
    record();
    await selectPairs({ features: p.features, dim: p.d, promptIds: Int32Array.from({ length: p.n }, (_, i) => i >> 2), head: new Float64Array(p.d).fill(0.3), pool: 'within', k: 5, method: 'dopt', backend: 'native' });
    expect(calls[0]).toBe('doptScores');
    expect(calls.filter((c) => c === 'doptScores' || c === 'quadraticForms')).toEqual(['doptScores']);
  });

  it.each([
    ['float32, no past, lazy', 3, true, false, true],
    ['float64, past, plain', 4, false, true, false],
    ['float32, past, lazy', 5, true, true, true],
  ] as const)('greedyDesign equals the kernels one by one, bit for bit, and the TypeScript picks (%s)', async (_, seed, f32, withPast, lazy) => {
    const p = problem(seed, 60, 9, f32);
    const args = { ...p, k: 12, ridge: 0.7, lazy, past: withPast ? p.past : undefined };
    const fused = await native.greedyDesign(args);
    const stepwise = await composedGreedyDesign(native, args);
    expect(Array.from(fused.picks)).toEqual(Array.from(stepwise.picks));
    expect(Array.from(fused.quadratic)).toEqual(Array.from(stepwise.quadratic));
    expect(fused.startLogDet).toBe(stepwise.startLogDet);
    const reference = await jsBackend.greedyDesign(args);
    expect(Array.from(fused.picks)).toEqual(Array.from(reference.picks));
    expect(Math.abs(fused.startLogDet - reference.startLogDet)).toBeLessThan(1e-9 * Math.max(1, Math.abs(reference.startLogDet)));
  });

  it.each([
    ['dopt', 6, true, false],
    ['past-dopt', 7, true, true],
    ['greedy start, past', 8, false, true],
    ['greedy start', 9, false, false],
  ] as const)('doptScores equals the kernels one by one, bit for bit, and the TypeScript scores (%s)', async (_, seed, poolInMatrix, withPast) => {
    const p = problem(seed, 50, 7, seed % 2 === 0);
    const args = { ...p, weights: p.lambdas, ridge: 1.3, poolInMatrix, past: withPast ? p.past : undefined };
    const fused = await native.doptScores(args);
    const stepwise = await composedDoptScores(native, args);
    expect(Array.from(fused.quadratic)).toEqual(Array.from(stepwise.quadratic));
    expect(fused.logDet).toBe(stepwise.logDet);
    const reference = await jsBackend.doptScores(args);
    for (let q = 0; q < reference.quadratic.length; q++) {
      expect(Math.abs(fused.quadratic[q]! - reference.quadratic[q]!)).toBeLessThan(1e-9 * reference.quadratic[q]!);
    }
  });

  it('a matrix that is not positive definite rejects with CholeskyError; an aborted signal rejects with AbortError', async () => {
    const p = problem(10, 30, 4, false);
    await expect(native.greedyDesign({ ...p, k: 3, ridge: -1, lazy: true })).rejects.toThrowError(CholeskyError);
    await expect(native.doptScores({ ...p, weights: p.lambdas, ridge: -100, poolInMatrix: true })).rejects.toThrowError(CholeskyError);
    const controller = new AbortController();
    controller.abort();
    await expect(native.greedyDesign({ ...p, k: 3, ridge: 1, lazy: true, signal: controller.signal })).rejects.toMatchObject({ name: 'AbortError' });
  });

  it('past pairs are checked once, under their own name', () => {
    const p = problem(11, 10, 3, false);
    expect(() => addon.greedyDesign(p.features, p.n, p.d, p.pairs, p.lambdas, 2, true, 1, new Int32Array([0, 10]), new Float64Array([1]))).toThrowError(
      /^pastPairs: pair 0 = \(0, 10\) must satisfy 0 <= i < j < n = 10/,
    );
    expect(() => addon.doptScores(p.features, p.n, p.d, p.pairs, p.lambdas, 1, true, new Int32Array([0, 1]), new Float64Array(2))).toThrowError(
      /^pastWeights must have 1 entries, got 2/,
    );
  });
});
