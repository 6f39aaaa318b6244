/** `active-rm bench`: time every backend that loads on the standard workloads (lib/bench). */
import { Command } from 'commander';
import { backendInfo } from '../backends/index.js';
import { formatBenchTable, runBenchmarks, type BenchBackend } from '../bench/index.js';
import type { BackendInfo } from '../types.js';
import { UsageError } from './errors.js';

const BACKENDS: readonly BenchBackend[] = ['js', 'native', 'cuda'];

function backendList(value: string): BenchBackend[] {
  const list = value.split(',').map((s) => s.trim()).filter(Boolean);
  const unknown = list.filter((b) => !(BACKENDS as readonly string[]).includes(b));
  if (list.length === 0 || unknown.length > 0) {
    throw new UsageError(`--backends "${value}": expected a comma-separated list of ${BACKENDS.join(', ')}`);
  }
  return [...new Set(list)] as BenchBackend[];
}

/** Default: the backends that load here, fastest first (the order the table reads best in). */
function loadedBackends(info: BackendInfo): BenchBackend[] {
  return [...(info.cuda.available ? ['cuda' as const] : []), ...(info.native.available ? ['native' as const] : []), 'js'];
}

export function benchCommand(): Command {
  return new Command('bench')
    .description('time every backend that loads (and numpy, when python3 has it) on the standard workloads')
    .option('--backends <list>', `comma-separated subset of ${BACKENDS.join(',')} (default: those that load)`, backendList)
    .option('--quick', 'small workloads and fewer repetitions (a smoke test, not a measurement)')
    .option('--only <list>', 'comma-separated substrings of case ids (<workload>/<distribution>) to run', (v: string) => v.split(',').map((s) => s.trim()).filter(Boolean))
    .option('--json', 'print the rows as a JSON array instead of the table')
    .action(async (o: { backends?: BenchBackend[]; quick?: boolean; only?: string[]; json?: boolean }) => {
      const info = backendInfo();
      const backends = o.backends ?? loadedBackends(info);
      const rows = await runBenchmarks({
        backends,
        quick: o.quick ?? false,
        only: o.only,
        // Progress on stderr keeps stdout a clean table or JSON document.
        onProgress: (msg) => void process.stderr.write(`bench: ${msg}\n`),
      });
      process.stdout.write(o.json ? JSON.stringify(rows) + '\n' : formatBenchTable(rows) + '\n');
    });
}
