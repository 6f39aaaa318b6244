/**
 * The MLP's native kernel (cpp/train/mlp.cpp) against the TypeScript reference (lib/train/mlp.ts).
 * Runs whenever the addon loads, under either ACTIVE_RM_BACKEND (the native calls ask for
 * backend 'native' by name, which the environment override does not replace). With
 * ACTIVE_RM_BACKEND=native a missing addon is a failure, not a skip; otherwise the suite is skipped
 * with the reason printed.
 */
import { describe, expect, it } from 'vitest';
import { Mlp } from '../lib/api/train.js';
import type { MlpOptions } from '../lib/train/mlp.js';
import { Rng } from '../lib/math/rng.js';
import { randomLabeledPairs } from './helpers/labeled-pairs.js';
import { nativeForTests } from './helpers/native-addon.js';

const { skip, addon } = nativeForTests('native MLP tests');

function problem(seed: number, n: number, d: number, m: number, f32 = false) {
  const rng = new Rng(seed);
  const values = Float64Array.from({ length: n * d }, () => rng.normal());
  const features = f32 ? Float32Array.from(values) : values;
  const { pairs, labels } = randomLabeledPairs(rng, n, m, (i, j) => (features[i * d]! + 0.3 * rng.normal() > features[j * d]! ? 1 : 0));
  labels[1] = 0.3; // a soft label
  return { features, pairs, labels, n, d };
}

/** max |a − b| over max |b|: parameters near zero make an entrywise relative error meaningless. */
function relativeGap(a: Float64Array, b: Float64Array): number {
  let scale = 0;
  let gap = 0;
  for (let t = 0; t < b.length; t++) {
    scale = Math.max(scale, Math.abs(b[t]!));
    gap = Math.max(gap, Math.abs(a[t]! - b[t]!));
  }
  return gap / scale;
}

describe.skipIf(skip)('Mlp on the native kernel', () => {
  // Every sum runs in the TypeScript order, so the only differences are last-ulp ones between
  // libm's and V8's tanh/exp/log1p/pow; over these short trainings they stay near 1e-15.
  const cases: [string, MlpOptions, boolean][] = [
    ['width 8, weight decay, float64 features', { width: 8, epochs: 6, batchSize: 8, lr: 3e-3, weightDecay: 0.01, seed: 3 }, false],
    ['width 48 (matmuls split across the pool), float32 features', { width: 48, epochs: 4, batchSize: 32, lr: 1e-3, seed: 9 }, true],
  ];
  for (const [name, opts, f32] of cases) {
    it(`trains to the TypeScript parameters within 1e-9, warm start included (${name})`, async () => {
      const { features, pairs, labels, d } = problem(4, 40, 5, 70, f32);
      const js = new Mlp(d, opts);
      const native = new Mlp(d, opts);
      for (let call = 0; call < 2; call++) {
        const lossJs = js.train(features, pairs, labels);
        const lossNative = await native.trainAsync(features, pairs, labels, { backend: 'native' });
        expect(Math.abs(lossNative - lossJs)).toBeLessThan(1e-12 * Math.abs(lossJs));
        expect(relativeGap(native.params, js.params)).toBeLessThan(1e-9);
      }
      // The optimizer state carried over too: a third call still agrees.
      js.train(features, pairs, labels);
      await native.trainAsync(features, pairs, labels, { backend: 'native' });
      expect(relativeGap(native.params, js.params)).toBeLessThan(1e-9);
    });
  }

  it('is bit-for-bit reproducible for a fixed seed', async () => {
    const { features, pairs, labels, d } = problem(8, 60, 6, 90);
    const run = async (): Promise<Float64Array> => {
      const net = new Mlp(d, { width: 64, epochs: 3, batchSize: 16, seed: 5 });
      await net.trainAsync(features, pairs, labels, { backend: 'native' });
      await net.trainAsync(features, pairs, labels, { backend: 'native' });
      return net.params;
    };
    const a = await run();
    const b = await run();
    expect(Array.from(a)).toEqual(Array.from(b));
  });

  it('loss and gradient match lossAndGradient', async () => {
    const { features, pairs, labels, n, d } = problem(3, 12, 4, 9);
    const net = new Mlp(d, { width: 6, seed: 11 });
    const ref = net.lossAndGradient(features, pairs, labels);
    const got = await addon.mlpGradient(features, n, d, 6, net.params, pairs, labels);
    expect(Math.abs(got.loss - ref.loss)).toBeLessThan(1e-14 * ref.loss);
    expect(relativeGap(got.grad, ref.grad)).toBeLessThan(1e-12);
  });

  it('embedAsync and predictAsync match embed and predict', async () => {
    const { features, pairs, labels, n, d } = problem(6, 700, 5, 50); // > one 512-row chunk
    const net = new Mlp(d, { width: 16, epochs: 2, seed: 2 });
    net.train(features, pairs, labels);
    expect(relativeGap(await net.embedAsync(features, n, { backend: 'native' }), net.embed(features, n))).toBeLessThan(1e-14);
    expect(relativeGap(await net.predictAsync(features, n, { backend: 'native' }), net.predict(features, n))).toBeLessThan(1e-13);
    // Only the first n rows count, as in embed().
    expect((await net.embedAsync(features, 10, { backend: 'native' })).length).toBe(10 * 16);
  });

  it('an aborted training rejects with AbortError and leaves the model as it was', async () => {
    const { features, pairs, labels, d } = problem(1, 400, 8, 2000);
    const net = new Mlp(d, { width: 64, epochs: 200, seed: 1 });
    const before = net.params.slice();
    const controller = new AbortController();
    const pending = net.trainAsync(features, pairs, labels, { backend: 'native', signal: controller.signal });
    setTimeout(() => controller.abort(), 20);
    await expect(pending).rejects.toMatchObject({ name: 'AbortError' });
    expect(Array.from(net.params)).toEqual(Array.from(before));
    await expect(net.trainAsync(features, pairs, labels, { backend: 'native', signal: controller.signal })).rejects.toMatchObject({ name: 'AbortError' });
  });

  it('pairs, labels, order and parameters rewritten while a call runs change nothing it computes', async () => {
    const { features, pairs, labels, n, d } = problem(7, 300, 6, 600);
    const net = new Mlp(d, { width: 32 });
    const order = Int32Array.from({ length: 3 * 600 }, (_, e) => (e * 7) % 600);
    const call = (p: Int32Array, y: Float64Array, o: Int32Array, params: Float64Array) =>
      addon.mlpTrain(features, n, d, 32, params, new Float64Array(params.length), new Float64Array(params.length), 0, p, y, o, 3, 16, 1e-3, 0);
    const expected = await call(pairs.slice(), labels.slice(), order.slice(), net.params.slice());
    const [p, y, o, params] = [pairs.slice(), labels.slice(), order.slice(), net.params.slice()];
    const pending = call(p, y, o, params);
    p.fill(2 ** 31 - 2);
    o.fill(-5);
    y.fill(1e6);
    params.fill(1e6);
    const got = await pending;
    expect(Array.from(got.params)).toEqual(Array.from(expected.params));
    expect(Array.from(got.losses)).toEqual(Array.from(expected.losses));
  });

  describe('argument checks name the argument', () => {
    const { features, pairs, labels, n, d } = problem(2, 10, 3, 4);
    const h = 4;
    const params = new Mlp(d, { width: h }).params;
    const zeros = (): Float64Array => new Float64Array(params.length);
    const order = Int32Array.from([0, 1, 2, 3, 3, 2, 1, 0]);
    const train = (over: Partial<Record<string, unknown>>) => {
      const a = { features, n, inputDim: d, width: h, params, adamM: zeros(), adamV: zeros(), steps: 0, pairs, labels, order, epochs: 2, batchSize: 2, lr: 1e-3, weightDecay: 0, ...over };
      return () => addon.mlpTrain(a.features as Float64Array, a.n as number, a.inputDim as number, a.width as number, a.params as Float64Array, a.adamM as Float64Array, a.adamV as Float64Array, a.steps as number, a.pairs as Int32Array, a.labels as Float64Array, a.order as Int32Array, a.epochs as number, a.batchSize as number, a.lr as number, a.weightDecay as number);
    };
    const cases: [string, () => unknown, ErrorConstructor, RegExp][] = [
      ['params for another width', train({ width: 5 }), RangeError, /^params must have 85 entries, got 60/],
      ['a width too large for any array', train({ width: 2 ** 31 - 1 }), RangeError, /^width 2147483647 and inputDim 3 give more parameters than a Float64Array holds/],
      ['NaN in adamV', train({ adamV: zeros().fill(NaN) }), RangeError, /^adamV must be finite/],
      ['a pair row out of range', train({ pairs: Int32Array.from([0, 1, 2, 10, 1, 2, 3, 4]) }), RangeError, /^pairs\[3\] = 10 must be a row of features, in \[0, n = 10\)/],
      ['no pairs', train({ pairs: new Int32Array(0), labels: new Float64Array(0), order: new Int32Array(0) }), RangeError, /^pairs must hold at least one/],
      ['labels of the wrong length', train({ labels: new Float64Array(3) }), RangeError, /^labels must have 4 entries, got 3/],
      ['an order for another epoch count', train({ epochs: 3 }), RangeError, /^order must have epochs·m = 3·4 entries/],
      ['an order index out of range', train({ order: Int32Array.from([0, 1, 2, 4, 3, 2, 1, 0]) }), RangeError, /^order\[3\] = 4 must be a pair index in \[0, m = 4\)/],
      ['order as a plain array', train({ order: [0, 1] }), TypeError, /^order must be an Int32Array/],
      ['a zero batch size', train({ batchSize: 0 }), RangeError, /^batchSize must be an integer in \[1,/],
      ['a zero learning rate', train({ lr: 0 }), RangeError, /^lr must be > 0/],
      ['a negative weight decay', train({ weightDecay: -1 }), RangeError, /^weightDecay must be >= 0/],
      ['a negative step count', train({ steps: -1 }), RangeError, /^steps must be an integer in \[0,/],
      ['features of the wrong length', train({ n: 11 }), RangeError, /^features must have n\*d = 33 entries, got 30/],
      ['params on forward of the wrong type', () => addon.mlpForward(features, n, d, h, Float32Array.from(params) as never), TypeError, /^params must be a Float64Array/],
    ];
    for (const [what, call, type, message] of cases) {
      it(what, () => {
        expect(call).toThrow(type);
        expect(call).toThrow(message);
      });
    }
    it('Mlp.trainAsync with backend native checks pairs against labels before the addon does', async () => {
      const net = new Mlp(d, { width: h });
      await expect(net.trainAsync(features, pairs, labels.subarray(1), { backend: 'native' })).rejects.toThrow(/^Mlp.trainAsync: 4 pairs but 3 labels/);
    });
  });
});

describe('Mlp async methods follow the backend choice', () => {
  const { features, pairs, labels, n, d } = problem(5, 30, 4, 40);
  const opts = { width: 8, epochs: 3, seed: 4 };
  it(`backend 'js' runs the TypeScript code exactly`, async () => {
    const a = new Mlp(d, opts);
    const b = new Mlp(d, opts);
    expect(await b.trainAsync(features, pairs, labels, { backend: 'js' })).toBe(a.train(features, pairs, labels));
    expect(Array.from(b.params)).toEqual(Array.from(a.params));
    expect(Array.from(await b.embedAsync(features, n, { backend: 'js' }))).toEqual(Array.from(a.embed(features, n)));
  });
  // The environment override decides 'auto': npm test runs this file under both values.
  const env = process.env.ACTIVE_RM_BACKEND;
  it.runIf(env === 'js' || (env === 'native' && !skip))(`the default backend under ACTIVE_RM_BACKEND=${env} trains on ${env === 'js' ? 'TypeScript' : 'the native kernel'}`, async () => {
    const auto = new Mlp(d, opts);
    const named = new Mlp(d, opts);
    await auto.trainAsync(features, pairs, labels);
    await named.trainAsync(features, pairs, labels, { backend: env as 'js' | 'native' });
    expect(Array.from(auto.params)).toEqual(Array.from(named.params));
  });
});
