import { describe, expect, it } from 'vitest';
import { trainLinearHead } from '../lib/train/linear.js';
import { sigmoid } from '../lib/train/logistic.js';
import { Rng } from '../lib/math/rng.js';

/** Reference solve: plain gradient descent on the same objective, run far past convergence. */
function gradientDescent(features: Float64Array, d: number, pairs: Int32Array, y: number[], ridge: number): Float64Array {
  const w = new Float64Array(d);
  const m = y.length;
  // Step 1/L with L ≥ ridge + ¼ Σ‖v‖² bounds the curvature, so GD converges monotonically.
  let L = ridge;
  for (let p = 0; p < m; p++) {
    for (let k = 0; k < d; k++) L += 0.25 * (features[pairs[2 * p]! * d + k]! - features[pairs[2 * p + 1]! * d + k]!) ** 2;
  }
  const g = new Float64Array(d);
  for (let it = 0; it < 200_000; it++) {
    for (let k = 0; k < d; k++) g[k] = ridge * w[k]!;
    for (let p = 0; p < m; p++) {
      let mp = 0;
      for (let k = 0; k < d; k++) mp += w[k]! * (features[pairs[2 * p]! * d + k]! - features[pairs[2 * p + 1]! * d + k]!);
      const e = sigmoid(mp) - y[p]!;
      for (let k = 0; k < d; k++) g[k] += e * (features[pairs[2 * p]! * d + k]! - features[pairs[2 * p + 1]! * d + k]!);
    }
    let gn = 0;
    for (let k = 0; k < d; k++) {
      gn += g[k]! ** 2;
      w[k] -= g[k]! / L;
    }
    if (Math.sqrt(gn) < 1e-13) break;
  }
  return w;
}

describe('trainLinearHead', () => {
  it('solves the one-pair case by hand: ridge·w = σ(−w) for v = 1, label 1', () => {
    const ridge = 0.5;
    const res = trainLinearHead({ features: new Float64Array([1, 0]), dim: 1, pairs: new Int32Array([0, 1]), labels: [1], ridge, tol: 1e-13 });
    // Bisection on the scalar optimality condition.
    let lo = 0;
    let hi = 10;
    for (let t = 0; t < 200; t++) {
      const mid = (lo + hi) / 2;
      if (ridge * mid - sigmoid(-mid) > 0) hi = mid;
      else lo = mid;
    }
    expect(res.w[0]).toBeCloseTo(lo, 12);
    expect(res.gradientNorm).toBeLessThan(1e-13);
  });

  it('reaches the optimum on separable data (ridge keeps it finite)', () => {
    const rng = new Rng(1);
    const d = 3;
    const n = 12;
    const feats = new Float64Array(n * d).map(() => rng.normal());
    const truth = [1, -2, 0.5];
    const pairs: number[] = [];
    const y: number[] = [];
    for (let i = 0; i < n; i++) {
      for (let j = i + 1; j < n; j += 2) {
        pairs.push(i, j);
        let s = 0;
        for (let k = 0; k < d; k++) s += truth[k]! * (feats[i * d + k]! - feats[j * d + k]!);
        y.push(s > 0 ? 1 : 0);
      }
    }
    const P = new Int32Array(pairs);
    const res = trainLinearHead({ features: feats, dim: d, pairs: P, labels: y, ridge: 0.1 });
    expect(res.converged).toBe(true);
    expect(res.gradientNorm).toBeLessThan(1e-9);
    const ref = gradientDescent(feats, d, P, y, 0.1);
    for (let k = 0; k < d; k++) expect(res.w[k]).toBeCloseTo(ref[k]!, 8);
  });

  it('reaches the optimum on noisy labels, Float32 features, soft labels allowed', () => {
    const rng = new Rng(7);
    const d = 5;
    const n = 30;
    const feats = new Float32Array(n * d).map(() => rng.normal());
    const pairs: number[] = [];
    const y: number[] = [];
    for (let t = 0; t < 60; t++) {
      const i = rng.int(n);
      let j = rng.int(n - 1);
      if (j >= i) j++;
      pairs.push(i, j);
      y.push(t % 7 === 0 ? 0.5 : rng.next() < 0.5 ? 1 : 0);
    }
    const P = new Int32Array(pairs);
    const res = trainLinearHead({ features: feats, dim: d, pairs: P, labels: y, ridge: 1 });
    expect(res.gradientNorm).toBeLessThan(1e-9);
    expect(res.iterations).toBeLessThan(15);
    const ref = gradientDescent(Float64Array.from(feats), d, P, y, 1);
    for (let k = 0; k < d; k++) expect(res.w[k]).toBeCloseTo(ref[k]!, 8);
    // Warm start lands on the same optimum.
    const warm = trainLinearHead({ features: feats, dim: d, pairs: P, labels: y, ridge: 1, init: res.w });
    for (let k = 0; k < d; k++) expect(warm.w[k]).toBeCloseTo(res.w[k]!, 10);
  });

  it('names the argument and the fix on bad input', () => {
    const f = new Float64Array(4);
    expect(() => trainLinearHead({ features: f, dim: 2, pairs: new Int32Array([0, 1]), labels: [1], ridge: 0 })).toThrow(/ridge must be/);
    expect(() => trainLinearHead({ features: f, dim: 2, pairs: new Int32Array([0, 5]), labels: [1], ridge: 1 })).toThrow(/out of range/);
    expect(() => trainLinearHead({ features: f, dim: 2, pairs: new Int32Array([0, 1]), labels: [1, 0], ridge: 1 })).toThrow(/one label per pair/);
  });
});

describe('trainLinearHead with fewer pairs than dimensions (Woodbury Newton step)', () => {
  it('matches the reference solve and the d×d path', () => {
    const rng = new Rng(21);
    const d = 40;
    const n = 12;
    const feats = Float64Array.from({ length: n * d }, () => rng.normal() / 4);
    const pairs = new Int32Array([0, 1, 2, 3, 4, 5, 1, 6, 7, 8, 9, 10, 11, 0, 3, 9]);
    const y = [1, 0, 1, 1, 0, 1, 0, 1];
    const res = trainLinearHead({ features: feats, dim: d, pairs, labels: y, ridge: 0.5 });
    expect(res.gradientNorm).toBeLessThan(1e-9);
    const ref = gradientDescent(feats, d, pairs, y, 0.5);
    for (let k = 0; k < d; k++) expect(res.w[k]).toBeCloseTo(ref[k]!, 8);
    // Repeating the pairs past d switches to the d×d path; doubling labels = halving ridge.
    const many = new Int32Array(pairs.length * 6);
    for (let r = 0; r < 6; r++) many.set(pairs, r * pairs.length);
    const big = trainLinearHead({ features: feats, dim: d, pairs: many, labels: [...y, ...y, ...y, ...y, ...y, ...y], ridge: 3 });
    for (let k = 0; k < d; k++) expect(big.w[k]).toBeCloseTo(res.w[k]!, 9);
  });
});
