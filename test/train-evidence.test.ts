import { describe, expect, it } from 'vitest';
import { trainLinearHead } from '../lib/train/linear.js';
import { trainLinearHeadAsync } from '../lib/api/train.js';
import { priorScaleRidge } from '../lib/train/evidence.js';
import { sigmoid, softplus } from '../lib/train/logistic.js';
import { cholesky } from '../lib/math/linalg.js';
import { Rng } from '../lib/math/rng.js';
import { randomLabeledPairs } from './helpers/labeled-pairs.js';

/** m pairs over n random responses in d dims, labels drawn from a Bradley–Terry truth. */
function world(seed: number, n: number, d: number, m: number, scale: number) {
  const rng = new Rng(seed);
  const features = new Float64Array(n * d);
  for (let t = 0; t < features.length; t++) features[t] = scale * rng.normal();
  const truth = Array.from({ length: d }, () => rng.normal() / scale);
  const { pairs, labels } = randomLabeledPairs(rng, n, m, (i, j) => {
    let margin = 0;
    for (let k = 0; k < d; k++) margin += truth[k]! * (features[i * d + k]! - features[j * d + k]!);
    return rng.next() < sigmoid(margin) ? 1 : 0;
  });
  return { features, pairs, labels };
}

function logLikelihood(features: Float64Array, d: number, pairs: Int32Array, labels: ArrayLike<number>, w: ArrayLike<number>): number {
  let s = 0;
  for (let p = 0; p < labels.length; p++) {
    let margin = 0;
    for (let k = 0; k < d; k++) margin += w[k]! * (features[pairs[2 * p]! * d + k]! - features[pairs[2 * p + 1]! * d + k]!);
    s -= softplus(margin) - labels[p]! * margin;
  }
  return s;
}

describe('Laplace log evidence', () => {
  it('matches a brute-force integral of the posterior on a dense 2-D grid', () => {
    const d = 2;
    const { features, pairs, labels } = world(3, 30, d, 80, 1);
    for (const tau of [0.3, 3, 30]) {
      const fit = trainLinearHead({ features, dim: d, pairs, labels, ridge: tau, tol: 1e-12 });
      // log ∫ p(y|w) N(w; 0, I/τ) dw on a 801² grid covering ŵ ± 10 posterior-scale units.
      const half = 10 / Math.sqrt(tau + 0.25 * labels.length);
      const G = 401;
      const h = (2 * half) / (G - 1);
      const logs: number[] = [];
      for (let a = 0; a < G; a++) {
        for (let b = 0; b < G; b++) {
          const w = [fit.w[0]! - half + a * h, fit.w[1]! - half + b * h];
          logs.push(logLikelihood(features, d, pairs, labels, w) - 0.5 * tau * (w[0]! ** 2 + w[1]! ** 2) + Math.log(tau / (2 * Math.PI)));
        }
      }
      const top = logs.reduce((a, b) => Math.max(a, b), -Infinity);
      const brute = top + Math.log(logs.reduce((s, l) => s + Math.exp(l - top), 0) * h * h);
      // Laplace is exact only for a Gaussian posterior; with 80 pairs in 2-D it is close.
      expect(Math.abs(fit.logEvidence - brute)).toBeLessThan(0.02);
    }
  });

  it('uses det(τI_d + SᵀS) = τ^(d−m) det(τI_m + SSᵀ) when there are fewer pairs than dimensions', () => {
    const d = 7;
    const { features, pairs, labels } = world(5, 12, d, 4, 1);
    const tau = 2;
    const fit = trainLinearHead({ features, dim: d, pairs, labels, ridge: tau, tol: 1e-12 });
    // The d×d Hessian by hand.
    const H = new Float64Array(d * d);
    for (let k = 0; k < d; k++) H[k * d + k] = tau;
    for (let p = 0; p < labels.length; p++) {
      const v = Array.from({ length: d }, (_, k) => features[pairs[2 * p]! * d + k]! - features[pairs[2 * p + 1]! * d + k]!);
      const s = sigmoid(v.reduce((acc, x, k) => acc + x * fit.w[k]!, 0));
      for (let a = 0; a < d; a++) for (let b = 0; b < d; b++) H[a * d + b] += s * (1 - s) * v[a]! * v[b]!;
    }
    const L = cholesky(H, d).factor;
    let logDet = 0;
    for (let k = 0; k < d; k++) logDet += 2 * Math.log(L[k * d + k]!);
    const ww = fit.w.reduce((acc, x) => acc + x * x, 0);
    const expected = logLikelihood(features, d, pairs, labels, fit.w) - 0.5 * tau * ww + 0.5 * d * Math.log(tau) - 0.5 * logDet;
    expect(fit.logEvidence).toBeCloseTo(expected, 9);
  });

  it("ridge 'auto' finds the maximum of a fine grid of fixed-ridge fits (Newton and Woodbury paths)", () => {
    for (const [d, m] of [[3, 60], [12, 8]] as const) {
      const { features, pairs, labels } = world(11 + d, 40, d, m, 2.5);
      // The τ search alone: the prior's shape is held isotropic, as in the grid of fixed-ridge fits.
      const auto = trainLinearHead({ features, dim: d, pairs, labels, ridge: 'auto', prior: 'isotropic', tol: 1e-12 });
      const tau0 = priorScaleRidge(features, d, pairs);
      let best = { tau: NaN, e: -Infinity };
      for (let t = 0; t <= 600; t++) {
        const tau = tau0 * 10 ** (-3 + t / 100);
        const e = trainLinearHead({ features, dim: d, pairs, labels, ridge: tau, tol: 1e-12 }).logEvidence;
        if (e > best.e) best = { tau, e };
      }
      expect(auto.logEvidence).toBeGreaterThanOrEqual(best.e - 1e-6);
      expect(Math.abs(Math.log10(auto.ridge / best.tau))).toBeLessThan(0.03);
      // The returned head is the fit at the chosen τ.
      const again = trainLinearHead({ features, dim: d, pairs, labels, ridge: auto.ridge, tol: 1e-12 });
      for (let k = 0; k < d; k++) expect(auto.w[k]).toBeCloseTo(again.w[k]!, 8);
    }
  });

  it('the async trainer chooses the same τ', async () => {
    const { features, pairs, labels } = world(21, 30, 4, 40, 1);
    const sync = trainLinearHead({ features, dim: 4, pairs, labels, ridge: 'auto' });
    const asyncFit = await trainLinearHeadAsync({ features, dim: 4, pairs, labels, ridge: 'auto', backend: 'js' });
    expect(asyncFit.ridge).toBeCloseTo(sync.ridge, 6);
    expect(asyncFit.logEvidence).toBeCloseTo(sync.logEvidence, 8);
  });

  it("rejects a ridge that is neither a positive number nor 'auto'", () => {
    const { features, pairs, labels } = world(1, 5, 2, 3, 1);
    expect(() => trainLinearHead({ features, dim: 2, pairs, labels, ridge: 'big' as never })).toThrow(/ridge.*'auto'/);
  });
});
