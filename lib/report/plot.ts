/**
 * Learning curves: the primary metric, its paired difference to random, and best-of-N, each with
 * random and the best few rules, mean line and 95 % band per rule, compiled by
 * vega-lite, rendered headless by vega to SVG, rasterized by resvg to PNG.
 */
import { basename } from 'node:path';
import { Resvg } from '@resvg/resvg-js';
import * as vega from 'vega';
import { compile, type TopLevelSpec } from 'vega-lite';
import { metricNames, type MetricSeries, type Report } from './summary.js';

/** Panels: the primary metric and, for golden-reward data, the largest best-of-N. */
export function plotMetrics(report: Report): string[] {
  const names = metricNames(report);
  const bon = names.filter((n) => n.startsWith('bon@')).at(-1);
  return [report.target.metric, ...(bon ? [bon] : [])];
}

/** What each metric means, printed under the plot's title. */
const METRIC_HELP: Record<string, string> = {
  spearman: 'spearman: mean over held-out prompts of the Spearman rank correlation between predicted and golden rewards of its responses',
  accuracy: 'accuracy: share of held-out human-labeled pairs whose preferred response the model scores higher',
  bon: 'bon@N: golden reward of the response the model ranks first among N (best-of-N), averaged over held-out prompts',
  vs: '− random: the rule minus random on the same seed (same pools, split and label coins), averaged over seeds',
};

/** Rules drawn: random (the baseline) and the best few by final primary mean, so the panels stay legible. */
export function plottedRules(report: Report, most = 4): string[] {
  const primary = report.target.metric;
  const finalOf = (rule: string): number => {
    const s = report.rules[rule]![primary] as MetricSeries | undefined;
    return s?.mean.at(-1) ?? -Infinity;
  };
  const others = Object.keys(report.rules).filter((r) => r !== 'random').sort((a, b) => finalOf(b) - finalOf(a));
  return [...(report.rules.random ? ['random'] : []), ...others].slice(0, most);
}

export function learningCurveSpec(report: Report, metrics = plotMetrics(report)): TopLevelSpec {
  const rules = plottedRules(report);
  const primary = report.target.metric;
  const diffName = `${primary} − random`;
  const values: Array<Record<string, unknown>> = [];
  const push = (rule: string, metric: string, budgets: number[], s: MetricSeries): void => {
    budgets.forEach((labels, t) => {
      if (!Number.isNaN(s.mean[t]!)) values.push({ rule, metric, labels, mean: s.mean[t], lo: s.lo[t], hi: s.hi[t] });
    });
  };
  for (const rule of rules) {
    const rep = report.rules[rule]!;
    for (const metric of metrics) {
      const s = rep[metric] as MetricSeries | undefined;
      if (s) push(rule, metric, rep.budgets, s);
    }
    if (rep.vsRandom) push(rule, diffName, rep.budgets, rep.vsRandom);
  }
  const panelsOf = [metrics[0]!, ...(report.rules.random && rules.length > 1 ? [diffName] : []), ...metrics.slice(1)];
  const seeds = (report.config.seeds as number[] | undefined)?.length;
  const color = { field: 'rule', type: 'nominal', title: 'rule', scale: { scheme: 'tableau10' }, sort: rules } as const;
  const panels = panelsOf.map((metric) => {
    const isDiff = metric === diffName;
    // y range from the bands of the drawn rules (few rules now, so bands no longer flatten the curves).
    const own = values.filter((v) => v.metric === metric);
    const lo = Math.min(...own.map((v) => v.lo as number), isDiff ? 0 : Infinity);
    const hi = Math.max(...own.map((v) => v.hi as number), isDiff ? 0 : -Infinity);
    const pad = 0.05 * (hi - lo || 1);
    const domain = [lo - pad, hi + pad];
    const layer: unknown[] = [
      {
        // Differences sit close together: faint fill, outlined, so overlapping bands stay tellable apart.
        mark: { type: 'errorband', opacity: isDiff ? 0.05 : 0.16, clip: true, borders: { strokeOpacity: isDiff ? 0.9 : 0.5, strokeDash: [3, 3] } },
        encoding: {
          x: { field: 'labels', type: 'quantitative' },
          y: { field: 'lo', type: 'quantitative', title: null, scale: { domain } },
          y2: { field: 'hi' },
          color,
        },
      },
      {
        mark: { type: 'line', point: { size: 18 }, strokeWidth: 2, clip: true },
        encoding: {
          x: { field: 'labels', type: 'quantitative', title: 'labels so far' },
          y: { field: 'mean', type: 'quantitative', title: isDiff ? `${diffName} (paired)` : `held-out ${metric}`, scale: { domain } },
          color,
        },
      },
    ];
    if (isDiff) layer.push({ data: { values: [{ zero: 0 }] }, mark: { type: 'rule', color: '#444', strokeDash: [4, 3] }, encoding: { y: { field: 'zero', type: 'quantitative' } } });
    return { width: 340, height: 260, title: metric, transform: [{ filter: { field: 'metric', equal: metric } }], layer };
  });
  const help = panelsOf.map((m) => (m === diffName ? METRIC_HELP.vs! : m.startsWith('bon@') ? METRIC_HELP.bon! : (METRIC_HELP[m] ?? m)));
  const hidden = Object.keys(report.rules).length - rules.length;
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v5.json',
    title: {
      text: `Learning curves on ${basename(String(report.config.dataset))}`,
      subtitle: [
        `mean over ${seeds ?? '?'} seeds; shaded: 95% interval (Student t)` + (hidden > 0 ? `; random and the ${rules.length - 1} best rules by final ${primary} (${hidden} more in report.csv)` : ''),
        ...help,
      ],
      anchor: 'start',
    },
    data: { values },
    hconcat: panels,
    resolve: { scale: { y: 'independent' } },
    config: { font: 'DejaVu Sans', background: 'white', legend: { symbolOpacity: 1, symbolType: 'stroke', symbolStrokeWidth: 3 } },
  } as TopLevelSpec;
}

export async function renderSvg(spec: TopLevelSpec): Promise<string> {
  const view = new vega.View(vega.parse(compile(spec).spec), { renderer: 'none' });
  return view.toSVG();
}

export function svgToPng(svg: string): Buffer {
  return new Resvg(svg, { font: { loadSystemFonts: true }, fitTo: { mode: 'zoom', value: 2 }, background: 'white' }).render().asPng();
}
