/**
 * Campaign results → the report: per rule and budget, mean and 95 % interval over seeds, and the
 * labels each rule needs to reach a target (95 % of the final random-rule mean of the primary
 * metric).
 */
import type { CampaignResult } from '../simulate/campaign.js';
import { labelsToTarget } from '../simulate/metrics.js';
import { meanInterval } from './stats.js';

export interface MetricSeries {
  mean: number[];
  lo: number[];
  hi: number[];
}

export interface RuleReport {
  budgets: number[];
  /** Labels at which the mean primary metric first reaches the target; null if never. */
  labelsToTarget: number | null;
  [metric: string]: MetricSeries | number[] | number | null;
}

export interface Report {
  config: Record<string, unknown>;
  /** The main metric (spearman, or accuracy for labeled-pair data) and its target. */
  target: { metric: string; value: number | null; definition: string };
  rules: Record<string, RuleReport>;
  timing: Record<string, { selectMs: number; trainMs: number }>;
}

export function summarize(config: Record<string, unknown>, results: Record<string, CampaignResult[]>): Report {
  const rules: Record<string, RuleReport> = {};
  const timing: Report['timing'] = {};
  let primary = '';
  for (const [rule, runs] of Object.entries(results)) {
    // Seeds can stop early when a pool runs dry; report the budgets every seed reached.
    const len = Math.min(...runs.map((r) => r.budgets.length));
    const names = Object.keys(runs[0]!.metrics);
    primary ||= names[0]!;
    const rep: RuleReport = { budgets: runs[0]!.budgets.slice(0, len), labelsToTarget: null };
    for (const name of names) {
      const s: MetricSeries = { mean: [], lo: [], hi: [] };
      for (let t = 0; t < len; t++) {
        const iv = meanInterval(runs.map((r) => r.metrics[name]![t]!));
        s.mean.push(iv.mean);
        s.lo.push(iv.lo);
        s.hi.push(iv.hi);
      }
      rep[name] = s;
    }
    rules[rule] = rep;
    timing[rule] = {
      selectMs: runs.reduce((a, r) => a + r.selectMs, 0),
      trainMs: runs.reduce((a, r) => a + r.trainMs, 0),
    };
  }
  const random = rules.random?.[primary] as MetricSeries | undefined;
  const final = random?.mean.at(-1);
  const value = final === undefined || Number.isNaN(final) ? null : 0.95 * final;
  if (value !== null) {
    for (const rep of Object.values(rules)) rep.labelsToTarget = labelsToTarget(rep.budgets, (rep[primary] as MetricSeries).mean, value);
  }
  return {
    config,
    target: { metric: primary, value, definition: `95% of the random rule's final mean ${primary}` + (random ? '' : ' (random was not run: no target)') },
    rules,
    timing,
  };
}

export function metricNames(report: Report): string[] {
  const first = Object.values(report.rules)[0];
  if (!first) return [];
  return Object.keys(first).filter((k) => k !== 'budgets' && k !== 'labelsToTarget');
}
