/** The report as a fixed-width text table for stdout: one row per rule, one column per budget. */
import { metricNames, type MetricSeries, type Report } from './summary.js';

const fmt = (x: number): string => (Number.isNaN(x) ? 'n/a' : x.toFixed(3));
const signed = (x: number): string => (Number.isNaN(x) ? 'n/a' : (x >= 0 ? '+' : '') + x.toFixed(3));
const tau = (x: number | undefined): string => (x === undefined || !Number.isFinite(x) ? 'n/a' : Number(x.toPrecision(3)).toString());

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
    const primary = metric === report.target.metric;
    if (primary) header.push('   final − random [95%]', '   labels→target [95%]', '  final τ', '  std. prior');
    lines.push(header.join(''));
    for (const rule of rules) {
      const rep = report.rules[rule]!;
      const s = rep[metric] as MetricSeries;
      const cells = cols.map((c) => `${fmt(s.mean[c]!)} ±${fmt((s.hi[c]! - s.lo[c]!) / 2)}`.padStart(15));
      const row = [rule.padEnd(18), ...cells];
      if (primary) {
        const v = rep.vsRandom;
        const last = rep.budgets.length - 1;
        row.push((v ? `${signed(v.mean[last]!)} [${signed(v.lo[last]!)}, ${signed(v.hi[last]!)}]` : '—').padStart(24));
        const [lo, hi] = rep.labelsToTargetInterval;
        const reach = rep.labelsToTarget === null ? '—' : `${rep.labelsToTarget} [${lo ?? '—'}, ${hi ?? `>${rep.budgets[last]}`}]`;
        row.push(reach.padStart(23));
        row.push(tau(rep.ridge[last]).padStart(10));
        row.push((rep.standardized ? `${Math.round(100 * rep.standardized[last]!)} %` : '—').padStart(12));
      }
      lines.push(row.join(''));
    }
    lines.push('');
  }
  if (report.target.value !== null) lines.push(`target = ${report.target.definition} = ${fmt(report.target.value)}`);
  lines.push('final − random: paired over seeds (same pools and label coins); τ: the ridge of the last round (geometric mean over seeds); std. prior: share of seeds whose last round used the standardized prior shape');
  return lines.join('\n');
}
