/**
 * `npm run bench` (node dist/bench/index.js [--quick] [--backends native,js,cuda] [--only a,b] [--json])
 * and the API the CLI's `active-rm bench` uses. `--only` keeps the cases whose id
 * (`<workload>/<distribution>`) contains one of the strings, e.g. `--only greedy-within,/zero-head`.
 */
import { realpathSync } from 'node:fs';
import { cpus } from 'node:os';
import { fileURLToPath } from 'node:url';
import { loadNativeBackend } from '../backends/native.js';
import { runBenchmarks, type BenchBackend } from './run.js';
import { formatBenchTable } from './table.js';

export { runBenchmarks, type BenchBackend, type BenchOptions, type BenchRow } from './run.js';
export { formatBenchTable, formatSuiteSummary } from './table.js';
export { WORKLOADS, type Workload } from './workloads.js';
export { DISTRIBUTIONS, generate, type DistributionId } from './distributions.js';

function option(argv: string[], name: string): string[] | undefined {
  const at = argv.indexOf(name);
  if (at < 0) return undefined;
  const value = argv[at + 1];
  if (value === undefined || value.startsWith('--')) throw new Error(`${name} needs a comma-separated list`);
  return value.split(',').map((s) => s.trim()).filter(Boolean);
}

async function main(argv: string[]): Promise<void> {
  const quick = argv.includes('--quick');
  const backends = option(argv, '--backends') as BenchBackend[] | undefined;
  const only = option(argv, '--only');
  const native = loadNativeBackend().info;
  console.log(`machine: ${cpus()[0]?.model ?? 'unknown CPU'}, ${cpus().length} cores; node ${process.version}`);
  console.log(`native: ${native.available ? `loaded (${native.simd}) from ${native.path}` : `not available: ${native.reason}`}`);
  const rows = await runBenchmarks({ backends, quick, only, onProgress: (m) => console.error(m) });
  console.log(argv.includes('--json') ? JSON.stringify(rows) : formatBenchTable(rows));
}

const invoked = process.argv[1] ? realpathSync(process.argv[1]) : '';
if (invoked === realpathSync(fileURLToPath(import.meta.url))) {
  main(process.argv.slice(2)).catch((err: unknown) => {
    console.error(err);
    process.exit(1);
  });
}
