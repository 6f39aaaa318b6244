/** The report as a fixed-width text table for stdout: one row per rule, one column per budget. */
import { metricNames, type MetricSeries, type Report } from './summary.js';

const fmt = (x: number): string => (Number.isNaN(x) ? 'n/a' : x.toFixed(3));

/** At most `maxCols` budgets, evenly spaced and always including the last. */
function columns(n: number, maxCols: number): number[] {
  if (n <= maxCols) return Array.from({ length: n }, (_, t) => t);
  const out = new Set<number>();
  for (let c = 0; c < maxCols; c++) out.add(Math.round(((c + 1) * n) / maxCols) - 1);
  return [...out];
}

export function formatTable(report: Report, metrics = [report.target.metric], maxCols = 6): string {
  const lines: string[] = [];
  const rules = Object.keys(report.rules);
  const budgets = report.rules[rules[0]!]?.budgets ?? [];
  const cols = columns(budgets.length, maxCols);
  const known = new Set(metricNames(report));
  for (const metric of metrics.filter((m) => known.has(m))) {
    const seeds = (report.config.seeds as number[] | undefined)?.length ?? '?';
    lines.push(`${metric}: mean ± 95% half-width over ${seeds} seeds, by labels so far`);
    const header = ['rule'.padEnd(18), ...cols.map((c) => String(budgets[c]).padStart(15))];
    if (metric === report.target.metric) header.push('  labels→target');
    lines.push(header.join(''));
    for (const rule of rules) {
      const s = report.rules[rule]![metric] as MetricSeries;
      const cells = cols.map((c) => `${fmt(s.mean[c]!)} ±${fmt((s.hi[c]! - s.lo[c]!) / 2)}`.padStart(15));
      const row = [rule.padEnd(18), ...cells];
      if (metric === report.target.metric) row.push(String(report.rules[rule]!.labelsToTarget ?? '—').padStart(15));
      lines.push(row.join(''));
    }
    lines.push('');
  }
  if (report.target.value !== null) lines.push(`target = ${report.target.definition} = ${fmt(report.target.value)}`);
  return lines.join('\n');
}
