/**
 * The shapes annotation tools take and give back.
 *
 * Out: JSONL (our own rows), Label Studio (one JSON array of tasks for the Pairwise template:
 * data.text1 / data.text2, the pair in meta, the score as a prediction score) and Argilla (JSONL
 * records with prompt, response_1, response_2 and metadata).
 * In: the exports of those two tools, turned into `{"id_i","id_j","label"}` labels; tasks nobody
 * annotated are skipped and counted, because a half-finished round is normal.
 */
import { readFileSync } from 'node:fs';
import { InputFileError } from './errors.js';
import { readJsonl } from './jsonl.js';

export const OUTPUT_FORMATS = ['jsonl', 'label-studio', 'argilla'] as const;
export type OutputFormat = (typeof OUTPUT_FORMATS)[number];
export const INPUT_FORMATS = ['label-studio', 'argilla'] as const;
export type InputFormat = (typeof INPUT_FORMATS)[number];

/** One selected pair with whatever is known about its two responses. */
export interface PairRow {
  i: number;
  j: number;
  prompt_i: number | string;
  prompt_j: number | string;
  score: number;
  gain: number;
  id_i?: string;
  id_j?: string;
  prompt?: string;
  response_i?: string;
  response_j?: string;
}

/** File text of a batch in the given format. */
export function formatPairs(rows: readonly PairRow[], format: OutputFormat): string {
  if (format === 'label-studio') return JSON.stringify(rows.map(labelStudioTask), null, 1) + '\n';
  const records = format === 'argilla' ? rows.map(argillaRecord) : rows;
  return records.map((r) => JSON.stringify(r)).join('\n') + (records.length ? '\n' : '');
}

function pairMeta(r: PairRow): Record<string, unknown> {
  return { id_i: r.id_i ?? null, id_j: r.id_j ?? null, i: r.i, j: r.j, prompt_i: r.prompt_i, prompt_j: r.prompt_j, score: r.score, gain: r.gain };
}

function labelStudioTask(r: PairRow): Record<string, unknown> {
  return {
    data: { prompt: r.prompt ?? '', text1: r.response_i ?? '', text2: r.response_j ?? '', id_i: r.id_i ?? null, id_j: r.id_j ?? null },
    meta: pairMeta(r),
    predictions: [{ model_version: 'active-rm', score: r.score, result: [] }],
  };
}

function argillaRecord(r: PairRow): Record<string, unknown> {
  return { prompt: r.prompt ?? '', response_1: r.response_i ?? '', response_2: r.response_j ?? '', metadata: pairMeta(r) };
}

/** A label keyed by response ids (or by row indices when a batch had no ids). */
export interface IdLabel {
  id_i?: string;
  id_j?: string;
  i?: number;
  j?: number;
  /** 1 when the first response (text1 / response_1) was preferred. */
  label: 0 | 1;
}

export interface ConvertedLabels {
  labels: IdLabel[];
  /** Tasks or records without a usable annotation. */
  skipped: number;
  total: number;
}

export function readAnnotations(path: string, from: InputFormat): ConvertedLabels {
  return from === 'label-studio' ? readLabelStudio(path) : readArgilla(path);
}

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Which pair a task or record is: ids (data or meta/metadata), else the row indices in meta. */
function pairOf(sources: (Obj | undefined)[], path: string, where: string): Omit<IdLabel, 'label'> {
  for (const s of sources) {
    if (s && s.id_i !== undefined && s.id_i !== null && s.id_j !== undefined && s.id_j !== null) {
      return { id_i: String(s.id_i), id_j: String(s.id_j) };
    }
  }
  for (const s of sources) {
    if (s && Number.isSafeInteger(s.i) && Number.isSafeInteger(s.j)) return { i: s.i as number, j: s.j as number };
  }
  throw new InputFileError(path, `${where}: no "id_i"/"id_j" (or "i"/"j") in its data or metadata; was it made from an active-rm batch?`);
}

/**
 * Label Studio JSON export: an array of tasks; a Pairwise annotation's result has
 * value.selected = "left" (text1) or "right" (text2). Cancelled annotations do not count.
 */
function readLabelStudio(path: string): ConvertedLabels {
  let tasks: unknown;
  try {
    tasks = JSON.parse(readFileSync(path, 'utf8'));
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw new InputFileError(path, 'no such file; check the path');
    throw new InputFileError(path, `not a Label Studio JSON export (${code ?? (err as Error).message}); export the project as JSON`);
  }
  if (!Array.isArray(tasks)) throw new InputFileError(path, 'a Label Studio JSON export is an array of tasks; export the project as "JSON", not JSON-MIN or CSV');
  const labels: IdLabel[] = [];
  let skipped = 0;
  tasks.forEach((task, t) => {
    const where = `task ${t + 1}`;
    if (!isObj(task)) throw new InputFileError(path, `${where}: expected an object with "data" and "annotations"`);
    const selected = labelStudioChoice(task);
    if (selected === undefined) {
      skipped++;
      return;
    }
    labels.push({ ...pairOf([isObj(task.data) ? task.data : undefined, isObj(task.meta) ? task.meta : undefined], path, where), label: selected === 'left' ? 1 : 0 });
  });
  return { labels, skipped, total: tasks.length };
}

function labelStudioChoice(task: Obj): 'left' | 'right' | undefined {
  const annotations = Array.isArray(task.annotations) ? task.annotations : [];
  for (const a of annotations) {
    if (!isObj(a) || a.was_cancelled === true || !Array.isArray(a.result)) continue;
    for (const r of a.result) {
      const selected = isObj(r) && isObj(r.value) ? r.value.selected : undefined;
      if (selected === 'left' || selected === 'right') return selected;
    }
  }
  return undefined;
}

/**
 * Argilla export as JSONL records. The choice comes from the first submitted response of a
 * ranking question (rank 1 wins) or of a label question whose value is "response_1"/"response_2";
 * both Argilla 1.x (`responses: [{values: {q: {value}}, status}]`) and 2.x
 * (`responses: {q: [{value, status?}]}`) layouts are read.
 */
function readArgilla(path: string): ConvertedLabels {
  const rows = readJsonl(path);
  const labels: IdLabel[] = [];
  let skipped = 0;
  for (const { line, value } of rows) {
    const where = `line ${line}`;
    if (!isObj(value)) throw new InputFileError(path, `${where}: expected an Argilla record object`);
    const winner = argillaChoice(value);
    if (winner === undefined) {
      skipped++;
      continue;
    }
    const meta = isObj(value.metadata) ? value.metadata : undefined;
    labels.push({ ...pairOf([meta, value], path, where), label: winner === 'response_1' ? 1 : 0 });
  }
  return { labels, skipped, total: rows.length };
}

function argillaChoice(rec: Obj): 'response_1' | 'response_2' | undefined {
  const values: unknown[] = [];
  if (Array.isArray(rec.responses)) {
    for (const r of rec.responses) {
      if (!isObj(r) || (r.status !== undefined && r.status !== 'submitted') || !isObj(r.values)) continue;
      for (const q of Object.values(r.values)) if (isObj(q)) values.push(q.value);
    }
  } else if (isObj(rec.responses)) {
    for (const answers of Object.values(rec.responses)) {
      if (!Array.isArray(answers)) continue;
      for (const a of answers) if (isObj(a) && (a.status === undefined || a.status === 'submitted')) values.push(a.value);
    }
  }
  for (const v of values) {
    const w = winnerOf(v);
    if (w) return w;
  }
  return undefined;
}

function winnerOf(v: unknown): 'response_1' | 'response_2' | undefined {
  if (v === 'response_1' || v === 'response_2') return v;
  if (!Array.isArray(v) || v.length === 0) return undefined;
  // Ranking: either [{value, rank}] or the values in rank order.
  if (isObj(v[0])) {
    const ranked = (v as Obj[]).filter((x) => x.value === 'response_1' || x.value === 'response_2');
    ranked.sort((a, b) => Number(a.rank) - Number(b.rank));
    return ranked.length === 2 && Number(ranked[0]!.rank) < Number(ranked[1]!.rank) ? (ranked[0]!.value as 'response_1' | 'response_2') : undefined;
  }
  return winnerOf(v[0]);
}
