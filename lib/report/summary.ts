/**
 * Campaign results → the report: per rule and budget, mean and 95 % interval over seeds; the
 * paired difference to random per seed (every rule of a seed sees the same pools, split and label
 * coins, so seed-to-seed variation cancels in the difference) with its interval; and the labels each
 * rule needs to reach random's final mean of the primary metric, with a bootstrap interval over seeds.
 */
import { Rng } from '../math/rng.js';
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
  /** 95 % bootstrap interval (over seeds) of labelsToTarget; null ends: not reached in the budget. */
  labelsToTargetInterval: [number | null, number | null];
  /** Geometric mean over seeds of the ridge τ each round's selection used. */
  ridge: number[];
  /** Share of seeds whose selection used the standardized prior shape, per round (absent when no
   * run recorded shapes). */
  standardized?: number[];
  /** The primary metric at the last budget, per seed in the config's seed order (for pairing
   * across reports: a seed has the same split, pools and label coins in every run). */
  finalBySeed?: number[];
  /** Primary metric minus random's, per seed and budget: mean and 95 % interval (absent for random). */
  vsRandom?: MetricSeries;
  [metric: string]: MetricSeries | number[] | number | null | [number | null, number | null] | undefined;
}

/** Keys of a RuleReport that are not metrics. */
const NOT_METRICS = new Set(['budgets', 'labelsToTarget', 'labelsToTargetInterval', 'ridge', 'standardized', 'vsRandom', 'finalBySeed']);
const BOOTSTRAP = 2000;

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
    const rep: RuleReport = {
      budgets: runs[0]!.budgets.slice(0, len),
      labelsToTarget: null,
      labelsToTargetInterval: [null, null],
      ridge: Array.from({ length: len }, (_, t) => Math.exp(runs.reduce((a, r) => a + Math.log(r.ridges?.[t] ?? NaN), 0) / runs.length)),
    };
    if (runs.every((r) => r.priors)) {
      rep.standardized = Array.from({ length: len }, (_, t) => runs.filter((r) => r.priors![t] === 'standardized').length / runs.length);
    }
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
    rep.finalBySeed = runs.map((r) => r.metrics[primary]![len - 1]!);
    rules[rule] = rep;
    timing[rule] = {
      selectMs: runs.reduce((a, r) => a + r.selectMs, 0),
      trainMs: runs.reduce((a, r) => a + r.trainMs, 0),
    };
  }
  const random = rules.random?.[primary] as MetricSeries | undefined;
  const final = random?.mean.at(-1);
  const value = final === undefined || Number.isNaN(final) ? null : final;
  if (value !== null) {
    for (const rep of Object.values(rules)) rep.labelsToTarget = labelsToTarget(rep.budgets, (rep[primary] as MetricSeries).mean, value);
  }
  if (results.random) {
    for (const [rule, runs] of Object.entries(results)) {
      const rep = rules[rule]!;
      if (rule !== 'random') rep.vsRandom = pairedDifference(runs, results.random, primary, rep.budgets.length);
      if (value !== null) rep.labelsToTargetInterval = bootstrapLabelsToTarget(runs, results.random, primary, rep.budgets);
    }
  }
  return {
    config,
    target: { metric: primary, value, definition: `the random rule's final mean ${primary}` + (random ? '' : ' (random was not run: no target)') },
    rules,
    timing,
  };
}

export function metricNames(report: Report): string[] {
  const first = Object.values(report.rules)[0];
  if (!first) return [];
  return Object.keys(first).filter((k) => !NOT_METRICS.has(k));
}

/** Seeds are paired by position: runComparison runs every rule over the same seed list. */
function pairedDifference(runs: CampaignResult[], random: CampaignResult[], metric: string, len: number): MetricSeries {
  const s: MetricSeries = { mean: [], lo: [], hi: [] };
  for (let t = 0; t < len; t++) {
    const iv = meanInterval(runs.map((r, i) => r.metrics[metric]![t]! - (random[i]?.metrics[metric]![t] ?? NaN)));
    s.mean.push(iv.mean);
    s.lo.push(iv.lo);
    s.hi.push(iv.hi);
  }
  return s;
}

/**
 * Resample seeds with replacement (the same draw for the rule and random, keeping the pairing),
 * recompute random's final mean and the labels at which the rule's mean curve reaches it. Not
 * reaching it counts as more than any budget; the interval is the 2.5 and 97.5 percentiles.
 */
function bootstrapLabelsToTarget(runs: CampaignResult[], random: CampaignResult[], metric: string, budgets: number[]): [number | null, number | null] {
  const n = runs.length;
  const last = budgets.length - 1;
  const rng = new Rng(20_240_601);
  const draws: number[] = [];
  for (let b = 0; b < BOOTSTRAP; b++) {
    const pick = Array.from({ length: n }, () => rng.int(n));
    const target = pick.reduce((a, i) => a + random[i]!.metrics[metric]![Math.min(last, random[i]!.budgets.length - 1)]!, 0) / n;
    const curve = budgets.map((_, t) => pick.reduce((a, i) => a + runs[i]!.metrics[metric]![t]!, 0) / n);
    draws.push(labelsToTarget(budgets, curve, target) ?? Infinity);
  }
  draws.sort((a, b) => a - b);
  const at = (q: number): number | null => {
    const v = draws[Math.min(draws.length - 1, Math.floor(q * draws.length))]!;
    return Number.isFinite(v) ? v : null;
  };
  return [at(0.025), at(0.975)];
}
