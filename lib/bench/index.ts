/**
 * `npm run bench` (node dist/bench/index.js [--quick] [--backends native,js,cuda] [--only a,b] [--json])
 * and the API the CLI's `active-rm bench` uses. `--only` keeps the cases whose id
 * (`<workload>/<distribution>`) contains one of the strings, e.g. `--only greedy-within,/zero-head`.
 */
import { realpathSync } from 'node:fs';
import { cpus } from 'node:os';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { loadNativeBackend } from '../backends/native.js';
import { runBenchmarks, type BenchBackend } from './run.js';
import { formatBenchTable } from './table.js';

export { runBenchmarks, type BenchBackend, type BenchOptions, type BenchRow } from './run.js';
export { formatBenchTable, formatSuiteSummary } from './table.js';
export { WORKLOADS, type Workload } from './workloads.js';
export { DISTRIBUTIONS, generate, type DistributionId } from './distributions.js';

const USAGE = `usage: npm run bench -- [--quick] [--backends native,js,cuda] [--only a,b] [--json]
  --quick      small workloads and fewer repetitions (a smoke test, not a measurement)
  --backends   comma-separated subset of native, js, cuda (default: those that load)
  --only       comma-separated substrings of case ids (<workload>/<distribution>) to run
  --json       print the rows as a JSON array instead of the table`;

const list = (value: string | undefined): string[] | undefined => value?.split(',').map((s) => s.trim()).filter(Boolean);

async function main(argv: string[]): Promise<void> {
  // strict: an unknown or misspelled option is an error, not a full run that ignores it.
  const { values } = parseArgs({
    args: argv,
    strict: true,
    allowPositionals: false,
    options: { quick: { type: 'boolean' }, backends: { type: 'string' }, only: { type: 'string' }, json: { type: 'boolean' }, help: { type: 'boolean', short: 'h' } },
  });
  if (values.help) {
    console.log(USAGE);
    return;
  }
  const backends = list(values.backends) as BenchBackend[] | undefined;
  const unknown = backends?.filter((b) => !['native', 'js', 'cuda'].includes(b)) ?? [];
  if (unknown.length > 0 || backends?.length === 0) throw new Error(`--backends "${values.backends}": expected a comma-separated list of native, js, cuda`);
  const native = loadNativeBackend().info;
  console.log(`machine: ${cpus()[0]?.model ?? 'unknown CPU'}, ${cpus().length} cores; node ${process.version}`);
  console.log(`native: ${native.available ? `loaded (${native.simd}) from ${native.path}` : `not available: ${native.reason}`}`);
  const rows = await runBenchmarks({ backends, quick: values.quick ?? false, only: list(values.only), onProgress: (m) => console.error(m) });
  console.log(values.json ? JSON.stringify(rows) : formatBenchTable(rows));
}

const invoked = process.argv[1] ? realpathSync(process.argv[1]) : '';
if (invoked === realpathSync(fileURLToPath(import.meta.url))) {
  main(process.argv.slice(2)).catch((err: unknown) => {
    const usage = (err as { code?: string }).code?.startsWith('ERR_PARSE_ARGS') || /^--backends/.test((err as Error).message);
    console.error(`bench: ${(err as Error).message}${usage ? `\n${USAGE}` : ''}`);
    process.exit(usage ? 2 : 1);
  });
}
