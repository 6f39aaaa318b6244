/**
 * CUDA kernels against the TypeScript reference backend and brute force. The kernel suite runs
 * only where a GPU is usable and otherwise is reported as skipped with the reason in its name;
 * ACTIVE_RM_REQUIRE_CUDA=1 (scripts/gpu-check.sh) turns a missing GPU into a failure. The host
 * float64 Cholesky of the CUDA library is checked wherever the library loads, GPU or not.
 */
import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { CholeskyError, type Backend } from '../lib/backends/interface.js';
import { backendInfo } from '../lib/backends/index.js';
import { cudaBackend, loadCudaAddon, loadCudaBackend } from '../lib/backends/cuda.js';
import { jsBackend } from '../lib/backends/js.js';
import { loadNativeAddon } from '../lib/backends/native.js';
import { Rng } from '../lib/math/rng.js';

const loaded = loadCudaBackend();
const addon = loadCudaAddon();
const required = process.env.ACTIVE_RM_REQUIRE_CUDA === '1';
const reason = loaded.info.reason ?? 'unknown reason';
if (!loaded.backend) console.warn(`CUDA kernel tests skipped: ${reason}`);
const cuda = loaded.backend as Backend;

interface Problem {
  features: Float32Array;
  n: number;
  d: number;
  promptIds: Int32Array;
  pairs: Int32Array;
  lambdas: Float64Array;
}

function problem(seed: number, prompts: number, per: number, d: number, pool: 'within' | 'all'): Problem {
  const rng = new Rng(seed);
  const n = prompts * per;
  const features = new Float32Array(n * d);
  for (let e = 0; e < features.length; e++) features[e] = rng.normal();
  const promptIds = new Int32Array(n);
  for (let i = 0; i < n; i++) promptIds[i] = Math.floor(i / per);
  const list: number[] = [];
  for (let i = 0; i < n; i++) for (let j = i + 1; j < n; j++) if (pool === 'all' || promptIds[i] === promptIds[j]) list.push(i, j);
  const pairs = new Int32Array(list);
  const lambdas = new Float64Array(pairs.length / 2);
  for (let p = 0; p < lambdas.length; p++) lambdas[p] = 0.05 + 0.2 * rng.next();
  return { features, n, d, promptIds, pairs, lambdas };
}

/** The factor of τI + Σ λ v vᵀ over the problem's own pairs, by the reference backend. */
async function factorOf(p: Problem, ridge = 1): Promise<Float64Array> {
  const M = await jsBackend.informationMatrix({ features: p.features, n: p.n, d: p.d, pairs: p.pairs, weights: p.lambdas, ridge });
  return (await jsBackend.cholesky(M, p.d)).factor;
}

const relErr = (a: number, b: number): number => Math.abs(a - b) / Math.max(Math.abs(a), Math.abs(b), 1e-300);
function maxRelErr(a: Float64Array, b: Float64Array, scale?: number): number {
  let worst = 0;
  for (let e = 0; e < a.length; e++) {
    const err = scale === undefined ? relErr(a[e]!, b[e]!) : Math.abs(a[e]! - b[e]!) / scale;
    worst = Math.max(worst, err);
  }
  return worst;
}

function spd(seed: number, d: number): Float64Array {
  const rng = new Rng(seed);
  const A = new Float64Array(d * d);
  for (let e = 0; e < A.length; e++) A[e] = rng.normal();
  const M = new Float64Array(d * d);
  for (let i = 0; i < d; i++)
    for (let j = 0; j < d; j++) {
      let s = i === j ? d : 0;
      for (let x = 0; x < d; x++) s += A[i * d + x]! * A[j * d + x]!;
      M[i * d + j] = s;
    }
  return M;
}

describe('CUDA availability', () => {
  it('backendInfo().cuda explains itself when the GPU path is unavailable', () => {
    const info = backendInfo().cuda;
    if (info.available) {
      expect(typeof info.device).toBe('string');
    } else {
      expect(typeof info.reason).toBe('string');
      expect(info.reason!.length).toBeGreaterThan(10);
      expect(backendInfo().active).not.toBe('cuda');
    }
  });

  // A CUDA compile error must fail CI even though the addon (and so the CPU path) still builds.
  const nvcc = spawnSync(process.env.CUDACXX || 'nvcc', ['--version'], { encoding: 'utf8' }).status === 0;
  it.runIf(nvcc && loadNativeAddon() !== undefined)('the CUDA library is built wherever nvcc is found', () => {
    expect(addon, reason).toBeDefined();
  });

  it.runIf(required)('a GPU is usable (ACTIVE_RM_REQUIRE_CUDA=1)', () => {
    expect(loaded.info.available, reason).toBe(true);
  });
});

describe.skipIf(!addon)(`CUDA library host Cholesky${addon ? '' : ' (skipped: the CUDA library did not load)'}`, () => {
  const host = addon ? cudaBackend(addon) : undefined;
  it('matches the reference factor and log det, d across block edges', async () => {
    for (const d of [1, 7, 64, 65, 130, 257]) {
      const M = spd(d, d);
      const ref = await jsBackend.cholesky(M, d);
      const got = await host!.cholesky(M, d);
      expect(relErr(got.logDet, ref.logDet)).toBeLessThan(1e-12);
      expect(maxRelErr(got.factor, ref.factor, Math.sqrt(d))).toBeLessThan(1e-12);
    }
  });
  it('reports a matrix that is not positive definite as CholeskyError', async () => {
    await expect(host!.cholesky(new Float64Array([1, 2, 2, 1]), 2)).rejects.toBeInstanceOf(CholeskyError);
  });
});

describe.skipIf(!loaded.backend && !required)(`CUDA kernels${loaded.backend ? ` on ${loaded.info.device}` : ` (skipped: ${reason})`}`, () => {
  it('information matrix matches the reference (shapes off the 128×64 tiles)', async () => {
    for (const [seed, prompts, per, d] of [[1, 30, 10, 70], [2, 13, 7, 130], [3, 5, 4, 3]] as const) {
      const p = problem(seed, prompts, per, d, 'within');
      const args = { features: p.features, n: p.n, d: p.d, pairs: p.pairs, weights: p.lambdas, ridge: 0.5 };
      const ref = await jsBackend.informationMatrix(args);
      const got = await cuda.informationMatrix(args);
      const scale = ref.reduce((s, v) => Math.max(s, Math.abs(v)), 0);
      expect(maxRelErr(got, ref, scale)).toBeLessThan(1e-5);
      const a = await jsBackend.cholesky(ref, d);
      const b = await cuda.cholesky(got, d);
      expect(relErr(a.logDet, b.logDet)).toBeLessThan(1e-5);
    }
  });

  it('quadratic forms match the reference within 1e-5', async () => {
    for (const [seed, d] of [[4, 70], [5, 200]] as const) {
      const p = problem(seed, 25, 10, d, 'within');
      const factor = await factorOf(p);
      const args = { features: p.features, n: p.n, d: p.d, factor, pairs: p.pairs };
      expect(maxRelErr(await cuda.quadraticForms(args), await jsBackend.quadraticForms(args))).toBeLessThan(1e-5);
    }
  });

  it('greedy and lazy greedy give the reference picks', async () => {
    const cases = [
      { p: problem(6, 40, 10, 96, 'within'), k: 60 },
      { p: problem(7, 100, 10, 130, 'within'), k: 150 }, // crosses a catch-up (every 128 picks)
      { p: problem(8, 1, 300, 40, 'all'), k: 40 }, // 44 850 pairs: the large re-score set path
    ];
    for (const { p, k } of cases) {
      const factor = await factorOf(p);
      for (const lazy of [false, true]) {
        const args = { features: p.features, n: p.n, d: p.d, factor, pairs: p.pairs, lambdas: p.lambdas, k, lazy };
        const ref = await jsBackend.greedy(args);
        const got = await cuda.greedy(args);
        expect(Array.from(got.picks)).toEqual(Array.from(ref.picks));
        expect(maxRelErr(got.quadratic, ref.quadratic)).toBeLessThan(1e-5);
      }
    }
  });

  it('takes Float64Array features', async () => {
    const p = problem(9, 20, 10, 33, 'within');
    const factor = await factorOf(p);
    const args = { features: Float64Array.from(p.features), n: p.n, d: p.d, factor, pairs: p.pairs, lambdas: p.lambdas, k: 10, lazy: true };
    expect(Array.from((await cuda.greedy(args)).picks)).toEqual(Array.from((await jsBackend.greedy(args)).picks));
  });

  it('exhaustive cross-prompt greedy equals greedy over the listed cross pool', async () => {
    const backend = loaded.backend!;
    for (const [seed, prompts, per, d, k] of [[10, 24, 10, 48, 30], [11, 30, 10, 130, 20], [12, 7, 1, 5, 21]] as const) {
      const p = problem(seed, prompts, per, d, 'within');
      const rng = new Rng(seed + 100);
      const rewards = new Float64Array(p.n);
      for (let i = 0; i < p.n; i++) rewards[i] = 2 * rng.normal();
      const list: number[] = [];
      const lam: number[] = [];
      for (let i = 0; i < p.n; i++)
        for (let j = i + 1; j < p.n; j++)
          if (p.promptIds[i] !== p.promptIds[j]) {
            list.push(i, j);
            const s = 1 / (1 + Math.exp(-(rewards[i]! - rewards[j]!)));
            lam.push(s * (1 - s));
          }
      const pairs = new Int32Array(list);
      const factor = await factorOf({ ...p, pairs, lambdas: Float64Array.from(lam) }, 2);
      const ref = await jsBackend.greedy({ features: p.features, n: p.n, d: p.d, factor, pairs, lambdas: Float64Array.from(lam), k, lazy: true });
      const got = await backend.crossGreedy({ features: p.features, n: p.n, d: p.d, factor, promptIds: p.promptIds, rewards, k });
      const refPairs = Array.from(ref.picks).flatMap((q) => [pairs[2 * q]!, pairs[2 * q + 1]!]);
      expect(Array.from(got.pairs)).toEqual(refPairs);
      expect(maxRelErr(got.quadratic, ref.quadratic)).toBeLessThan(1e-5);
    }
  });

  it('rejects with AbortError when the signal is aborted', async () => {
    const p = problem(13, 20, 10, 16, 'within');
    const factor = await factorOf(p);
    const controller = new AbortController();
    controller.abort();
    await expect(
      cuda.greedy({ features: p.features, n: p.n, d: p.d, factor, pairs: p.pairs, lambdas: p.lambdas, k: 5, lazy: true, signal: controller.signal }),
    ).rejects.toMatchObject({ name: 'AbortError' });
  });
});
