/**
 * Learning curves: one panel per metric, mean line per rule with its 95 % band, compiled by
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

export function learningCurveSpec(report: Report, metrics = plotMetrics(report)): TopLevelSpec {
  const values: Array<Record<string, unknown>> = [];
  for (const [rule, rep] of Object.entries(report.rules)) {
    for (const metric of metrics) {
      const s = rep[metric] as MetricSeries | undefined;
      if (!s) continue;
      rep.budgets.forEach((labels, t) => {
        if (!Number.isNaN(s.mean[t]!)) values.push({ rule, metric, labels, mean: s.mean[t], lo: s.lo[t], hi: s.hi[t] });
      });
    }
  }
  const seeds = (report.config.seeds as number[] | undefined)?.length;
  const color = { field: 'rule', type: 'nominal', title: 'rule', scale: { scheme: 'tableau10' }, sort: Object.keys(report.rules) } as const;
  // One chart per metric, its y range set by the means: with ten rules and few seeds the 95 % bands
  // are wide, and letting them set the axis would flatten every curve into the middle.
  const panels = metrics.map((metric) => {
    const means = values.filter((v) => v.metric === metric).map((v) => v.mean as number);
    const lo = Math.min(...means);
    const hi = Math.max(...means);
    const pad = 0.1 * (hi - lo || 1);
    const domain = [lo - pad, hi + pad];
    return {
      width: 380,
      height: 280,
      title: metric,
      transform: [{ filter: { field: 'metric', equal: metric } }],
      layer: [
        {
          mark: { type: 'errorband', opacity: 0.08, clip: true },
          encoding: {
            x: { field: 'labels', type: 'quantitative' },
            y: { field: 'lo', type: 'quantitative', title: null, scale: { domain } },
            y2: { field: 'hi' },
            color,
          },
        },
        {
          mark: { type: 'line', point: { size: 18 }, strokeWidth: 1.8, clip: true },
          encoding: {
            x: { field: 'labels', type: 'quantitative', title: 'labels so far' },
            y: { field: 'mean', type: 'quantitative', title: `held-out ${metric}`, scale: { domain } },
            color,
          },
        },
      ],
    };
  });
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v5.json',
    title: { text: `Learning curves on ${basename(String(report.config.dataset))}`, subtitle: `mean over ${seeds ?? '?'} seeds; shaded: 95% interval`, anchor: 'start' },
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
