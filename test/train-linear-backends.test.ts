/**
 * trainLinearHeadAsync (Newton systems on a backend) against the synchronous TypeScript reference.
 * The js cases run everywhere. The native cases run whenever the addon loads, under either
 * ACTIVE_RM_BACKEND (they ask for backend 'native' by name); with ACTIVE_RM_BACKEND=native a missing
 * addon is a failure, not a skip, and otherwise they are skipped with the reason printed.
 */
import { describe, expect, it } from 'vitest';
import type { Backend } from '../lib/backends/interface.js';
import { jsBackend } from '../lib/backends/js.js';
import { trainLinearHeadAsync } from '../lib/api/train.js';
import { trainLinearHead, type LinearTrainOptions } from '../lib/train/linear.js';
import { Rng } from '../lib/math/rng.js';
import { randomLabeledPairs } from './helpers/labeled-pairs.js';
import { nativeForTests } from './helpers/native-addon.js';

const { skip: skipNative, backend: nativeBackend } = nativeForTests('native linear-head tests');

/** n responses in d dims; m pairs in either orientation (campaign labels are not sorted). */
function problem(seed: number, n: number, d: number, m: number, noisy: boolean, f32 = false): LinearTrainOptions {
  const rng = new Rng(seed);
  const values = Float64Array.from({ length: n * d }, () => rng.normal());
  const features = f32 ? Float32Array.from(values) : values;
  const truth = Float64Array.from({ length: d }, () => rng.normal());
  const { pairs, labels } = randomLabeledPairs(rng, n, m, (i, j) => {
    let s = 0;
    for (let k = 0; k < d; k++) s += truth[k]! * (features[i * d + k]! - features[j * d + k]!);
    return noisy ? (rng.next() < 1 / (1 + Math.exp(-s)) ? 1 : 0) : s > 0 ? 1 : 0;
  });
  if (noisy) labels[0] = 0.5;
  return { features, dim: d, pairs, labels, ridge: noisy ? 1 : 0.05 };
}

/** max |a − b| over max |b|: entries near zero make an entrywise relative error meaningless. */
function relativeGap(a: Float64Array, b: Float64Array): number {
  let scale = 0;
  let gap = 0;
  for (let t = 0; t < b.length; t++) {
    scale = Math.max(scale, Math.abs(b[t]!));
    gap = Math.max(gap, Math.abs(a[t]! - b[t]!));
  }
  return gap / scale;
}

const cases: [string, LinearTrainOptions][] = [
  // Separable labels with a small ridge: large w, several damped steps before Newton is quadratic.
  ['separable, d×d path', problem(1, 80, 12, 150, false)],
  ['noisy, soft label, float32 features, d×d path', problem(2, 200, 24, 400, true, true)],
  ['noisy, fewer pairs than dims (Woodbury path)', problem(3, 40, 30, 20, true)],
];

/** Aborts `controller` once the wrapped backend has formed `after` information matrices. */
function abortingAfter(inner: Backend, controller: AbortController, after: number): Backend {
  let calls = 0;
  return {
    ...inner,
    async informationMatrix(args) {
      const M = await inner.informationMatrix(args);
      if (++calls === after) controller.abort();
      return M;
    },
  };
}

function backendSuite(name: 'js' | 'native', backend: () => Backend): void {
  for (const [label, opts] of cases) {
    it(`reaches the reference w within 1e-9 with gradient ≈ 0 (${label})`, async () => {
      const ref = trainLinearHead(opts);
      const res = await trainLinearHeadAsync({ ...opts, backend: name });
      expect(ref.converged).toBe(true);
      expect(res.converged).toBe(true);
      expect(res.gradientNorm).toBeLessThan(1e-9);
      expect(relativeGap(res.w, ref.w)).toBeLessThan(1e-9);
      expect(Math.abs(res.loss - ref.loss)).toBeLessThan(1e-12 * Math.abs(ref.loss));
      // Warm start, as a campaign refits: the same optimum.
      const warm = await trainLinearHeadAsync({ ...opts, init: res.w, backend: backend() });
      expect(relativeGap(warm.w, ref.w)).toBeLessThan(1e-9);
    });
  }

  it('rejects with AbortError when aborted before or between Newton steps', async () => {
    const opts = cases[0]![1];
    const before = new AbortController();
    before.abort();
    await expect(trainLinearHeadAsync({ ...opts, backend: name, signal: before.signal })).rejects.toMatchObject({ name: 'AbortError' });
    const during = new AbortController();
    const wrapped = abortingAfter(backend(), during, 1);
    await expect(trainLinearHeadAsync({ ...opts, backend: wrapped, signal: during.signal })).rejects.toMatchObject({ name: 'AbortError' });
  });
}

describe('trainLinearHeadAsync on the js backend', () => {
  backendSuite('js', () => jsBackend);

  it('is the reference bit for bit (same Hessian arithmetic, same iteration)', async () => {
    for (const [, opts] of cases) {
      const ref = trainLinearHead(opts);
      const res = await trainLinearHeadAsync({ ...opts, backend: 'js' });
      expect(res).toEqual(ref);
    }
  });

  it('validates its input as the reference does', async () => {
    const f = new Float64Array(4);
    await expect(trainLinearHeadAsync({ features: f, dim: 2, pairs: new Int32Array([0, 1]), labels: [1], ridge: 0, backend: 'js' })).rejects.toThrow(/ridge must be/);
    await expect(trainLinearHeadAsync({ features: f, dim: 2, pairs: new Int32Array([0, 5]), labels: [1], ridge: 1, backend: 'js' })).rejects.toThrow(/out of range/);
  });
});

describe.skipIf(skipNative)('trainLinearHeadAsync on the native backend', () => {
  backendSuite('native', () => nativeBackend);

  it('is bit-for-bit reproducible', async () => {
    const opts = cases[1]![1];
    const a = await trainLinearHeadAsync({ ...opts, backend: 'native' });
    const b = await trainLinearHeadAsync({ ...opts, backend: 'native' });
    expect(b).toEqual(a);
  });
});
