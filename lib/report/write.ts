/** Writes report.json, report.csv, curves.svg and curves.png into a folder. */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { formatCsv } from './csv.js';
import { learningCurveSpec, renderSvg, svgToPng } from './plot.js';
import type { Report } from './summary.js';

/** JSON has no NaN: an undefined metric (e.g. no seed had one) is written as null. */
export function reportJson(report: Report): string {
  return JSON.stringify(report, (_, v) => (typeof v === 'number' && !Number.isFinite(v) ? null : v), 2) + '\n';
}

export async function writeReport(report: Report, dir: string): Promise<string[]> {
  mkdirSync(dir, { recursive: true });
  const files = {
    json: join(dir, 'report.json'),
    csv: join(dir, 'report.csv'),
    svg: join(dir, 'curves.svg'),
    png: join(dir, 'curves.png'),
  };
  writeFileSync(files.json, reportJson(report));
  writeFileSync(files.csv, formatCsv(report));
  const svg = await renderSvg(learningCurveSpec(report));
  writeFileSync(files.svg, svg);
  writeFileSync(files.png, svgToPng(svg));
  return Object.values(files);
}
