/**
 * Runs every workload on each backend, each case in a child process (its own peak memory), and
 * the numpy reference (scripts/bench-numpy.py) when python3 with numpy is present.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { packageRoot } from '../backends/native.js';
import { median } from './stats.js';
import { unavailable } from './distributions.js';
import { quickWorkload, WORKLOADS, withinPairs, workloadData, type Workload } from './workloads.js';

export type BenchBackend = 'js' | 'native' | 'cuda';

export interface BenchRow {
  /** `<kind>/<distribution>`. */
  workload: string;
  kind: string;
  distribution: string;
  title: string;
  backend: BenchBackend | 'numpy';
  /** Median wall time of one selection (or one projection), milliseconds; NaN when skipped or failed. */
  medianMs: number;
  /** Median CPU time (all threads) of one repetition, milliseconds. */
  cpuMs?: number;
  reps: number;
  /** Peak resident memory of the process that ran the case (data generation included). */
  peakBytes?: number;
  gflops?: number;
  /** Greedy: downdates done as a share of plain greedy's Σ_{t<k−1} (m − 1 − t), when the backend counts them. */
  downdateShare?: number;
  /** Extra figures of the numpy reference (e.g. its sgemm GFLOP/s for the projection shape). */
  extra?: Record<string, number>;
  note?: string;
}

export interface BenchOptions {
  /** Backends to run; those named here also run the cases whose `skip` lists them. */
  backends?: BenchBackend[];
  quick?: boolean;
  /** Run only the cases whose id (`<kind>/<distribution>`) contains one of these strings. */
  only?: string[];
  onProgress?: (msg: string) => void;
}

function run(cmd: string, args: string[], timeoutMs: number): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(cmd, args, { maxBuffer: 1 << 24, timeout: timeoutMs }, (err, stdout, stderr) => {
      if (err) reject(new Error((stderr || err.message).trim().split('\n').slice(-1)[0]));
      else resolve(stdout);
    });
  });
}

function lastJson(stdout: string): { times: number[]; cpu?: number[]; peakBytes?: number; gflops?: number; flops?: number; downdateShare?: number; extra?: Record<string, number> } {
  const lines = stdout.trim().split('\n');
  return JSON.parse(lines[lines.length - 1]!);
}

async function hasNumpy(): Promise<boolean> {
  try {
    await run('python3', ['-c', 'import numpy'], 30_000);
    return true;
  } catch {
    return false;
  }
}

/** The workloads the numpy reference implements (scripts/bench-numpy.py). */
const NUMPY_KINDS: ReadonlySet<string> = new Set(['greedy-within', 'dopt-within', 'projection']);

/** Writes the case's data for the numpy reference (raw little-endian arrays): the same seeded data. */
function writeNumpyData(w: Workload, dir: string): void {
  const data = workloadData(w);
  const { pairs, lambdas } = withinPairs(data);
  const raw = (a: ArrayBufferView) => Buffer.from(a.buffer, a.byteOffset, a.byteLength);
  writeFileSync(join(dir, 'features.f32'), raw(data.features));
  writeFileSync(join(dir, 'pairs.i32'), raw(pairs));
  writeFileSync(join(dir, 'lambdas.f64'), raw(lambdas));
  writeFileSync(join(dir, 'meta.json'), JSON.stringify({ n: data.n, d: data.d, k: w.k, ridge: data.ridge }));
}

function repsFor(w: Workload, backend: string, quick: boolean): number {
  if (quick || w.kind.startsWith('k1024') || w.kind === 'greedy-cross-20k') return 1;
  if (w.projectionOnly) return 5;
  return backend === 'native' || backend === 'cuda' ? 3 : 1;
}

export async function runBenchmarks(opts: BenchOptions = {}): Promise<BenchRow[]> {
  const backends = opts.backends ?? ['native', 'js'];
  const explicit = new Set<string>(opts.backends ?? []);
  const quick = opts.quick ?? false;
  const only = opts.only?.filter(Boolean);
  if (only && only.length > 0 && !WORKLOADS.some((w) => only.some((s) => w.id.includes(s)))) {
    throw new RangeError(`--only ${only.join(',')} matches no case; case ids are ${WORKLOADS.map((w) => w.id).join(', ')}`);
  }
  const progress = opts.onProgress ?? (() => {});
  const child = fileURLToPath(new URL('./child.js', import.meta.url));
  const root = packageRoot();
  const numpyScript = root ? join(root, 'scripts', 'bench-numpy.py') : undefined;
  const numpy = numpyScript !== undefined && (await hasNumpy());
  if (!numpy) progress('numpy reference skipped: python3 with numpy not found');
  const rows: BenchRow[] = [];
  for (const base of WORKLOADS) {
    if (only && only.length > 0 && !only.some((s) => base.id.includes(s))) continue;
    const w = quick ? quickWorkload(base) : base;
    const names: (BenchBackend | 'numpy')[] = [...backends, ...(numpy && NUMPY_KINDS.has(w.kind) ? (['numpy'] as const) : [])];
    for (const backend of names) {
      const row: BenchRow = { workload: w.id, kind: w.kind, distribution: w.distribution, title: w.title, backend, medianMs: NaN, reps: 0 };
      rows.push(row);
      const skip = unavailable(w.distribution) ?? (explicit.has(backend) ? undefined : w.skip?.[backend]);
      if (skip) {
        row.note = `skipped: ${skip}`;
        continue;
      }
      if (w.projectionOnly && (backend === 'js' || backend === 'cuda')) {
        row.note = 'skipped: the projection kernel is measured on the native backend';
        continue;
      }
      const reps = repsFor(w, backend, quick);
      progress(`${w.id} on ${backend} (${reps} reps)…`);
      let dir: string | undefined;
      try {
        // One process per repetition: maxRSS is a high-water mark, so a shared process would report
        // the worst repetition plus whatever the earlier ones left to the garbage collector.
        const times: number[] = [];
        const cpu: number[] = [];
        let peak = 0;
        let flops: number | undefined;
        for (let r = 0; r < reps; r++) {
          let out: string;
          if (backend === 'numpy') {
            dir ??= mkdtempSync(join(tmpdir(), 'active-rm-bench-'));
            if (r === 0) writeNumpyData(w, dir);
            out = await run('python3', [numpyScript!, w.kind, dir, '1'], 3_600_000);
          } else {
            out = await run(process.execPath, [child, JSON.stringify(w), backend, '1'], 3_600_000);
          }
          const result = lastJson(out);
          times.push(...result.times);
          cpu.push(...(result.cpu ?? []));
          peak = Math.max(peak, result.peakBytes ?? 0);
          if (result.gflops !== undefined) row.gflops = result.gflops;
          flops = result.flops;
          if (result.extra) row.extra = result.extra;
          if (result.downdateShare !== undefined) row.downdateShare = result.downdateShare;
        }
        row.medianMs = median(times);
        row.reps = times.length;
        if (cpu.length) row.cpuMs = median(cpu);
        if (peak) row.peakBytes = peak;
        if (flops !== undefined) row.gflops = flops / (row.medianMs * 1e6);
      } catch (err) {
        row.note = `failed: ${err instanceof Error ? err.message : String(err)}`;
      } finally {
        if (dir) rmSync(dir, { recursive: true, force: true });
      }
    }
  }
  return rows;
}
