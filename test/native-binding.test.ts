/**
 * The addon's own boundary: argument checks before any memory is touched, and identical results on
 * every dispatched instruction set (AVX-512, AVX2, baseline x86-64).
 */
import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { packageRoot } from '../lib/backends/native.js';
import { nativeForTests } from './helpers/native-addon.js';

const { skip, addon, info } = nativeForTests('native binding tests');

const n = 4;
const d = 2;
const features = new Float64Array([0, 1, 2, 3, 4, 5, 6, 8]);
const pairs = new Int32Array([0, 1, 1, 3]);
const weights = new Float64Array([1, 2]);
const factor = new Float64Array([1, 0, 0, 1]);

describe.skipIf(skip)('native binding argument checks', () => {
  const cases: [string, () => unknown, ErrorConstructor, RegExp][] = [
    ['features of the wrong type', () => addon.quadraticForms(new Int32Array(8) as never, n, d, factor, pairs), TypeError, /^features must be a Float32Array or Float64Array/],
    ['features of the wrong length', () => addon.quadraticForms(new Float64Array(7), n, d, factor, pairs), RangeError, /^features must have n\*d = 8 entries, got 7/],
    ['NaN in features', () => addon.quadraticForms(new Float64Array([0, 1, 2, NaN, 4, 5, 6, 8]), n, d, factor, pairs), RangeError, /^features must be finite \(entry 3/],
    ['a non-integer n', () => addon.quadraticForms(features, 4.5, d, factor, pairs), RangeError, /^n must be an integer/],
    ['a negative d', () => addon.quadraticForms(features, n, -2, factor, pairs), RangeError, /^d must be an integer/],
    ['a huge n', () => addon.quadraticForms(features, 2 ** 40, d, factor, pairs), RangeError, /^n must be an integer/],
    ['n given as a string', () => addon.quadraticForms(features, '4' as never, d, factor, pairs), TypeError, /^n must be a number/],
    ['pairs as a plain array', () => addon.quadraticForms(features, n, d, factor, [0, 1] as never), TypeError, /^pairs must be an Int32Array/],
    ['pairs of odd length', () => addon.quadraticForms(features, n, d, factor, new Int32Array(3)), RangeError, /^pairs must hold \(i, j\) pairs/],
    ['a pair index out of range', () => addon.quadraticForms(features, n, d, factor, new Int32Array([0, 4])), RangeError, /^pair 0 = \(0, 4\) must satisfy 0 <= i < j < n = 4/],
    ['a pair with i > j', () => addon.quadraticForms(features, n, d, factor, new Int32Array([2, 1])), RangeError, /must satisfy 0 <= i < j/],
    ['a factor with a zero diagonal', () => addon.quadraticForms(features, n, d, new Float64Array([1, 0, 0, 0]), pairs), RangeError, /^factor must have a positive diagonal \(entry 1/],
    ['a factor of the wrong length', () => addon.quadraticForms(features, n, d, new Float64Array(3), pairs), RangeError, /^factor must have 4 entries, got 3/],
    ['weights of the wrong length', () => addon.informationMatrix(features, n, d, pairs, new Float64Array(1), 1), RangeError, /^weights must have 2 entries, got 1/],
    ['an infinite ridge', () => addon.informationMatrix(features, n, d, pairs, weights, Infinity), RangeError, /^ridge must be finite/],
    ['a base of the wrong type', () => addon.informationMatrix(features, n, d, pairs, weights, 1, new Float32Array(4) as never), TypeError, /^base must be a Float64Array/],
    ['M of the wrong length', () => addon.cholesky(new Float64Array(3), 2), RangeError, /^M must have 4 entries, got 3/],
    ['k above the pool size', () => addon.greedy(features, n, d, factor, pairs, weights, 3, true), RangeError, /^k must be at most the number of pairs \(2\), got 3/],
    ['lazy that is not a boolean', () => addon.greedy(features, n, d, factor, pairs, weights, 1, 1 as never), TypeError, /^lazy must be a boolean/],
    ['a cancel flag of the wrong type', () => addon.greedy(features, n, d, factor, pairs, weights, 1, true, new Float64Array(1) as never), TypeError, /^cancel must be an Int32Array/],
  ];
  for (const [what, call, type, message] of cases) {
    it(`throws ${type.name} synchronously for ${what}`, () => {
      let thrown: unknown;
      try {
        call();
      } catch (err) {
        thrown = err;
      }
      expect(thrown).toBeInstanceOf(type);
      expect((thrown as Error).message).toMatch(message);
    });
  }

  it('a detached features buffer is refused, not read', () => {
    const buffer = new Float64Array(8);
    structuredClone(buffer.buffer, { transfer: [buffer.buffer] });
    expect(() => addon.quadraticForms(buffer, n, d, factor, pairs)).toThrow(RangeError);
  });

  it('valid calls still resolve after all the refusals', async () => {
    const q = await addon.quadraticForms(features, n, d, factor, pairs);
    expect(Array.from(q)).toEqual([8, 4 * 4 + 5 * 5]);
  });
});

describe.skipIf(skip)('native SIMD dispatch', () => {
  // Each level in a child process: the level is chosen once per process (ACTIVE_RM_SIMD can only lower it).
  const script = `
    const addon = require('node-gyp-build')(process.argv[1]);
    let s = 7; const rnd = () => { s = (s * 1103515245 + 12345) % 2147483648; return s / 2147483648 - 0.5; };
    const n = 300, d = 37, F = new Float32Array(n * d).map(rnd), list = [];
    for (let i = 0; i < n; i++) for (let j = i + 1; j < n; j += 3) list.push(i, j);
    const pairs = new Int32Array(list), w = new Float64Array(pairs.length / 2).map(() => 0.1 + Math.abs(rnd()));
    (async () => {
      const M = await addon.informationMatrix(F, n, d, pairs, w, 0.5);
      const c = await addon.cholesky(M, d);
      const g = await addon.greedy(F, n, d, c.factor, pairs, w, 60, true);
      console.log(JSON.stringify({ simd: addon.simd, logDet: c.logDet, picks: Array.from(g.picks), q: Array.from(g.quadratic) }));
    })();`;
  const run = (level?: string) =>
    JSON.parse(
      execFileSync(process.execPath, ['-e', script, packageRoot()!], {
        env: { ...process.env, ...(level ? { ACTIVE_RM_SIMD: level } : {}) },
        encoding: 'utf8',
      }),
    ) as { simd: string; logDet: number; picks: number[]; q: number[] };

  // AVX2 exists on x86-64 only; elsewhere the best level (NEON on arm64) is compared with generic.
  const levels = process.arch === 'x64' ? ['generic', 'avx2'] : ['generic'];
  it(`${levels.join(', ')} and the best level give the same picks and log det within 1e-12`, () => {
    const best = run();
    expect(best.simd).toBe(info.simd);
    for (const level of levels) {
      const other = run(level);
      if (level === 'avx2' && best.simd === 'generic') continue;
      expect(other.simd).toBe(level);
      expect(other.picks).toEqual(best.picks);
      expect(Math.abs(other.logDet - best.logDet) / Math.abs(best.logDet)).toBeLessThan(1e-12);
      for (let t = 0; t < best.q.length; t++) expect(Math.abs(other.q[t]! - best.q[t]!) / best.q[t]!).toBeLessThan(1e-9);
    }
  });
});
