/**
 * JSON Lines for pairs: labeled pairs in (`{"i":…,"j":…,"label":0|1}`, what annotation tools
 * export) and selections out (one pair a line, what annotation tools import). Errors name the
 * file and the line so a bad export can be fixed by hand.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { InputFileError } from './errors.js';

/** Parsed JSON values of the non-blank lines, with their 1-based line numbers. */
export function readJsonl(path: string): { line: number; value: unknown }[] {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw new InputFileError(path, 'no such file; check the path');
    throw new InputFileError(path, `cannot read (${code ?? (err as Error).message})`);
  }
  const out: { line: number; value: unknown }[] = [];
  const lines = text.split('\n');
  for (let k = 0; k < lines.length; k++) {
    const raw = lines[k].trim();
    if (raw === '') continue;
    try {
      out.push({ line: k + 1, value: JSON.parse(raw) });
    } catch (err) {
      throw new InputFileError(path, `line ${k + 1}: not valid JSON (${(err as Error).message})`);
    }
  }
  return out;
}

export interface LabeledPairs {
  /** i, j interleaved, i < j. */
  pairs: Int32Array;
  /** 1 when the pair's i (after ordering i < j) was preferred; absent when no line has a label. */
  labels?: Uint8Array;
}

/**
 * Reads `{"i":…,"j":…,"label":…}` lines. A line with i > j is stored as (j, i) with the label
 * flipped, so the preference it records is unchanged. Either every line has a label or none does:
 * a half-labeled file is almost always a broken export.
 */
export function readLabeledPairs(path: string): LabeledPairs {
  const rows = readJsonl(path);
  const pairs = new Int32Array(2 * rows.length);
  const labels = new Uint8Array(rows.length);
  let labeled = 0;
  rows.forEach(({ line, value }, p) => {
    const where = `line ${line}`;
    if (typeof value !== 'object' || value === null || Array.isArray(value)) {
      throw new InputFileError(path, `${where}: expected an object like {"i": 0, "j": 1, "label": 1}`);
    }
    const rec = value as Record<string, unknown>;
    const i = index(rec.i, 'i', path, where);
    const j = index(rec.j, 'j', path, where);
    if (i === j) throw new InputFileError(path, `${where}: i and j are both ${i}; a pair needs two different responses`);
    let label = 0;
    if (rec.label !== undefined) {
      if (rec.label !== 0 && rec.label !== 1 && rec.label !== true && rec.label !== false) {
        throw new InputFileError(path, `${where}: "label" must be 1 (i preferred) or 0 (j preferred), got ${JSON.stringify(rec.label)}`);
      }
      label = Number(rec.label);
      labeled++;
    }
    pairs[2 * p] = Math.min(i, j);
    pairs[2 * p + 1] = Math.max(i, j);
    labels[p] = i < j ? label : 1 - label;
  });
  if (labeled > 0 && labeled < rows.length) {
    throw new InputFileError(path, `${labeled} of ${rows.length} lines have a "label"; give every line a label or none`);
  }
  return labeled > 0 ? { pairs, labels } : { pairs };
}

function index(v: unknown, key: string, path: string, where: string): number {
  if (v === undefined) throw new InputFileError(path, `${where}: missing "${key}" (a response index)`);
  if (typeof v !== 'number' || !Number.isSafeInteger(v) || v < 0 || v > 0x7fffffff) {
    throw new InputFileError(path, `${where}: "${key}" must be a non-negative integer response index, got ${JSON.stringify(v)}`);
  }
  return v;
}

/** Checks that every index in `pairs` addresses one of `n` responses. */
export function checkPairRange(pairs: Int32Array, n: number, path: string): void {
  for (let k = 0; k < pairs.length; k++) {
    if (pairs[k] >= n) {
      throw new InputFileError(
        path,
        `pair ${(k >> 1) + 1} uses response ${pairs[k]}, but the embeddings hold ${n} responses (indices 0..${n - 1})`,
      );
    }
  }
}

/** One JSON object a line, newline-terminated. */
export function formatJsonl(rows: readonly object[]): string {
  return rows.map((r) => JSON.stringify(r)).join('\n') + (rows.length ? '\n' : '');
}

export function writeJsonl(path: string, rows: readonly object[]): void {
  writeFileSync(path, formatJsonl(rows));
}
