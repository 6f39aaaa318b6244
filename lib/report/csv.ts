/** The report in long form, one row per (rule, metric, budget): easy to load in pandas or R. */
import { metricNames, type MetricSeries, type Report } from './summary.js';

export function formatCsv(report: Report): string {
  const rows = ['rule,metric,labels,mean,lo,hi'];
  const num = (x: number): string => (Number.isNaN(x) ? '' : String(x));
  for (const [rule, rep] of Object.entries(report.rules)) {
    for (const metric of metricNames(report)) {
      const s = rep[metric] as MetricSeries;
      rep.budgets.forEach((b, t) => rows.push(`${rule},${metric},${b},${num(s.mean[t]!)},${num(s.lo[t]!)},${num(s.hi[t]!)}`));
    }
    // The paired difference to random (same seeds), as its own metric.
    const v = rep.vsRandom;
    if (v) rep.budgets.forEach((b, t) => rows.push(`${rule},${report.target.metric}-minus-random,${b},${num(v.mean[t]!)},${num(v.lo[t]!)},${num(v.hi[t]!)}`));
  }
  return rows.join('\n') + '\n';
}
