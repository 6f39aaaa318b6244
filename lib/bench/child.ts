/**
 * One benchmark case in its own process, so that its peak memory (maxRSS) is its own:
 *   node dist/bench/child.js <workload-json> <backend> <reps>
 * Prints one JSON line: { times: ms[], cpu: ms[], peakBytes, gflops?, flops?, downdateShare? }.
 */
import { resolveBackend } from '../backends/index.js';
import type { GreedyDesignArgs, ImplicitGreedyDesignArgs } from '../backends/interface.js';
import { loadNativeAddon } from '../backends/native.js';
import { selectPairs } from '../api/select-pairs.js';
import type { BackendName } from '../types.js';
import { median } from './stats.js';
import { plainDowndates, workloadData, type Workload } from './workloads.js';

async function main(): Promise<void> {
  const w = JSON.parse(process.argv[2]!) as Workload;
  const backend = process.argv[3] as BackendName;
  const reps = Number(process.argv[4]);
  const data = workloadData(w);
  const times: number[] = [];
  const cpu: number[] = [];
  let gflops: number | undefined;
  let flops: number | undefined;
  let downdateShare: number | undefined;
  if (w.projectionOnly) {
    const addon = loadNativeAddon();
    if (!addon) throw new Error('the native addon does not load');
    const factor = new Float64Array(w.d * w.d);
    // A well-conditioned dense lower factor: the cost does not depend on its values.
    for (let a = 0; a < w.d; a++) for (let b = 0; b <= a; b++) factor[a * w.d + b] = a === b ? 1 + a / w.d : 0.01 / (1 + a - b);
    await addon.projectResponses(data.features, data.n, data.d, factor);
    for (let r = 0; r < reps; r++) {
      const t0 = performance.now();
      const c0 = process.cpuUsage();
      await addon.projectResponses(data.features, data.n, data.d, factor);
      times.push(performance.now() - t0);
      cpu.push(cpuMs(c0));
    }
    // Useful multiply-adds of a triangular product: n·d(d+1)/2, two flops each.
    flops = data.n * w.d * (w.d + 1);
    gflops = flops / (median(times) * 1e6);
  } else {
    // The greedy kernel's downdate count (backends that report one) reaches the bench through a
    // wrapper on the resolved backend: selectPairs's result stays the public one.
    let downdates: number | undefined;
    let pool = 0;
    const resolved = resolveBackend(backend);
    const greedyDesign = resolved.greedyDesign.bind(resolved);
    resolved.greedyDesign = async (args: GreedyDesignArgs) => {
      const result = await greedyDesign(args);
      downdates = result.downdates;
      pool = args.lambdas.length;
      return result;
    };
    // The implicit exhaustive pool's kernel (lib/problem/implicit-pool.ts) reports its serial downdates alike.
    const greedyDesignImplicit = resolved.greedyDesignImplicit.bind(resolved);
    resolved.greedyDesignImplicit = async (args: ImplicitGreedyDesignArgs) => {
      const result = await greedyDesignImplicit(args);
      downdates = result.downdates;
      return result;
    };
    for (let r = 0; r < reps; r++) {
      const c0 = process.cpuUsage();
      const sel = await selectPairs({
        features: data.features, dim: data.d, promptIds: data.promptIds, head: data.head,
        pool: w.pool!, method: w.method!, k: w.k, ridge: data.ridge, lazy: w.lazy, backend,
      });
      times.push(sel.timings.total);
      cpu.push(cpuMs(c0));
      if (sel.pairs.length !== 2 * w.k) throw new Error('short selection');
      pool = sel.poolSize;
    }
    if (downdates !== undefined) downdateShare = downdates / plainDowndates(pool, w.k);
  }
  const peakBytes = process.resourceUsage().maxRSS * 1024;
  process.stdout.write(JSON.stringify({ times, cpu, peakBytes, gflops, flops, downdateShare }) + '\n');
}

/** CPU time of all the process's threads since c0: on a shared machine, wall time alone misleads. */
function cpuMs(c0: NodeJS.CpuUsage): number {
  const c = process.cpuUsage(c0);
  return (c.user + c.system) / 1000;
}

main().catch((err: unknown) => {
  process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
