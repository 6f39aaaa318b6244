import { describe, expect, it } from 'vitest';
import { selectPairs, type SelectOptions } from '../lib/index.js';

const good: SelectOptions = {
  features: new Float64Array([0, 1, 1, 0, 2, 2, 3, 1, 0.5, 0.5, 1, 3]),
  dim: 2,
  promptIds: new Int32Array([0, 0, 0, 1, 1, 1]),
  head: new Float64Array([0.3, -0.2]),
  pool: 'within',
  method: 'greedy-dopt',
  k: 2,
};

async function rejects(patch: Partial<SelectOptions> | Record<string, unknown>, type: typeof TypeError | typeof RangeError, message: RegExp) {
  const err = await selectPairs({ ...good, ...patch } as SelectOptions).then(
    () => null,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(type);
  expect((err as Error).message).toMatch(message);
}

describe('bad input gets a clear error naming the argument', () => {
  it('accepts the good baseline', async () => {
    await expect(selectPairs(good)).resolves.toBeTruthy();
  });
  it('NaN / Inf in features or head', async () => {
    const f = Float64Array.from(good.features);
    f[5] = NaN;
    await rejects({ features: f }, RangeError, /features must be finite.*row 2, column 1/);
    await rejects({ head: [Infinity, 0] }, RangeError, /head must be finite/);
  });
  it('features of the wrong type or length', async () => {
    await rejects({ features: [1, 2, 3, 4] as unknown as Float64Array }, TypeError, /features must be a Float32Array or Float64Array/);
    await rejects({ features: new Float64Array(11) }, RangeError, /multiple of dim/);
    await rejects({ dim: 0 }, RangeError, /dim must be ≥ 1/);
  });
  it('head length differs from dim', async () => {
    await rejects({ head: [1, 2, 3] }, RangeError, /head has length 3 but dim is 2/);
    await rejects({ head: undefined }, TypeError, /head .* is required/);
  });
  it('prompt ids of the wrong length or out of range', async () => {
    await rejects({ promptIds: new Int32Array([0, 0, 1]) }, RangeError, /promptIds must have one id per response/);
    await rejects({ promptIds: new Int32Array([0, 0, -1, 1, 1, 1]) }, RangeError, /promptIds must be ≥ 0/);
    await rejects({ promptIds: undefined }, TypeError, /needs prompts: pass promptIds/);
  });
  it('shape inconsistent with features', async () => {
    await rejects({ promptIds: undefined, shape: [2, 2, 2] }, RangeError, /shape .* needs 8/);
    await rejects({ promptIds: undefined, shape: [2, 3, 3] }, RangeError, /shape\[2\] \(3\) must equal dim \(2\)/);
  });
  it('pair indices out of range, i = j, duplicates', async () => {
    await rejects({ pool: [0, 6] }, RangeError, /pool: pair 0 = \(0, 6\) is out of range/);
    await rejects({ pool: [2, 2] }, RangeError, /compares a response with itself/);
    await rejects({ pool: [0, 1, 1, 0] }, RangeError, /appears more than once/);
    await rejects({ pool: [0, 1, 2] }, RangeError, /even length/);
    await rejects({ past: { pairs: [0, 9] } }, RangeError, /past.pairs: pair 0 = \(0, 9\) is out of range/);
    await rejects({ past: { pairs: [0, 1], labels: [2] } }, RangeError, /past.labels must be 0 or 1/);
  });
  it('k < 1, k larger than the pool, empty pool', async () => {
    await rejects({ k: 0 }, RangeError, /k must be ≥ 1/);
    await rejects({ k: 1.5 }, TypeError, /k must be an integer/);
    await rejects({ k: 7 }, RangeError, /k \(7\) is larger than the candidate pool \(6 pairs\)/);
    await rejects({ promptIds: new Int32Array([0, 1, 2, 3, 4, 5]) }, RangeError, /candidate pool is empty/);
  });
  it('ridge ≤ 0 and unknown names', async () => {
    await rejects({ ridge: 0 }, RangeError, /ridge must be > 0/);
    await rejects({ ridge: -1 }, RangeError, /ridge must be > 0/);
    await rejects({ method: 'bald' }, TypeError, /method must be one of dopt, past-dopt/);
    await rejects({ pool: 'everything' }, TypeError, /pool must be 'within', 'cross', 'all'/);
    await rejects({ backend: 'gpu' }, TypeError, /backend must be one of auto, js, native, cuda/);
  });
  it('a Cholesky failure says so', async () => {
    const huge = Float64Array.from(good.features, (x, t) => x * 1e160 * (t + 1));
    await rejects({ features: huge, head: [0, 0], method: 'dopt' }, RangeError, /Cholesky factorization failed.*increase `ridge`/);
    await rejects({ features: huge, head: [0, 0], method: 'greedy-dopt' }, RangeError, /not finite.*rescale/);
  });
  it('memory beyond maxMemoryBytes is refused with the figure', async () => {
    await rejects({ maxMemoryBytes: 100 }, RangeError, /needs about .* but maxMemoryBytes is 100 B/);
  });
  it('an aborted signal rejects with AbortError', async () => {
    const c = new AbortController();
    c.abort();
    await expect(selectPairs({ ...good, signal: c.signal })).rejects.toMatchObject({ name: 'AbortError' });
  });
});
