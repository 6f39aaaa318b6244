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
const native = backend as Backend & Required<Pick<Backend, 'batchbaldGreedy' | 'batchbaldProbabilities'>>;

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

  it('on a pool large enough for the threaded look-ahead: the same picks and gains as TypeScript', async () => {
    // 5,600 pairs, k = 80: many re-evaluations per step in the sampled regime, so the kernel's
    // parallel look-ahead runs; its answers must still be the serial reference's.
    const p = data(24, 200, 8, 10);
    const opts = { ...p, pool: 'within' as const, method: 'batchbald' as const, k: 80, seed: 5, samples: 24 };
    const a = await selectPairs({ ...opts, backend: 'native' });
    const b = await selectPairs({ ...opts, backend: 'js' });
    expect(Array.from(a.pairs)).toEqual(Array.from(b.pairs));
    for (let t = 0; t < opts.k; t++) expect(Math.abs(a.scores[t]! - b.scores[t]!)).toBeLessThan(1e-9 * Math.max(1, Math.abs(b.scores[t]!)));
  });

  it('concurrent selections (some find the thread pool busy and run serially) agree with a solo one', async () => {
    const p = data(25, 150, 8, 10);
    const opts = { ...p, pool: 'within' as const, method: 'batchbald' as const, k: 60, seed: 6, samples: 16, backend: 'native' as const };
    const solo = await selectPairs(opts);
    const together = await Promise.all([selectPairs(opts), selectPairs(opts), selectPairs(opts)]);
    for (const r of together) {
      expect(Array.from(r.pairs)).toEqual(Array.from(solo.pairs));
      expect(Array.from(r.scores)).toEqual(Array.from(solo.scores));
    }
  });

  it('probabilities: the same bits as the TypeScript arithmetic (float32 and float64 features)', async () => {
    for (const f64 of [false, true]) {
      const rng = new Rng(31);
      const n = 50;
      const d = 7;
      const S = 5;
      const features = f64 ? new Float64Array(n * d) : new Float32Array(n * d);
      for (let e = 0; e < features.length; e++) features[e] = rng.normal() * 3;
      const samples = Float64Array.from({ length: S * d }, () => rng.normal());
      const pairs = new Int32Array([0, 1, 2, 49, 10, 11, 3, 30]);
      const m = pairs.length / 2;
      const { prob, condEntropy } = await native.batchbaldProbabilities({ features, n, d, samples, pairs });
      for (let p = 0; p < m; p++) {
        let h = 0;
        for (let s = 0; s < S; s++) {
          const r = (i: number) => {
            let acc = 0;
            for (let x = 0; x < d; x++) acc += features[i * d + x]! * samples[s * d + x]!;
            return acc;
          };
          const ps = 1 / (1 + Math.exp(-(r(pairs[2 * p]!) - r(pairs[2 * p + 1]!))));
          // exp may differ from V8's by an ulp; the products and sums must not.
          expect(Math.abs(prob[p * S + s]! - ps)).toBeLessThanOrEqual(2 * Number.EPSILON * ps);
          h += -ps * Math.log(ps) - (1 - ps) * Math.log(1 - ps);
        }
        expect(condEntropy[p]!).toBeCloseTo(h / S, 14);
      }
    }
  });

  it('probabilities reject bad arguments naming them', async () => {
    const features = new Float32Array(12);
    await expect(async () => native.batchbaldProbabilities({ features, n: 4, d: 3, samples: new Float64Array(4), pairs: new Int32Array([0, 1]) })).rejects.toThrow(/samples must hold S×d entries/);
    await expect(async () => native.batchbaldProbabilities({ features, n: 4, d: 3, samples: new Float64Array(6), pairs: new Int32Array([0, 9]) })).rejects.toThrow(/pairs/);
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
