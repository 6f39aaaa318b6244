import { describe, expect, it } from 'vitest';
import { selectPairs } from '../lib/api/select-pairs.js';
import { trainLinearHeadAsync } from '../lib/api/train.js';
import { backendInfo } from '../lib/backends/index.js';
import { Rng } from '../lib/math/rng.js';
import { trainLinearHead } from '../lib/train/linear.js';
import { sigmoid, softplus } from '../lib/train/logistic.js';
import { bruteLogDet } from './helpers/problems.js';
import { randomLabeledPairs } from './helpers/labeled-pairs.js';
import { nativeForTests } from './helpers/native-addon.js';

const { skip: skipNative } = nativeForTests('prior-shape backend comparison');

/**
 * n responses with per-axis scales `scales`, labels from a Bradley–Terry truth w_k = z_k · weightScale(s_k)
 * (z ~ N(0, 1)): weightScale = 1/s puts the reward on every axis equally (the standardized prior
 * is the right one), weightScale = 1 makes it an isotropic draw in the raw features.
 */
function world(seed: number, n: number, scales: number[], m: number, weightScale: (s: number) => number) {
  const rng = new Rng(seed);
  const d = scales.length;
  const features = new Float64Array(n * d);
  for (let t = 0; t < features.length; t++) features[t] = scales[t % d]! * rng.normal();
  const truth = scales.map((s) => rng.normal() * weightScale(s));
  const { pairs, labels } = randomLabeledPairs(rng, n, m, (i, j) => {
    let margin = 0;
    for (let k = 0; k < d; k++) margin += truth[k]! * (features[i * d + k]! - features[j * d + k]!);
    return rng.next() < sigmoid(margin) ? 1 : 0;
  });
  return { features, d, pairs, labels };
}

/** Per-axis root mean square of the pair differences, written out independently of the library. */
function rmsOfDifferences(features: Float64Array, d: number, pairs: Int32Array): number[] {
  const m = pairs.length / 2;
  return Array.from({ length: d }, (_, k) => {
    let s = 0;
    for (let p = 0; p < m; p++) s += (features[pairs[2 * p]! * d + k]! - features[pairs[2 * p + 1]! * d + k]!) ** 2;
    return Math.sqrt(s / m);
  });
}

const rescaled = (features: Float64Array, d: number, by: ArrayLike<number>): Float64Array => features.map((x, t) => x / by[t % d]!);

describe('prior shape: standardized = isotropic on rescaled features', () => {
  const { features, d, pairs, labels } = world(4, 50, [0.05, 1, 30], 90, (s) => 1 / s);
  const s = rmsOfDifferences(features, d, pairs);

  it('has the evidence, loss and margins of the isotropic fit on φ_k / s_k, with w returned in raw units', () => {
    for (const tau of [0.1, 3, 100]) {
      const std = trainLinearHead({ features, dim: d, pairs, labels, ridge: tau, prior: 'standardized', tol: 1e-12 });
      const iso = trainLinearHead({ features: rescaled(features, d, s), dim: d, pairs, labels, ridge: tau, prior: 'isotropic', tol: 1e-12 });
      expect(std.prior).toBe('standardized');
      expect(Array.from(std.priorScale!).map((x, k) => x / s[k]!)).toEqual(s.map(() => expect.closeTo(1, 12)));
      expect(std.logEvidence).toBeCloseTo(iso.logEvidence, 9);
      expect(std.loss).toBeCloseTo(iso.loss, 9);
      for (let k = 0; k < d; k++) expect(std.w[k]! * s[k]!).toBeCloseTo(iso.w[k]!, 8);
    }
  });

  it("is the Laplace evidence of the prior N(0, (τ·diag(s²))⁻¹) on w in raw units (brute-force 2-D integral)", () => {
    const w2 = world(9, 30, [0.2, 5], 80, (x) => 1 / x);
    const s2 = rmsOfDifferences(w2.features, 2, w2.pairs);
    const tau = 2;
    const fit = trainLinearHead({ features: w2.features, dim: 2, pairs: w2.pairs, labels: w2.labels, ridge: tau, prior: 'standardized', tol: 1e-12 });
    const precision = s2.map((x) => tau * x * x);
    // log ∫ p(y|w) N(w; 0, diag(precision)⁻¹) dw over ŵ ± 10 posterior standard deviations per axis.
    const G = 401;
    const half = precision.map((p, k) => 10 / Math.sqrt(p + 0.25 * 80 * s2[k]! ** 2));
    const h = half.map((x) => (2 * x) / (G - 1));
    const logs: number[] = [];
    for (let a = 0; a < G; a++) {
      for (let b = 0; b < G; b++) {
        const w = [fit.w[0]! - half[0]! + a * h[0]!, fit.w[1]! - half[1]! + b * h[1]!];
        let ll = 0;
        for (let p = 0; p < 80; p++) {
          let margin = 0;
          for (let k = 0; k < 2; k++) margin += w[k]! * (w2.features[w2.pairs[2 * p]! * 2 + k]! - w2.features[w2.pairs[2 * p + 1]! * 2 + k]!);
          ll -= softplus(margin) - w2.labels[p]! * margin;
        }
        const logPrior = 0.5 * Math.log(precision[0]! * precision[1]!) - Math.log(2 * Math.PI) - 0.5 * (precision[0]! * w[0]! ** 2 + precision[1]! * w[1]! ** 2);
        logs.push(ll + logPrior);
      }
    }
    const top = logs.reduce((x, y) => Math.max(x, y), -Infinity);
    const brute = top + Math.log(logs.reduce((acc, l) => acc + Math.exp(l - top), 0) * h[0]! * h[1]!);
    expect(Math.abs(fit.logEvidence - brute)).toBeLessThan(0.02);
  });
});

describe("prior 'auto' keeps the shape with the higher evidence", () => {
  const scales = [0.03, 0.1, 0.3, 1, 3, 10, 30];
  for (const [name, weightScale, expected] of [
    ['reward on every axis equally (anisotropic features, weights ∝ 1/scale)', (x: number) => 1 / x, 'standardized'],
    ['an isotropic draw of w in the raw features', () => 0.1, 'isotropic'],
  ] as const) {
    it(`${name} → ${expected}`, () => {
      for (const seed of [1, 2, 3]) {
        const { features, d, pairs, labels } = world(seed, 300, scales, 250, weightScale);
        const auto = trainLinearHead({ features, dim: d, pairs, labels, ridge: 'auto' });
        const byShape = Object.fromEntries((['isotropic', 'standardized'] as const).map((prior) => [prior, trainLinearHead({ features, dim: d, pairs, labels, ridge: 'auto', prior })]));
        const other = expected === 'standardized' ? 'isotropic' : 'standardized';
        expect(auto.prior).toBe(expected);
        expect(byShape[expected]!.logEvidence).toBeGreaterThan(byShape[other]!.logEvidence + 1);
        expect(auto.logEvidence).toBe(byShape[expected]!.logEvidence);
        expect(auto.ridge).toBe(byShape[expected]!.ridge);
      }
    });
  }

  it('a number keeps the isotropic prior unless standardized is asked for', () => {
    const { features, d, pairs, labels } = world(5, 60, scales, 80, (x) => 1 / x);
    const fixed = trainLinearHead({ features, dim: d, pairs, labels, ridge: 2 });
    expect(fixed.prior).toBe('isotropic');
    expect(fixed.priorScale).toBeUndefined();
    expect(trainLinearHead({ features, dim: d, pairs, labels, ridge: 2, prior: 'isotropic' })).toEqual(fixed);
  });

  it('the async trainer chooses the same shape and τ', async () => {
    const { features, d, pairs, labels } = world(6, 200, scales, 150, (x) => 1 / x);
    const sync = trainLinearHead({ features, dim: d, pairs, labels, ridge: 'auto' });
    const asyncFit = await trainLinearHeadAsync({ features, dim: d, pairs, labels, ridge: 'auto', backend: 'js' });
    expect(asyncFit.prior).toBe(sync.prior);
    expect(asyncFit.ridge).toBeCloseTo(sync.ridge, 6);
    expect(asyncFit.logEvidence).toBeCloseTo(sync.logEvidence, 8);
  });

  it('rejects an unknown shape with the accepted ones named', async () => {
    const { features, d, pairs, labels } = world(7, 20, [1, 2], 10, () => 1);
    expect(() => trainLinearHead({ features, dim: d, pairs, labels, ridge: 'auto', prior: 'wide' as never })).toThrow(/prior must be 'auto'.*'isotropic'.*'standardized'.*got "wide"/);
    await expect(selectPairs({ features, dim: d, head: new Float64Array(d), pool: 'all', method: 'greedy-dopt', k: 2, prior: 'diag' as never })).rejects.toThrow(/prior must be 'auto'/);
  });
});

describe(`selectPairs with a prior shape (${backendInfo().active} backend)`, () => {
  const scales = [0.01, 0.1, 1, 10, 100, 3];
  const { features, d, pairs, labels } = world(8, 48, scales, 30, (x) => 1 / x);
  const promptIds = Int32Array.from({ length: 48 }, (_, i) => Math.floor(i / 4));
  const c = [7, 0.01, 3, 1e3, 0.5, 2];

  it('standardized picks do not change when each axis is rescaled (with and without labels); log det M moves by Σ log c²', async () => {
    for (const past of [undefined, { pairs, labels }]) {
      const base = { dim: d, promptIds, pool: 'all' as const, method: 'past-greedy-dopt' as const, k: 6, prior: 'standardized' as const, past };
      const fit = trainLinearHead({ features, dim: d, pairs, labels, ridge: 'auto', prior: 'standardized' });
      const head = past ? fit.w : new Float64Array(d);
      const a = await selectPairs({ ...base, features, head });
      const b = await selectPairs({ ...base, features: features.map((x, t) => x * c[t % d]!), head: head.map((w, k) => w / c[k]!) });
      expect(a.prior).toBe('standardized');
      expect(Array.from(b.pairs)).toEqual(Array.from(a.pairs));
      expect(b.ridge / a.ridge).toBeCloseTo(1, 8);
      expect(b.logDet - a.logDet).toBeCloseTo(c.reduce((acc, x) => acc + 2 * Math.log(x), 0), 6);
    }
  });

  it('the isotropic prior does depend on the axes’ units (so the test above can fail)', async () => {
    const base = { dim: d, promptIds, pool: 'all' as const, method: 'greedy-dopt' as const, k: 6, prior: 'isotropic' as const, head: new Float64Array(d) };
    const a = await selectPairs({ ...base, features });
    const b = await selectPairs({ ...base, features: features.map((x, t) => x * c[t % d]!) });
    expect(Array.from(b.pairs)).not.toEqual(Array.from(a.pairs));
  });

  it('reports log det of τ·diag(s²) + Σ λ v vᵀ over the picks in raw units (brute force)', async () => {
    const fit = trainLinearHead({ features, dim: d, pairs, labels, ridge: 'auto', prior: 'standardized' });
    const sel = await selectPairs({ features, dim: d, promptIds, head: fit.w, pool: 'all', method: 'greedy-dopt', k: 5, prior: 'standardized', past: { pairs, labels } });
    expect(sel.ridge).toBeCloseTo(fit.ridge, 6);
    const s = rmsOfDifferences(features, d, pairs);
    const M = Array.from({ length: d }, (_, a) => Array.from({ length: d }, (_, b) => (a === b ? sel.ridge * s[a]! ** 2 : 0)));
    for (let t = 0; t < sel.pairs.length / 2; t++) {
      const v = Array.from({ length: d }, (_, k) => features[sel.pairs[2 * t]! * d + k]! - features[sel.pairs[2 * t + 1]! * d + k]!);
      const p = sigmoid(v.reduce((acc, x, k) => acc + x * fit.w[k]!, 0));
      for (let a = 0; a < d; a++) for (let b = 0; b < d; b++) M[a]![b]! += p * (1 - p) * v[a]! * v[b]!;
    }
    expect(sel.logDet).toBeCloseTo(bruteLogDet(M), 6);
  });

  it("'auto' reports the evidence's shape and a number alone stays isotropic", async () => {
    const base = { features, dim: d, promptIds, head: new Float64Array(d), pool: 'all' as const, method: 'greedy-dopt' as const, k: 4, past: { pairs, labels } };
    const auto = await selectPairs(base);
    expect(auto.prior).toBe(trainLinearHead({ features, dim: d, pairs, labels, ridge: 'auto' }).prior);
    const fixed = await selectPairs({ ...base, ridge: 3 });
    expect(fixed.prior).toBe('isotropic');
    expect(Array.from((await selectPairs({ ...base, ridge: 3, prior: 'isotropic' })).pairs)).toEqual(Array.from(fixed.pairs));
  });

  it.skipIf(skipNative)('js and native give the same shape, τ and picks', async () => {
    for (const method of ['greedy-dopt', 'past-greedy-dopt', 'dopt', 'batchbald'] as const) {
      const base = { features, dim: d, promptIds, head: new Float64Array(d), pool: 'all' as const, method, k: 6, past: { pairs, labels }, seed: 2 };
      const js = await selectPairs({ ...base, backend: 'js' });
      const native = await selectPairs({ ...base, backend: 'native' });
      expect(native.prior).toBe(js.prior);
      expect(native.ridge).toBeCloseTo(js.ridge, 6);
      expect(Array.from(native.pairs)).toEqual(Array.from(js.pairs));
    }
  });
});
