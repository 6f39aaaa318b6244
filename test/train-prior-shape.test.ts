/**
 * The prior's shape (lib/train/prior-shape.ts): the standardized prior is the isotropic one on φ/s,
 * the evidence chooses between them where each is the right model, and the choice reaches the
 * rules unchanged on either backend.
 */
import { describe, expect, it } from 'vitest';
import { selectPairs } from '../lib/api/select-pairs.js';
import { Rng } from '../lib/math/rng.js';
import { trainLinearHead } from '../lib/train/linear.js';
import { trainLinearHeadAsync } from '../lib/api/train.js';
import { axisScale, STANDARDIZED_MIN_NATS } from '../lib/train/prior-shape.js';
import { sigmoid } from '../lib/train/logistic.js';
import { randomLabeledPairs } from './helpers/labeled-pairs.js';
import { nativeForTests } from './helpers/native-addon.js';

const { skip: skipNative } = nativeForTests('prior-shape backend comparison');

/**
 * n responses in d dims with axis scales log-uniform over 3 decades; labels from a Bradley–Terry
 * truth that is either 'standardized' (w_k ∝ 1/scale_k: every axis moves the reward alike, i.e.
 * the reward lives on the low-variance axes as much as on the others) or 'isotropic' (w_k drawn
 * with one spread: the high-variance axes carry the reward).
 */
function anisotropicWorld(seed: number, truth: 'standardized' | 'isotropic', n = 120, d = 8, m = 300) {
  const rng = new Rng(seed);
  const scale = Array.from({ length: d }, (_, k) => 10 ** (-1.5 + (3 * k) / (d - 1)));
  const features = new Float64Array(n * d);
  for (let i = 0; i < n; i++) for (let k = 0; k < d; k++) features[i * d + k] = scale[k]! * rng.normal();
  const w = Array.from({ length: d }, (_, k) => (truth === 'standardized' ? 1.5 / scale[k]! : 0.5) * rng.normal());
  const { pairs, labels } = randomLabeledPairs(rng, n, m, (i, j) => {
    let margin = 0;
    for (let k = 0; k < d; k++) margin += w[k]! * (features[i * d + k]! - features[j * d + k]!);
    return rng.next() < sigmoid(margin) ? 1 : 0;
  });
  return { features, d, pairs, labels, promptIds: Int32Array.from({ length: n }, (_, i) => Math.floor(i / 4)) };
}

describe('prior shape', () => {
  it('standardized evidence, loss and head equal the isotropic ones on explicitly rescaled features', () => {
    const { features, d, pairs, labels } = anisotropicWorld(1, 'standardized');
    const s = axisScale(features, d);
    const rescaled = features.map((x, t) => x / s[t % d]!);
    for (const ridge of [0.5, 'auto'] as const) {
      const std = trainLinearHead({ features, dim: d, pairs, labels, ridge, prior: 'standardized', tol: 1e-12 });
      const iso = trainLinearHead({ features: rescaled, dim: d, pairs, labels, ridge, prior: 'isotropic', tol: 1e-12 });
      expect(std.prior).toBe('standardized');
      expect(std.ridge).toBeCloseTo(iso.ridge, 9);
      expect(std.logEvidence).toBeCloseTo(iso.logEvidence, 8);
      expect(std.loss).toBeCloseTo(iso.loss, 8);
      // w in the caller's coordinates: w_k = w'_k / s_k gives the same margins.
      for (let k = 0; k < d; k++) expect(std.w[k]! * s[k]!).toBeCloseTo(iso.w[k]!, 7);
      expect(Array.from(std.axisScale!)).toEqual(Array.from(s));
    }
  });

  it('keeps the isotropic shape unless the standardized evidence is larger by the margin (pure-noise labels)', () => {
    const { features, d, pairs } = anisotropicWorld(12, 'standardized');
    const rng = new Rng(13);
    const coin = Float64Array.from({ length: pairs.length / 2 }, () => (rng.next() < 0.5 ? 1 : 0));
    const iso = trainLinearHead({ features, dim: d, pairs, labels: coin, ridge: 'auto', prior: 'isotropic' });
    const std = trainLinearHead({ features, dim: d, pairs, labels: coin, ridge: 'auto', prior: 'standardized' });
    const auto = trainLinearHead({ features, dim: d, pairs, labels: coin, ridge: 'auto' });
    expect(Math.abs(std.logEvidence - iso.logEvidence)).toBeLessThan(STANDARDIZED_MIN_NATS);
    expect(auto.prior).toBe('isotropic');
    expect(auto.logEvidence).toBe(iso.logEvidence);
  });

  it('the evidence picks standardized when the reward lives on every axis alike, isotropic when on the wide ones', () => {
    for (const seed of [2, 3, 4]) {
      const a = anisotropicWorld(seed, 'standardized');
      const fitA = trainLinearHead({ features: a.features, dim: a.d, pairs: a.pairs, labels: a.labels, ridge: 'auto' });
      const isoA = trainLinearHead({ features: a.features, dim: a.d, pairs: a.pairs, labels: a.labels, ridge: 'auto', prior: 'isotropic' });
      expect(fitA.prior).toBe('standardized');
      expect(fitA.logEvidence).toBeGreaterThan(isoA.logEvidence + STANDARDIZED_MIN_NATS);

      const b = anisotropicWorld(seed, 'isotropic');
      const fitB = trainLinearHead({ features: b.features, dim: b.d, pairs: b.pairs, labels: b.labels, ridge: 'auto' });
      const stdB = trainLinearHead({ features: b.features, dim: b.d, pairs: b.pairs, labels: b.labels, ridge: 'auto', prior: 'standardized' });
      expect(fitB.prior).toBe('isotropic');
      expect(fitB.axisScale).toBeUndefined();
      expect(fitB.logEvidence).toBeGreaterThan(stdB.logEvidence);
    }
  });

  it('under the standardized prior, scaling each axis by its own factor changes neither τ nor the picks', async () => {
    const { features, d, pairs, labels, promptIds } = anisotropicWorld(5, 'standardized', 60, 6, 24);
    const rng = new Rng(9);
    const c = Array.from({ length: d }, () => 10 ** (4 * rng.next() - 2));
    const stretched = features.map((x, t) => x * c[t % d]!);
    const fit = trainLinearHead({ features, dim: d, pairs, labels, ridge: 'auto', prior: 'standardized' });
    const fitC = trainLinearHead({ features: stretched, dim: d, pairs, labels, ridge: 'auto', prior: 'standardized' });
    expect(fitC.ridge / fit.ridge).toBeCloseTo(1, 6);
    for (let k = 0; k < d; k++) expect((fitC.w[k]! * c[k]!) / fit.w[k]!).toBeCloseTo(1, 5);
    const past = { pairs, labels: Array.from(labels) };
    for (const method of ['greedy-dopt', 'past-greedy-dopt', 'dopt', 'xtx'] as const) {
      const base = { dim: d, promptIds, pool: 'all' as const, method, k: 6, prior: 'standardized' as const, past };
      const a = await selectPairs({ ...base, features, head: fit.w });
      const b = await selectPairs({ ...base, features: stretched, head: fit.w.map((x, k) => x / c[k]!) });
      expect(b.prior).toBe('standardized');
      expect(b.ridge / a.ridge).toBeCloseTo(1, 6);
      expect(b.logDet - a.logDet).toBeCloseTo(2 * c.reduce((s, x) => s + Math.log(x), 0), 6);
      expect(Array.from(b.pairs)).toEqual(Array.from(a.pairs));
    }
    // Before any label too.
    const z = { dim: d, promptIds, pool: 'all' as const, method: 'greedy-dopt' as const, k: 6, prior: 'standardized' as const };
    const z1 = await selectPairs({ ...z, features, head: new Float64Array(d) });
    const z2 = await selectPairs({ ...z, features: stretched, head: new Float64Array(d) });
    expect(Array.from(z2.pairs)).toEqual(Array.from(z1.pairs));
  });

  it("selectPairs' auto shape is the head's: the same τ, shape and picks as forcing them", async () => {
    const { features, d, pairs, labels, promptIds } = anisotropicWorld(6, 'standardized', 80, 8, 120);
    const fit = trainLinearHead({ features, dim: d, pairs, labels, ridge: 'auto' });
    expect(fit.prior).toBe('standardized');
    const base = { features, dim: d, promptIds, head: fit.w, pool: 'all' as const, method: 'past-greedy-dopt' as const, k: 8, past: { pairs, labels: Array.from(labels) } };
    const auto = await selectPairs(base);
    const forced = await selectPairs({ ...base, ridge: fit.ridge, prior: 'standardized', axisScale: fit.axisScale });
    expect(auto.prior).toBe('standardized');
    expect(auto.ridge / fit.ridge).toBeCloseTo(1, 6);
    expect(Array.from(forced.pairs)).toEqual(Array.from(auto.pairs));
    const iso = await selectPairs({ ...base, prior: 'isotropic' });
    expect(iso.prior).toBe('isotropic');
  });

  it.skipIf(skipNative)('js and native choose the same shape, τ and picks', async () => {
    for (const truth of ['standardized', 'isotropic'] as const) {
      const { features, d, pairs, labels, promptIds } = anisotropicWorld(7, truth, 80, 8, 60);
      const js = await trainLinearHeadAsync({ features, dim: d, pairs, labels, ridge: 'auto', backend: 'js' });
      const nat = await trainLinearHeadAsync({ features, dim: d, pairs, labels, ridge: 'auto', backend: 'native' });
      expect(nat.prior).toBe(js.prior);
      expect(nat.ridge / js.ridge).toBeCloseTo(1, 6);
      const base = { features, dim: d, promptIds, head: js.w, pool: 'all' as const, method: 'greedy-dopt' as const, k: 8, past: { pairs, labels: Array.from(labels) } };
      const a = await selectPairs({ ...base, backend: 'js' });
      const b = await selectPairs({ ...base, backend: 'native' });
      expect(b.prior).toBe(a.prior);
      expect(Array.from(b.pairs)).toEqual(Array.from(a.pairs));
    }
  });

  it('rejects bad shapes and scales with messages naming the fix', async () => {
    const { features, d, pairs, labels, promptIds } = anisotropicWorld(8, 'isotropic', 40, 4, 10);
    const base = { features, dim: d, promptIds, head: new Float64Array(d), pool: 'all' as const, method: 'greedy-dopt' as const, k: 2 };
    // @ts-expect-error: not a shape
    await expect(selectPairs({ ...base, prior: 'diagonal' })).rejects.toThrow(/prior must be 'auto', 'isotropic' or 'standardized'/);
    await expect(selectPairs({ ...base, ridge: 2, prior: 'auto' })).rejects.toThrow(/needs ridge 'auto'.*'isotropic' or 'standardized'/);
    await expect(selectPairs({ ...base, prior: 'standardized', axisScale: [1, 2] })).rejects.toThrow(/axisScale must have one entry per feature axis \(dim = 4\)/);
    await expect(selectPairs({ ...base, prior: 'standardized', axisScale: [1, 0, 1, 1] })).rejects.toThrow(/axisScale\[1\] = 0/);
    await expect(selectPairs({ ...base, prior: 'isotropic', axisScale: [1, 1, 1, 1] })).rejects.toThrow(/no use with prior 'isotropic'/);
    expect(() => trainLinearHead({ features, dim: d, pairs, labels, ridge: 1, prior: 'auto' })).toThrow(/needs ridge 'auto'/);
    // A fixed number keeps today's isotropic prior.
    const fixed = await selectPairs({ ...base, ridge: 2 });
    expect(fixed.prior).toBe('isotropic');
    expect(trainLinearHead({ features, dim: d, pairs, labels, ridge: 1 }).prior).toBe('isotropic');
  });
});
