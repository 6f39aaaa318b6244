import { DISTRIBUTIONS } from './distributions.js';
import type { BenchRow } from './run.js';
import { median } from './stats.js';

const fmtMs = (ms: number): string => (Number.isNaN(ms) ? '—' : ms >= 10_000 ? `${(ms / 1000).toFixed(1)} s` : ms >= 1000 ? `${(ms / 1000).toFixed(2)} s` : `${ms.toFixed(1)} ms`);
const fmtMb = (bytes: number | undefined): string => (bytes ? `${(bytes / 2 ** 20).toFixed(0)} MB` : '');
const fmtShare = (x: number | undefined): string => (x === undefined || Number.isNaN(x) ? '' : `${(100 * x).toFixed(1)} %`);

function layout(header: string[], body: string[][]): string[] {
  const widths = header.map((h, c) => Math.max(h.length, ...body.map((r) => r[c]!.length)));
  const line = (cells: string[]) => cells.map((x, c) => x.padEnd(widths[c]!)).join('  ').trimEnd();
  return [line(header), line(widths.map((w) => '-'.repeat(w))), ...body.map(line)];
}

/** The row of the same case on the native backend. */
function nativeOf(rows: readonly BenchRow[], row: BenchRow): BenchRow | undefined {
  return rows.find((r) => r.workload === row.workload && r.backend === 'native');
}

/** A plain-text table: one line per (case, backend), with the time relative to native. */
export function formatBenchTable(rows: readonly BenchRow[]): string {
  const header = ['case', 'backend', 'median', 'cpu', 'reps', 'vs native', 'peak RSS', 'downdates', 'GFLOP/s', 'note'];
  const body: string[][] = [];
  for (const row of rows) {
    const native = nativeOf(rows, row);
    let ratio = '';
    if (native && !Number.isNaN(native.medianMs) && !Number.isNaN(row.medianMs) && row.backend !== 'native') {
      const r = row.medianMs / native.medianMs;
      ratio = r >= 1 ? `${r.toFixed(1)}× slower` : `${(1 / r).toFixed(1)}× faster`;
    }
    const extras = row.extra ? Object.entries(row.extra).map(([k, v]) => `${k} ${v.toFixed(1)}`).join(', ') : '';
    body.push([
      row.workload,
      row.backend,
      fmtMs(row.medianMs),
      row.cpuMs !== undefined ? fmtMs(row.cpuMs) : '',
      String(row.reps),
      ratio,
      fmtMb(row.peakBytes),
      fmtShare(row.downdateShare),
      row.gflops !== undefined ? row.gflops.toFixed(1) : '',
      [row.note ?? '', extras].filter(Boolean).join('; '),
    ]);
  }
  const kinds = [...new Set(rows.map((r) => `  ${r.kind}: ${r.title.split(';')[0]!}`))];
  const dists = DISTRIBUTIONS.filter((x) => rows.some((r) => r.distribution === x.id)).map((x) => `  ${x.id}: ${x.summary}`);
  return [
    ...layout(header, body),
    '',
    'worst and median over the suite (the data distributions):',
    formatSuiteSummary(rows),
    '',
    'workloads:',
    ...kinds,
    'distributions:',
    ...dists,
    '"downdates": the share of plain greedy\'s Sherman–Morrison downdates the kernel actually applied.',
  ].join('\n');
}

/**
 * Per (workload, backend): the worst and the median over the distributions of time, peak RSS and
 * downdate share, and, for the other backends, native's speed-up in wall and in CPU time (worst =
 * smallest).
 */
export function formatSuiteSummary(rows: readonly BenchRow[]): string {
  const header = ['workload', 'backend', 'cases', 'time worst', 'time median', 'RSS worst', 'RSS median', 'downdates worst', 'downdates median', 'native speed-up worst', 'median', 'in CPU time: worst', 'median'];
  const body: string[][] = [];
  const groups = new Map<string, BenchRow[]>();
  for (const row of rows) {
    if (Number.isNaN(row.medianMs)) continue;
    const key = `${row.kind}\u0000${row.backend}`;
    groups.set(key, [...(groups.get(key) ?? []), row]);
  }
  for (const [key, group] of groups) {
    const [kind, backend] = key.split('\u0000') as [string, string];
    const times = group.map((r) => r.medianMs);
    const rss = group.map((r) => r.peakBytes ?? NaN).filter((x) => !Number.isNaN(x));
    const shares = group.map((r) => r.downdateShare).filter((x): x is number => x !== undefined);
    const speedups = backend === 'native' ? [] : group.map((r) => r.medianMs / (nativeOf(rows, r)?.medianMs ?? NaN)).filter((x) => !Number.isNaN(x));
    // On a shared machine wall time waits for cores; CPU time (all threads) does not.
    const cpuSpeedups = backend === 'native' ? [] : group.map((r) => (r.cpuMs ?? NaN) / (nativeOf(rows, r)?.cpuMs ?? NaN)).filter((x) => !Number.isNaN(x));
    body.push([
      kind,
      backend,
      String(group.length),
      fmtMs(Math.max(...times)),
      fmtMs(median(times)),
      rss.length ? fmtMb(Math.max(...rss)) : '',
      rss.length ? fmtMb(median(rss)) : '',
      shares.length ? fmtShare(Math.max(...shares)) : '',
      shares.length ? fmtShare(median(shares)) : '',
      speedups.length ? `${Math.min(...speedups).toFixed(1)}×` : '',
      speedups.length ? `${median(speedups).toFixed(1)}×` : '',
      cpuSpeedups.length ? `${Math.min(...cpuSpeedups).toFixed(1)}×` : '',
      cpuSpeedups.length ? `${median(cpuSpeedups).toFixed(1)}×` : '',
    ]);
  }
  return layout(header, body).join('\n');
}
