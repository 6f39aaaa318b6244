import type { BenchRow } from './run.js';

const fmtMs = (ms: number): string => (Number.isNaN(ms) ? '—' : ms >= 10_000 ? `${(ms / 1000).toFixed(1)} s` : ms >= 1000 ? `${(ms / 1000).toFixed(2)} s` : `${ms.toFixed(1)} ms`);

/** A plain-text table: one line per (workload, backend), with the time relative to native. */
export function formatBenchTable(rows: readonly BenchRow[]): string {
  const header = ['workload', 'backend', 'median', 'cpu', 'reps', 'vs native', 'peak RSS', 'GFLOP/s', 'note'];
  const body: string[][] = [];
  for (const row of rows) {
    const native = rows.find((r) => r.workload === row.workload && r.backend === 'native');
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
      row.peakBytes ? `${(row.peakBytes / 2 ** 20).toFixed(0)} MB` : '',
      row.gflops !== undefined ? row.gflops.toFixed(1) : '',
      [row.note ?? '', extras].filter(Boolean).join('; '),
    ]);
  }
  const widths = header.map((h, c) => Math.max(h.length, ...body.map((r) => r[c]!.length)));
  const line = (cells: string[]) => cells.map((x, c) => x.padEnd(widths[c]!)).join('  ').trimEnd();
  const titles = [...new Map(rows.map((r) => [r.workload, r.title])).entries()].map(([id, t]) => `  ${id}: ${t}`);
  return [line(header), line(widths.map((w) => '-'.repeat(w))), ...body.map(line), '', ...titles].join('\n');
}
