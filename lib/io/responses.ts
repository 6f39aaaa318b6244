/**
 * responses.jsonl: one line per embedding row, in row order, `{"id", "prompt_id"?, "prompt"?,
 * "response"?}`. The ids are what survives between rounds (row indices do not), so they are
 * checked hard: present, unique, one per row.
 */
import { InputFileError } from './errors.js';
import { readJsonl } from './jsonl.js';

export interface ResponseRecord {
  id: string;
  /** Prompt key as text (numbers are stringified), undefined when the line has none. */
  promptId?: string;
  prompt?: string;
  response?: string;
}

export function readResponses(path: string, rows?: number): ResponseRecord[] {
  const lines = readJsonl(path);
  if (rows !== undefined && lines.length !== rows) {
    throw new InputFileError(path, `has ${lines.length} responses but the embeddings have ${rows} rows; give one line per row, in row order`);
  }
  const seen = new Map<string, number>();
  return lines.map(({ line, value }) => {
    if (typeof value !== 'object' || value === null || Array.isArray(value)) {
      throw new InputFileError(path, `line ${line}: expected an object like {"id": "r1", "prompt_id": "p1", "prompt": "…", "response": "…"}`);
    }
    const rec = value as Record<string, unknown>;
    const id = key(rec.id, 'id', path, line);
    if (id === undefined) throw new InputFileError(path, `line ${line}: missing "id" (a unique response id, string or integer)`);
    const first = seen.get(id);
    if (first !== undefined) throw new InputFileError(path, `line ${line}: id "${id}" already used on line ${first}; ids must be unique`);
    seen.set(id, line);
    return {
      id,
      promptId: key(rec.prompt_id, 'prompt_id', path, line),
      prompt: text(rec.prompt, 'prompt', path, line),
      response: text(rec.response, 'response', path, line),
    };
  });
}

function key(v: unknown, name: string, path: string, line: number): string | undefined {
  if (v === undefined || v === null) return undefined;
  if (typeof v === 'string' && v !== '') return v;
  if (typeof v === 'number' && Number.isSafeInteger(v)) return String(v);
  throw new InputFileError(path, `line ${line}: "${name}" must be a non-empty string or an integer, got ${JSON.stringify(v)}`);
}

function text(v: unknown, name: string, path: string, line: number): string | undefined {
  if (v === undefined || v === null) return undefined;
  if (typeof v === 'string') return v;
  throw new InputFileError(path, `line ${line}: "${name}" must be a string, got ${JSON.stringify(v)}`);
}

/** Row index of every id, for turning id-keyed labels into index pairs. */
export function indexOfIds(records: readonly ResponseRecord[]): Map<string, number> {
  return new Map(records.map((r, k) => [r.id, k]));
}
