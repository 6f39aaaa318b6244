/**
 * The benchmark suite's data generators (lib/bench/distributions.ts) do what docs/native.md says they
 * do, and the greedy kernel's downdate count the suite reports is the real one.
 */
import { describe, expect, it } from 'vitest';
import { DISTRIBUTIONS, generate, unavailable, type DistributionId } from '../lib/bench/distributions.js';
import { plainDowndates, quickWorkload, WORKLOADS, withinPairs } from '../lib/bench/workloads.js';
import { formatBenchTable } from '../lib/bench/table.js';
import type { BenchRow } from '../lib/bench/run.js';
import type { Backend } from '../lib/backends/interface.js';
import { loadNativeBackend } from '../lib/backends/native.js';
import { cholesky } from '../lib/math/linalg.js';
import { Rng } from '../lib/math/rng.js';
import { ensureBuilt, ROOT } from './cli-helpers.js';

function norms(features: Float32Array, n: number, d: number): number[] {
  const out: number[] = [];
  for (let i = 0; i < n; i++) {
    let s = 0;
    for (let c = 0; c < d; c++) s += features[i * d + c]! ** 2;
    out.push(Math.sqrt(s));
  }
  return out;
}

const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
const synthetic = DISTRIBUTIONS.filter((x) => !x.real).map((x) => x.id);

describe('bench suite distributions', () => {
  it.each(synthetic)('%s is seeded: the same seed gives the same data, another seed other data', (id) => {
    const a = generate(id, 20, 5, 16, 7);
    const b = generate(id, 20, 5, 16, 7);
    const c = generate(id, 20, 5, 16, 8);
    expect(a.features).toEqual(b.features);
    expect(a.head).toEqual(b.head);
    expect(a.features).not.toEqual(c.features);
    expect(Array.from(a.promptIds.slice(0, 10))).toEqual([0, 0, 0, 0, 0, 1, 1, 1, 1, 1]);
  });

  it('zero head gives λ = 1/4 for every pair; the iid head does not', () => {
    const zero = withinPairs(generate('zero-head', 30, 4, 8, 1));
    expect(zero.lambdas.every((l) => l === 0.25)).toBe(true);
    const iid = withinPairs(generate('iid', 30, 4, 8, 1));
    expect(Math.min(...iid.lambdas)).toBeLessThan(0.2);
  });

  it('clustered features have norms near 15 and a small ridge', () => {
    const data = generate('clustered', 50, 10, 128, 3);
    const avg = mean(norms(data.features, data.n, data.d));
    expect(avg).toBeGreaterThan(13);
    expect(avg).toBeLessThan(17);
    expect(data.ridge).toBe(1e-3);
  });

  it('wide-lambda spans many orders of magnitude of λ', () => {
    const { lambdas } = withinPairs(generate('wide-lambda', 500, 10, 128, 5));
    const positive = Array.from(lambdas).filter((l) => l > 0);
    expect(Math.log10(Math.max(...positive) / Math.min(...positive))).toBeGreaterThan(15);
  });

  it('power-law has a shared mean and a decaying spectrum', () => {
    const data = generate('power-law', 100, 10, 32, 9);
    const colVar = (c: number) => {
      let s = 0;
      let s2 = 0;
      for (let i = 0; i < data.n; i++) {
        const x = data.features[i * data.d + c]!;
        s += x;
        s2 += x * x;
      }
      return s2 / data.n - (s / data.n) ** 2;
    };
    expect(colVar(0) / colVar(31)).toBeGreaterThan(50);
    const centred = mean(norms(data.features, data.n, data.d));
    expect(centred).toBeGreaterThan(3);  // dominated by the mean of norm 4, not the unit-variance spread
  });

  it('rejects an unknown distribution, naming the known ones', () => {
    expect(() => generate('nope' as DistributionId, 1, 2, 2, 0)).toThrow(/unknown distribution "nope".*iid/);
  });

  it('the HH cases load the shared embeddings, or say why they cannot', () => {
    const why = unavailable('hh');
    if (why) {
      console.warn(`HH bench data check skipped: ${why}`);
      expect(why).toMatch(/ACTIVE_RM_HH_EMBEDDINGS/);
      return;
    }
    const plain = generate('hh', 0, 2, 0, 0);
    expect(plain.d).toBe(512);
    expect(plain.n % 2).toBe(0);
    expect(plain.head.every((w) => w === 0)).toBe(true);
    const fitted = generate('hh-fitted', 0, 2, 0, 0);
    // A head fitted on chosen − rejected ranks chosen above rejected more often than not.
    let agree = 0;
    for (let g = 0; g < fitted.n / 2; g++) {
      let diff = 0;
      for (let c = 0; c < fitted.d; c++) diff += (fitted.features[2 * g * fitted.d + c]! - fitted.features[(2 * g + 1) * fitted.d + c]!) * fitted.head[c]!;
      if (diff > 0) agree++;
    }
    expect(agree / (fitted.n / 2)).toBeGreaterThan(0.6);
  });
});

describe('bench suite workloads and summary', () => {
  it('every workload has a unique id and a quick variant with the same structure', () => {
    const ids = WORKLOADS.map((w) => w.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const w of WORKLOADS) {
      const q = quickWorkload(w);
      expect(q.kind).toBe(w.kind);
      expect(q.k).toBeLessThanOrEqual(w.k);
    }
  });

  it('plainDowndates counts one downdate per remaining candidate after each of the first k − 1 picks', () => {
    expect(plainDowndates(10, 1)).toBe(0);
    expect(plainDowndates(10, 3)).toBe(9 + 8);
  });

  it('the summary reports the worst and the median over the distributions', () => {
    const row = (distribution: string, medianMs: number, share: number): BenchRow => ({
      workload: `greedy-cross/${distribution}`, kind: 'greedy-cross', distribution, title: 'x; y', backend: 'native', medianMs, reps: 1, downdateShare: share,
    });
    const table = formatBenchTable([row('iid', 100, 0.1), row('zero-head', 3000, 0.9), row('clustered', 500, 0.5)]);
    const line = table.split('\n').find((l) => l.startsWith('greedy-cross  native'))!;
    expect(line).toMatch(/3\s+3\.00 s\s+500\.0 ms/);
    expect(line).toMatch(/90\.0 %\s+50\.0 %/);
  });
});

const loaded = loadNativeBackend();
const required = process.env.ACTIVE_RM_BACKEND === 'native';
const skip = !loaded.backend && !required;
if (skip) console.warn(`native downdate-count test skipped: the addon did not load (${loaded.info.reason})`);

describe.skipIf(skip)('native greedy downdate count', () => {
  it('plain greedy counts Σ (m − 1 − t); lazy counts fewer, with the same picks', async () => {
    const native = loaded.backend as Backend;
    const rng = new Rng(4);
    const n = 60;
    const d = 6;
    const features = new Float64Array(n * d).map(() => rng.normal());
    const list: number[] = [];
    for (let i = 0; i < n; i++) for (let j = i + 1; j < n; j++) list.push(i, j);
    const pairs = new Int32Array(list);
    const m = pairs.length / 2;
    const lambdas = new Float64Array(m).map(() => 0.05 + 0.2 * rng.next());
    const M = new Float64Array(d * d);
    for (let c = 0; c < d; c++) M[c * d + c] = 1;
    const { factor } = cholesky(M, d);
    const k = 20;
    const args = { features, n, d, factor, pairs, lambdas, k };
    const plain = await native.greedy({ ...args, lazy: false });
    const lazy = await native.greedy({ ...args, lazy: true });
    expect(Array.from(lazy.picks)).toEqual(Array.from(plain.picks));
    expect(plain.downdates).toBe(plainDowndates(m, k));
    expect(lazy.downdates).toBeGreaterThan(0);
    expect(lazy.downdates!).toBeLessThan(plain.downdates!);
  });
});

describe('bench runner options', () => {
  it('--only that matches no case is an error naming the case ids', async () => {
    const { runBenchmarks } = await import('../lib/bench/run.js');
    await expect(runBenchmarks({ only: ['no-such-case'] })).rejects.toThrow(/matches no case; case ids are greedy-cross\/iid/);
  });
});

describe('npm run bench: arguments', () => {
  const run = async (args: string[]) => {
    const { execFile } = await import('node:child_process');
    const { join } = await import('node:path');
    ensureBuilt();
    return new Promise<{ code: number; stderr: string; stdout: string }>((resolve) => {
      execFile(process.execPath, [join(ROOT, 'dist', 'bench', 'index.js'), ...args], (err, stdout, stderr) => {
        resolve({ code: err ? (typeof err.code === 'number' ? err.code : 1) : 0, stdout, stderr });
      });
    });
  };
  // A misspelled option used to be ignored and start the whole multi-minute suite.
  it.each([
    [['--hlep'], /Unknown option '--hlep'/],
    [['--backends', 'gpu'], /--backends "gpu": expected a comma-separated list of native, js, cuda/],
    [['extra'], /positional/],
  ])('%j exits 2 with the usage', async (args, pattern) => {
    const r = await run(args);
    expect(r.code, r.stderr).toBe(2);
    expect(r.stderr).toMatch(pattern);
    expect(r.stderr).toMatch(/usage: npm run bench/);
  });
  it('--help prints the usage and runs nothing', async () => {
    const r = await run(['--help']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^usage: npm run bench/);
  });
});
