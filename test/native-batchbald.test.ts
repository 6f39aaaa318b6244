/**
 * BatchBALD's native lazy greedy (cpp/rules/batchbald.cpp) against the TypeScript reference
 * (lib/rules/batchbald.ts). Runs whenever the addon loads; with ACTIVE_RM_BACKEND=native a missing
 * addon is a failure, otherwise the suite is skipped with the reason printed.
 */
import { describe, expect, it } from 'vitest';
import { hasKernel, type Backend } from '../lib/backends/interface.js';
import { nativeForTests } from './helpers/native-addon.js';
import { Rng } from '../lib/math/rng.js';
import { selectPairs } from '../lib/api/select-pairs.js';

const { skip, backend } = nativeForTests('native batchbald tests');
const native = backend as Backend & Required<Pick<Backend, 'batchbaldGreedy'>>;

function data(seed: number, prompts: number, per: number, d: number) {
  const rng = new Rng(seed);
  const n = prompts * per;
  const features = new Float32Array(n * d);
  for (let e = 0; e < features.length; e++) features[e] = rng.normal();
  const promptIds = Int32Array.from({ length: n }, (_, i) => Math.floor(i / per));
  const head = Float64Array.from({ length: d }, () => rng.normal() * 0.5);
  return { features, dim: d, promptIds, head };
}

describe.skipIf(skip)('native batchbald', () => {
  it('the native backend has the kernel', () => expect(hasKernel(backend, 'batchbaldGreedy')).toBe(true));

  it.each([
    ['exact configurations (k = 5)', 21, 5, undefined],
    ['sampled configurations (k = 40)', 22, 40, undefined],
    ['with labeled past pairs', 23, 12, new Int32Array([0, 1, 10, 12, 20, 21])],
  ] as const)('picks as the TypeScript reference, gains within 1e-9 (%s)', async (_, seed, k, past) => {
    const p = data(seed, 40, 6, 8);
    const opts = { ...p, pool: 'within' as const, method: 'batchbald' as const, k, seed: 3, samples: 16, ...(past ? { past: { pairs: past, labels: new Float64Array(past.length / 2).fill(1) } } : {}) };
    const a = await selectPairs({ ...opts, backend: 'native' });
    const b = await selectPairs({ ...opts, backend: 'js' });
    expect(Array.from(a.pairs)).toEqual(Array.from(b.pairs));
    for (let t = 0; t < k; t++) expect(Math.abs(a.scores[t]! - b.scores[t]!)).toBeLessThan(1e-9 * Math.max(1, Math.abs(b.scores[t]!)));
  });

  const args = () => ({ prob: new Float64Array([0.2, 0.3, 0.9, 0.8, 0.5, 0.5]), condEntropy: new Float64Array([0.5, 0.4, 0.69]), S: 2, k: 2, configurations: 4, uniforms: new Float64Array(12).fill(0.5) });
  it('rejects bad arguments naming them', async () => {
    await expect(async () => native.batchbaldGreedy({ ...args(), prob: new Float64Array([0.2, 1.5, 0.9, 0.8, 0.5, 0.5]) })).rejects.toThrow(/prob entry 1 .* not a probability/);
    await expect(async () => native.batchbaldGreedy({ ...args(), k: 4 })).rejects.toThrow(/k \(4\) is larger than the 3 candidates/);
    await expect(async () => native.batchbaldGreedy({ ...args(), S: 4 })).rejects.toThrow(/prob/);
    await expect(async () => native.batchbaldGreedy({ ...args(), configurations: 1, uniforms: new Float64Array(0) })).rejects.toThrow(/uniforms ran out/);
  });

  it('an aborted signal rejects with an AbortError', async () => {
    const controller = new AbortController();
    controller.abort();
    await expect(native.batchbaldGreedy({ ...args(), signal: controller.signal })).rejects.toMatchObject({ name: 'AbortError' });
  });
});
