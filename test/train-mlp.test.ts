import { describe, expect, it } from 'vitest';
import { Mlp } from '../lib/train/mlp.js';
import { Rng } from '../lib/math/rng.js';
import { randomLabeledPairs } from './helpers/labeled-pairs.js';

function problem(seed: number, n: number, d: number, m: number) {
  const rng = new Rng(seed);
  const features = Float64Array.from({ length: n * d }, () => rng.normal());
  const { pairs, labels } = randomLabeledPairs(rng, n, m, (i, j) => (features[i * d]! > features[j * d]! ? 1 : 0));
  return { features, pairs, labels };
}

describe('Mlp', () => {
  it('backpropagation matches central finite differences on every parameter block', () => {
    const d = 4;
    const { features, pairs, labels } = problem(3, 10, d, 7);
    labels[2] = 0.3; // soft label too
    const net = new Mlp(d, { width: 5, seed: 11 });
    const { grad } = net.lossAndGradient(features, pairs, labels);
    const eps = 1e-6;
    let worst = 0;
    for (let t = 0; t < net.params.length; t++) {
      const keep = net.params[t]!;
      net.params[t] = keep + eps;
      const up = net.lossAndGradient(features, pairs, labels).loss;
      net.params[t] = keep - eps;
      const down = net.lossAndGradient(features, pairs, labels).loss;
      net.params[t] = keep;
      const fd = (up - down) / (2 * eps);
      worst = Math.max(worst, Math.abs(fd - grad[t]!) / Math.max(1e-6, Math.abs(fd) + Math.abs(grad[t]!)));
    }
    expect(worst).toBeLessThan(1e-6);
  });

  it('learns an easy preference, is seeded, and exposes φ and the bias-free head', () => {
    const d = 3;
    const { features, pairs, labels } = problem(5, 60, d, 160);
    const a = new Mlp(d, { width: 16, epochs: 25, lr: 5e-3, seed: 1 });
    const b = new Mlp(d, { width: 16, epochs: 25, lr: 5e-3, seed: 1 });
    const before = a.lossAndGradient(features, pairs, labels).loss;
    a.train(features, pairs, labels);
    b.train(features, pairs, labels);
    const after = a.lossAndGradient(features, pairs, labels).loss;
    expect(after).toBeLessThan(0.5 * before);
    expect(Array.from(a.params)).toEqual(Array.from(b.params));
    const phi = a.embed(features, 60);
    const r = a.predict(features, 60);
    const w = a.head;
    for (let i = 0; i < 60; i++) {
      let s = 0;
      for (let k = 0; k < 16; k++) s += phi[i * 16 + k]! * w[k]!;
      expect(r[i]).toBeCloseTo(s, 12);
    }
  });
});
