/** The two output shapes of `select`: JSONL rows for annotation tools, one JSON object for scripts. */
import type { PairRow } from '../io/annotation-formats.js';
import type { ResponseRecord } from '../io/responses.js';
import type { Selection } from '../types.js';

export interface SelectionRow {
  i: number;
  j: number;
  prompt_i: number;
  prompt_j: number;
  score: number;
  gain: number;
}

export function selectionRows(s: Selection, promptOf: (i: number) => number): SelectionRow[] {
  const rows: SelectionRow[] = [];
  for (let t = 0; t < s.pairs.length / 2; t++) {
    const i = s.pairs[2 * t]!;
    const j = s.pairs[2 * t + 1]!;
    rows.push({ i, j, prompt_i: promptOf(i), prompt_j: promptOf(j), score: s.scores[t]!, gain: s.gains[t]! });
  }
  return rows;
}

export function selectionJson(s: Selection): Record<string, unknown> {
  const pairs: [number, number][] = [];
  for (let t = 0; t < s.pairs.length / 2; t++) pairs.push([s.pairs[2 * t]!, s.pairs[2 * t + 1]!]);
  return {
    pairs,
    scores: Array.from(s.scores),
    gains: Array.from(s.gains),
    logDet: s.logDet,
    method: s.method,
    backend: s.backend,
    seconds: s.timings.total / 1000,
    poolSize: s.poolSize,
    ridge: s.ridge,
    ridgeSource: s.ridgeSource,
    prior: s.prior,
  };
}

/** Adds ids and texts from responses.jsonl (when given) to the rows, for annotation tools. */
export function withTexts(rows: readonly SelectionRow[], responses?: readonly ResponseRecord[]): PairRow[] {
  if (!responses) return [...rows];
  return rows.map((r) => {
    const a = responses[r.i]!;
    const b = responses[r.j]!;
    const out: PairRow = { ...r, id_i: a.id, id_j: b.id };
    const prompt = a.prompt ?? b.prompt;
    if (prompt !== undefined) out.prompt = b.prompt === undefined || a.prompt === b.prompt ? prompt : `${a.prompt ?? ''}\n---\n${b.prompt}`;
    if (a.response !== undefined) out.response_i = a.response;
    if (b.response !== undefined) out.response_j = b.response;
    return out;
  });
}
