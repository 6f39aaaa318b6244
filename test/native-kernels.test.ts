/**
 * Native kernels against the TypeScript reference backend and against brute force.
 * Runs whenever the addon loads. With ACTIVE_RM_BACKEND=native a missing addon is a failure, not a
 * skip; otherwise the suite is skipped with the reason printed.
 */
import { describe, expect, it } from 'vitest';
import { CholeskyError, type Backend } from '../lib/backends/interface.js';
import { jsBackend } from '../lib/backends/js.js';
import { loadNativeBackend } from '../lib/backends/native.js';
import { sequentialGains } from '../lib/math/sequential-gains.js';
import { nativeBackend, loadNativeAddon } from '../lib/backends/native.js';
import { cholesky } from '../lib/math/linalg.js';
import { Rng } from '../lib/math/rng.js';

const loaded = loadNativeBackend();
const required = process.env.ACTIVE_RM_BACKEND === 'native';
const skip = !loaded.backend && !required;
if (skip) console.warn(`native kernel tests skipped: the addon did not load (${loaded.info.reason})`);
const native = loaded.backend as Backend;

interface Problem {
  features: Float32Array | Float64Array;
  n: number;
  d: number;
  pairs: Int32Array;
  lambdas: Float64Array;
}

function problem(seed: number, n: number, d: number, density: number, f32: boolean): Problem {
  const rng = new Rng(seed);
  const features = f32 ? new Float32Array(n * d) : new Float64Array(n * d);
  for (let e = 0; e < features.length; e++) features[e] = rng.normal();
  const list: number[] = [];
  for (let i = 0; i < n; i++) for (let j = i + 1; j < n; j++) if (rng.next() < density) list.push(i, j);
  const pairs = new Int32Array(list);
  const lambdas = new Float64Array(pairs.length / 2);
  for (let p = 0; p < lambdas.length; p++) lambdas[p] = 0.05 + 0.2 * rng.next();
  return { features, n, d, pairs, lambdas };
}

const relErr = (a: number, b: number): number => Math.abs(a - b) / Math.max(Math.abs(a), Math.abs(b), 1e-300);
function maxRelErr(a: Float64Array, b: Float64Array): number {
  let scale = 0;
  for (const x of b) scale = Math.max(scale, Math.abs(x));
  let err = 0;
  for (let e = 0; e < a.length; e++) err = Math.max(err, Math.abs(a[e]! - b[e]!) / scale);
  return err;
}

function bruteInformation(p: Problem, weights: Float64Array, ridge: number): Float64Array {
  const { d, features, pairs } = p;
  const M = new Float64Array(d * d);
  for (let a = 0; a < d; a++) M[a * d + a] = ridge;
  for (let q = 0; q < weights.length; q++) {
    const i = pairs[2 * q]!, j = pairs[2 * q + 1]!;
    for (let a = 0; a < d; a++)
      for (let b = 0; b < d; b++)
        M[a * d + b] += weights[q]! * (features[i * d + a]! - features[j * d + a]!) * (features[i * d + b]! - features[j * d + b]!);
  }
  return M;
}

function identityFactor(d: number, ridge: number): Float64Array {
  const L = new Float64Array(d * d);
  for (let a = 0; a < d; a++) L[a * d + a] = Math.sqrt(ridge);
  return L;
}

describe.skipIf(skip)('native kernels', () => {
  it('the addon loads (required when ACTIVE_RM_BACKEND=native)', () => {
    expect(loaded.info.reason).toBeUndefined();
    expect(loaded.info.available).toBe(true);
    expect(['avx512f', 'avx2', 'generic', 'neon']).toContain(loaded.info.simd);
    expect(native.name).toBe('native');
  });

  for (const f32 of [true, false]) {
    const kind = f32 ? 'float32' : 'float64';
    it(`informationMatrix equals brute force Σ w v vᵀ and the JS backend (${kind} features)`, async () => {
      const p = problem(3, 40, 11, 0.3, f32);
      const base = new Float64Array(p.d * p.d);
      for (let a = 0; a < p.d; a++) base[a * p.d + a] = 0.25;
      const args = { features: p.features, n: p.n, d: p.d, pairs: p.pairs, weights: p.lambdas, ridge: 0.5, base };
      const got = await native.informationMatrix(args);
      const brute = bruteInformation(p, p.lambdas, 0.75);
      expect(maxRelErr(got, brute)).toBeLessThan(1e-12);
      expect(maxRelErr(got, await jsBackend.informationMatrix(args))).toBeLessThan(1e-12);
      for (let a = 0; a < p.d; a++) for (let b = 0; b < a; b++) expect(got[a * p.d + b]).toBe(got[b * p.d + a]);
    });

    it(`cholesky and quadraticForms match the JS backend (${kind} features, d spans several blocks)`, async () => {
      const p = problem(5, 260, 200, 0.01, f32);
      const M = await native.informationMatrix({ features: p.features, n: p.n, d: p.d, pairs: p.pairs, weights: p.lambdas, ridge: 0.3 });
      const mine = await native.cholesky(M, p.d);
      const ref = await jsBackend.cholesky(M, p.d);
      expect(relErr(mine.logDet, ref.logDet)).toBeLessThan(1e-12);
      expect(maxRelErr(mine.factor, ref.factor)).toBeLessThan(1e-10);
      for (let a = 0; a < p.d; a++) for (let b = a + 1; b < p.d; b++) expect(mine.factor[a * p.d + b]).toBe(0);
      const args = { features: p.features, n: p.n, d: p.d, factor: ref.factor, pairs: p.pairs };
      const q = await native.quadraticForms(args);
      const qRef = await jsBackend.quadraticForms(args);
      let worst = 0;
      for (let e = 0; e < q.length; e++) worst = Math.max(worst, relErr(q[e]!, qRef[e]!));
      expect(worst).toBeLessThan(1e-9);
    });

    it(`greedy: same picks as the JS backend, plain == lazy bit for bit, log det equals brute force (${kind})`, async () => {
      const p = problem(11, 70, 9, 0.5, f32);
      const ridge = 0.2;
      const M = await jsBackend.informationMatrix({ features: p.features, n: p.n, d: p.d, pairs: p.pairs, weights: p.lambdas.map(() => 0.1), ridge });
      const { factor, logDet: start } = cholesky(M, p.d);
      const k = 40;
      const args = { features: p.features, n: p.n, d: p.d, factor, pairs: p.pairs, lambdas: p.lambdas, k };
      const lazy = await native.greedy({ ...args, lazy: true });
      const plain = await native.greedy({ ...args, lazy: false });
      const ref = await jsBackend.greedy({ ...args, lazy: true });
      expect(Array.from(lazy.picks)).toEqual(Array.from(ref.picks));
      expect(Array.from(plain.picks)).toEqual(Array.from(lazy.picks));
      expect(Array.from(plain.quadratic)).toEqual(Array.from(lazy.quadratic));
      for (let t = 0; t < k; t++) expect(relErr(lazy.quadratic[t]!, ref.quadratic[t]!)).toBeLessThan(1e-9);
      expect(new Set(lazy.picks).size).toBe(k);
      // log det M(S) from the gains vs a fresh factorization of the selected design.
      let logDet = start;
      for (let t = 0; t < k; t++) logDet += Math.log1p(p.lambdas[lazy.picks[t]!]! * lazy.quadratic[t]!);
      const weights = new Float64Array(p.lambdas.length).fill(0.1);
      for (const pick of lazy.picks) weights[pick]! += p.lambdas[pick]!;
      expect(relErr(logDet, cholesky(bruteInformation(p, weights, ridge), p.d).logDet)).toBeLessThan(1e-9);
    });
  }

  it('greedy picks the argmax at every step against brute-force re-scoring', async () => {
    const p = problem(21, 14, 4, 1, false);
    const ridge = 0.5;
    const k = 6;
    const res = await native.greedy({ features: p.features, n: p.n, d: p.d, factor: identityFactor(p.d, ridge), pairs: p.pairs, lambdas: p.lambdas, k, lazy: true });
    const weights = new Float64Array(p.lambdas.length);
    for (let t = 0; t < k; t++) {
      let best = -1;
      let bestValue = -Infinity;
      for (let c = 0; c < weights.length; c++) {
        if (weights[c] !== 0) continue;
        weights[c] = p.lambdas[c]!;
        const value = cholesky(bruteInformation(p, weights, ridge), p.d).logDet;
        weights[c] = 0;
        if (value > bestValue + 1e-12) {
          bestValue = value;
          best = c;
        }
      }
      expect(res.picks[t]).toBe(best);
      weights[best] = p.lambdas[best]!;
    }
  });

  it('ties go to the lower pool position in plain and lazy greedy', async () => {
    // Responses 0 and 1 are identical, so (0, 2) and (1, 2) — and (0, 3) and (1, 3) — tie exactly.
    const d = 3;
    const features = new Float64Array([1, 0, 0, 1, 0, 0, 0, 1, 0, 0, 0, 1]);
    const pairs = new Int32Array([1, 3, 1, 2, 0, 2, 0, 3]);
    const lambdas = new Float64Array(4).fill(0.25);
    for (const lazy of [true, false]) {
      const res = await native.greedy({ features, n: 4, d, factor: identityFactor(d, 1), pairs, lambdas, k: 2, lazy });
      const ref = await jsBackend.greedy({ features, n: 4, d, factor: identityFactor(d, 1), pairs, lambdas, k: 2, lazy });
      expect(Array.from(res.picks)).toEqual([0, 1]);
      expect(Array.from(res.picks)).toEqual(Array.from(ref.picks));
    }
  });

  it('a larger pool: native lazy, native plain and JS lazy agree (m ≈ 40k, k = 150)', async () => {
    const p = problem(31, 400, 24, 0.5, true);
    const args = { features: p.features, n: p.n, d: p.d, factor: identityFactor(p.d, 0.05), pairs: p.pairs, lambdas: p.lambdas, k: 150 };
    const lazy = await native.greedy({ ...args, lazy: true });
    const plain = await native.greedy({ ...args, lazy: false });
    const ref = await jsBackend.greedy({ ...args, lazy: true });
    expect(Array.from(plain.picks)).toEqual(Array.from(lazy.picks));
    expect(Array.from(lazy.picks)).toEqual(Array.from(ref.picks));
  });

  it('a pool larger than the lazy queue\'s first admission (m ≈ 200k, admitted in several ranges): lazy == plain == JS', async () => {
    const p = problem(51, 700, 8, 0.85, false);
    expect(p.lambdas.length).toBeGreaterThan(3 * 65536);
    const args = { features: p.features, n: p.n, d: p.d, factor: identityFactor(p.d, 0.01), pairs: p.pairs, lambdas: p.lambdas, k: 120 };
    const lazy = await native.greedy({ ...args, lazy: true });
    const plain = await native.greedy({ ...args, lazy: false });
    const ref = await jsBackend.greedy({ ...args, lazy: true });
    expect(Array.from(lazy.picks)).toEqual(Array.from(plain.picks));
    expect(Array.from(lazy.quadratic)).toEqual(Array.from(plain.quadratic));
    expect(Array.from(lazy.picks)).toEqual(Array.from(ref.picks));
  });

  it('sequentialGains equals lib/math/sequential-gains.ts sequentialGains (rank-one Cholesky updates)', async () => {
    const p = problem(61, 120, 17, 0.2, true);
    const M = await native.informationMatrix({ features: p.features, n: p.n, d: p.d, pairs: p.pairs, weights: p.lambdas.map(() => 0.01), ridge: 0.4 });
    const { factor } = cholesky(M, p.d);
    const k = 60;
    const pairs = p.pairs.slice(0, 2 * k);
    const lambdas = p.lambdas.slice(0, k);
    const mine = await nativeBackend(loadNativeAddon()!).sequentialGains({ features: p.features, n: p.n, d: p.d, factor, pairs, lambdas });
    const ref = sequentialGains(p.features, p.d, factor, pairs, lambdas);
    for (let t = 0; t < k; t++) expect(relErr(mine[t]!, ref[t]!)).toBeLessThan(1e-9);
  });

  it('cholesky of a non-positive-definite matrix throws the same CholeskyError as the JS backend', async () => {
    const M = new Float64Array([4, 2, 0, 2, 1, 0, 0, 0, 1]);
    const mine = await native.cholesky(M, 3).catch((e: unknown) => e);
    const ref = await jsBackend.cholesky(M, 3).catch((e: unknown) => e);
    expect(mine).toBeInstanceOf(CholeskyError);
    expect((mine as Error).message).toBe((ref as Error).message);
    expect((mine as Error).message).toMatch(/not positive definite; increase `ridge`/);
    const infinite = new Float64Array([Infinity, 0, 0, 1]);
    const mineInf = await native.cholesky(infinite, 2).catch((e: unknown) => e);
    expect(mineInf).toBeInstanceOf(CholeskyError);
    expect((mineInf as Error).message).toBe(((await jsBackend.cholesky(infinite, 2).catch((e: unknown) => e)) as Error).message);
  });

  it('an AbortSignal stops a running greedy selection promptly with an AbortError', async () => {
    const p = problem(41, 3000, 64, 0.2, true);
    const controller = new AbortController();
    const args = { features: p.features, n: p.n, d: p.d, factor: identityFactor(p.d, 1e-3), pairs: p.pairs, lambdas: p.lambdas, k: 5000, lazy: false, signal: controller.signal };
    const started = performance.now();
    const running = native.greedy(args).catch((e: unknown) => e);
    setTimeout(() => controller.abort(new Error('stop')), 30);
    const err = await running;
    expect((err as Error).name).toBe('AbortError');
    expect((err as Error).message).toBe('active-rm: stop');
    expect(performance.now() - started).toBeLessThan(2000);
    await expect(native.greedy(args)).rejects.toMatchObject({ name: 'AbortError' });
  });
});
