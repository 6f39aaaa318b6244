/**
 * `npm run bench` (node dist/bench/index.js [--quick] [--backends native,js,cuda]) and the API the
 * CLI's `active-rm bench` uses.
 */
import { realpathSync } from 'node:fs';
import { cpus } from 'node:os';
import { fileURLToPath } from 'node:url';
import { loadNativeBackend } from '../backends/native.js';
import { runBenchmarks, type BenchBackend } from './run.js';
import { formatBenchTable } from './table.js';

export { runBenchmarks, type BenchBackend, type BenchOptions, type BenchRow } from './run.js';
export { formatBenchTable } from './table.js';
export { WORKLOADS, type Workload } from './workloads.js';

async function main(argv: string[]): Promise<void> {
  const quick = argv.includes('--quick');
  const at = argv.indexOf('--backends');
  const backends = at >= 0 ? (argv[at + 1]!.split(',') as BenchBackend[]) : undefined;
  const native = loadNativeBackend().info;
  console.log(`machine: ${cpus()[0]?.model ?? 'unknown CPU'}, ${cpus().length} cores; node ${process.version}`);
  console.log(`native: ${native.available ? `loaded (${native.simd}) from ${native.path}` : `not available: ${native.reason}`}`);
  const rows = await runBenchmarks({ backends, quick, onProgress: (m) => console.error(m) });
  console.log(formatBenchTable(rows));
}

const invoked = process.argv[1] ? realpathSync(process.argv[1]) : '';
if (invoked === realpathSync(fileURLToPath(import.meta.url))) {
  main(process.argv.slice(2)).catch((err: unknown) => {
    console.error(err);
    process.exit(1);
  });
}
