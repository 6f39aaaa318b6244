/**
 * Labeled pairs keyed by response ids (`{"id_i","id_j","label"}`), as campaign export and
 * `labels --from` write them, turned into row indices of the current embeddings.
 */
import { InputFileError } from './errors.js';
import { readJsonl, readLabeledPairs, type LabeledPairs } from './jsonl.js';

/** True when the file's first record names ids rather than indices. */
export function usesIds(path: string): boolean {
  const first = readJsonl(path)[0]?.value;
  return typeof first === 'object' && first !== null && 'id_i' in first;
}

/** Reads index-keyed or id-keyed labeled pairs; id-keyed needs `indexOf` (from responses.jsonl). */
export function readPastPairs(path: string, indexOf?: ReadonlyMap<string, number>): LabeledPairs {
  if (!usesIds(path)) return readLabeledPairs(path);
  if (!indexOf) throw new InputFileError(path, 'pairs are keyed by "id_i"/"id_j"; pass --responses responses.jsonl so the ids can be found');
  const rows = readJsonl(path);
  const pairs = new Int32Array(2 * rows.length);
  const labels = new Uint8Array(rows.length);
  let labeled = 0;
  rows.forEach(({ line, value }, p) => {
    const rec = (typeof value === 'object' && value !== null ? value : {}) as Record<string, unknown>;
    const i = indexOf.get(String(rec.id_i));
    const j = indexOf.get(String(rec.id_j));
    if (rec.id_i === undefined || rec.id_j === undefined) throw new InputFileError(path, `line ${line}: expected {"id_i": …, "id_j": …, "label": 0|1}`);
    if (i === undefined || j === undefined) {
      throw new InputFileError(path, `line ${line}: id "${String(i === undefined ? rec.id_i : rec.id_j)}" is not in --responses; past pairs must refer to responses of these embeddings`);
    }
    if (i === j) throw new InputFileError(path, `line ${line}: id_i and id_j are the same response`);
    let label = 0;
    if (rec.label !== undefined) {
      if (rec.label !== 0 && rec.label !== 1 && rec.label !== true && rec.label !== false) {
        throw new InputFileError(path, `line ${line}: "label" must be 1 (id_i preferred) or 0 (id_j preferred), got ${JSON.stringify(rec.label)}`);
      }
      label = Number(rec.label);
      labeled++;
    }
    pairs[2 * p] = Math.min(i, j);
    pairs[2 * p + 1] = Math.max(i, j);
    labels[p] = i < j ? label : 1 - label;
  });
  if (labeled > 0 && labeled < rows.length) throw new InputFileError(path, `${labeled} of ${rows.length} lines have a "label"; give every line a label or none`);
  return labeled > 0 ? { pairs, labels } : { pairs };
}
