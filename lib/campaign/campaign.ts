/**
 * A labeling campaign kept in one SQLite file: responses (features and ids) added in any round,
 * batches issued by `next`, labels imported from annotators. Every state change is one
 * transaction; `next` holds the write lock from reading the state to recording the batch, so two
 * `next` calls never issue the same pair, and a batch is on disk before any file is written.
 */
import { selectPairs } from '../api/select-pairs.js';
import type { IdLabel, PairRow } from '../io/annotation-formats.js';
import type { ResponseRecord } from '../io/responses.js';
import type { BackendChoice, FeatureArray, Method, PoolKind, PriorShape, SelectOptions } from '../types.js';
import { fitCampaignHead } from './head.js';
import { campaignPool, pairKey } from './pool.js';
import { createStore, openStore, type Database } from './store.js';

export class CampaignInputError extends Error {
  override name = 'CampaignInputError';
}

export interface NextOptions {
  k: number;
  method?: Method;
  /** Default: within when every response has a prompt id, else all. */
  pool?: PoolKind;
  /** Default: the round number, so rounds differ but reruns are reproducible. */
  seed?: number;
  backend?: BackendChoice;
  signal?: AbortSignal;
  /** Called between phases (for progress output); `total` for the phase that counts picks. */
  onPhase?: (phase: string, total?: number) => void;
  /** selectPairs' progress hook, passed through (picks made / k while selecting). */
  onProgress?: SelectOptions['onProgress'];
}

export interface CampaignBatch {
  round: number;
  rows: PairRow[];
  method: Method;
  pool: PoolKind;
  poolSize: number;
  ridge: number;
  /** The prior shape τ belongs to. */
  prior: PriorShape;
  labelsUsed: number;
  logDet: number;
  headNote: string;
}

export interface ImportResult {
  /** Labels newly recorded. */
  added: number;
  /** Labels already recorded with the same value. */
  unchanged: number;
}

export interface CampaignStatus {
  dim: number | null;
  responses: number;
  prompts: number;
  pairsIssued: number;
  pairsLabeled: number;
  pairsPending: number;
  rounds: number;
  /** τ of the last round (null before the first). */
  ridge: number | null;
  /** Its prior shape (null before the first round). */
  prior: PriorShape | null;
}

export interface ExportedLabel {
  id_i: string;
  id_j: string;
  label: 0 | 1;
  i: number;
  j: number;
  round: number;
}

interface ResponseRow {
  idx: number;
  id: string;
  prompt_key: string | null;
  prompt: string | null;
  response: string | null;
}

export function initCampaign(path: string, options: { dim?: number } = {}): Campaign {
  if (options.dim !== undefined && (!Number.isSafeInteger(options.dim) || options.dim < 1)) {
    throw new CampaignInputError(`dim must be a positive integer; got ${String(options.dim)}`);
  }
  return new Campaign(createStore(path, options.dim));
}

export function openCampaign(path: string): Campaign {
  return new Campaign(openStore(path));
}

export class Campaign {
  constructor(private readonly db: Database) {}

  close(): void {
    if (this.db.open) this.db.close();
  }

  get dim(): number | null {
    const row = this.db.prepare("SELECT value FROM meta WHERE key = 'dim'").get() as { value: string } | undefined;
    return row ? Number(row.value) : null;
  }

  /** Adds new candidate responses (features row-major, one row per record). All or nothing. */
  add(features: FeatureArray, dim: number, records: readonly ResponseRecord[]): { added: number; total: number } {
    if (features.length !== records.length * dim) {
      throw new CampaignInputError(`${records.length} responses need ${records.length * dim} feature values (d = ${dim}); got ${features.length}`);
    }
    for (let k = 0; k < features.length; k++) {
      if (!Number.isFinite(features[k]!)) throw new CampaignInputError(`feature ${k % dim} of response "${records[Math.floor(k / dim)]!.id}" is ${features[k]}; every feature must be finite`);
    }
    return this.db.transaction(() => {
      const stored = this.dim;
      if (stored !== null && stored !== dim) throw new CampaignInputError(`the store holds d = ${stored} features per response; these embeddings have d = ${dim}`);
      if (stored === null) this.db.prepare("INSERT INTO meta (key, value) VALUES ('dim', ?)").run(String(dim));
      const exists = this.db.prepare('SELECT 1 FROM responses WHERE id = ?').pluck();
      const dup = records.filter((r) => exists.get(r.id) !== undefined);
      if (dup.length > 0) {
        throw new CampaignInputError(`${dup.length} of ${records.length} response ids are already in the store (first: "${dup[0]!.id}"); ids must be new in every add`);
      }
      const round = this.db.prepare('SELECT COALESCE(MAX(round), 0) FROM rounds').pluck().get() as number;
      let idx = this.db.prepare('SELECT COALESCE(MAX(idx) + 1, 0) FROM responses').pluck().get() as number;
      const insert = this.db.prepare('INSERT INTO responses (idx, id, prompt_key, prompt, response, added_in, features) VALUES (?, ?, ?, ?, ?, ?, ?)');
      records.forEach((r, k) => {
        const row = Float64Array.from(features.subarray(k * dim, (k + 1) * dim));
        insert.run(idx++, r.id, r.promptId ?? null, r.prompt ?? null, r.response ?? null, round, Buffer.from(row.buffer));
      });
      return { added: records.length, total: idx };
    }).immediate();
  }

  /**
   * Selects k pairs never issued before and records them as round r + 1. The write lock is held
   * throughout (BEGIN IMMEDIATE), so a concurrent `next` waits and then sees this batch.
   */
  async next(o: NextOptions): Promise<CampaignBatch> {
    if (!Number.isSafeInteger(o.k) || o.k < 1) throw new CampaignInputError(`k must be a positive integer; got ${String(o.k)}`);
    this.db.exec('BEGIN IMMEDIATE');
    let committed = false;
    try {
      o.onPhase?.('reading the store');
      const responses = this.db.prepare('SELECT idx, id, prompt_key, prompt, response FROM responses ORDER BY idx').all() as ResponseRow[];
      const dim = this.dim;
      if (responses.length < 2 || dim === null) throw new CampaignInputError(`the store holds ${responses.length} responses; add some with \`campaign add\` first`);
      const features = this.features(responses.length, dim);
      const promptOf = promptIndex(responses);
      const issued = this.db.prepare('SELECT i, j, label FROM pairs').all() as { i: number; j: number; label: number | null }[];
      const issuedSet = new Set(issued.map((p) => pairKey(p.i, p.j)));
      const labeled = issued.filter((p) => p.label !== null);
      const labeledPairs = Int32Array.from(labeled.flatMap((p) => [p.i, p.j]));
      const labels = Uint8Array.from(labeled.map((p) => p.label!));

      o.onPhase?.(`fitting the head on ${labels.length} labels`);
      const head = fitCampaignHead(features, dim, labeledPairs, labels);
      const kind: PoolKind = o.pool ?? (responses.every((r) => r.prompt_key !== null) ? 'within' : 'all');
      const pool = campaignPool(promptOf, kind, issuedSet);
      const poolSize = pool.length / 2;
      if (poolSize < o.k) {
        throw new CampaignInputError(`only ${poolSize} ${kind} pairs were never issued, fewer than k = ${o.k}; lower --k, widen --pool, or add responses`);
      }
      const round = (this.db.prepare('SELECT COALESCE(MAX(round), 0) FROM rounds').pluck().get() as number) + 1;
      const method = o.method ?? 'greedy-dopt';
      o.onPhase?.(`selecting ${o.k} of ${poolSize} pairs (${method})`, o.k);
      const selection = await selectPairs({
        features,
        dim,
        promptIds: promptOf,
        head: head.head,
        pool,
        method,
        k: o.k,
        ridge: head.ridge,
        prior: head.prior,
        axisScale: head.axisScale,
        past: labels.length > 0 ? { pairs: labeledPairs, labels } : undefined,
        seed: o.seed ?? round,
        backend: o.backend,
        signal: o.signal,
        ...(o.onProgress ? { onProgress: o.onProgress } : {}),
      });

      o.onPhase?.(`recording round ${round}`);
      this.db
        .prepare('INSERT INTO rounds (round, method, pool, k, ridge, prior, labels_used, log_det, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)')
        .run(round, method, kind, o.k, selection.ridge, selection.prior, labels.length, selection.logDet, new Date().toISOString());
      const insert = this.db.prepare('INSERT INTO pairs (i, j, round, position, score, gain) VALUES (?, ?, ?, ?, ?, ?)');
      for (let t = 0; t < selection.pairs.length / 2; t++) {
        insert.run(selection.pairs[2 * t]!, selection.pairs[2 * t + 1]!, round, t, selection.scores[t]!, selection.gains[t]!);
      }
      this.db.exec('COMMIT');
      committed = true;
      return {
        round,
        rows: this.batch(round),
        method,
        pool: kind,
        poolSize,
        ridge: selection.ridge,
        prior: selection.prior,
        labelsUsed: labels.length,
        logDet: selection.logDet,
        headNote: head.note,
      };
    } finally {
      if (!committed && this.db.inTransaction) this.db.exec('ROLLBACK');
    }
  }

  /** The pairs issued in a round, in pick order, with ids and texts. */
  batch(round: number): PairRow[] {
    const rows = this.db
      .prepare(
        `SELECT p.i, p.j, p.score, p.gain, a.id AS id_i, b.id AS id_j, a.prompt_key AS pk_i, b.prompt_key AS pk_j,
                a.prompt AS prompt_i, b.prompt AS prompt_j, a.response AS response_i, b.response AS response_j
         FROM pairs p JOIN responses a ON a.idx = p.i JOIN responses b ON b.idx = p.j
         WHERE p.round = ? ORDER BY p.position`,
      )
      .all(round) as Record<string, unknown>[];
    if (rows.length === 0 && !this.db.prepare('SELECT 1 FROM rounds WHERE round = ?').get(round)) {
      throw new CampaignInputError(`round ${round} was never issued; \`campaign status\` lists the rounds`);
    }
    return rows.map((r) => {
      const row: PairRow = {
        i: r.i as number,
        j: r.j as number,
        prompt_i: (r.pk_i as string | null) ?? `#${r.i as number}`,
        prompt_j: (r.pk_j as string | null) ?? `#${r.j as number}`,
        score: r.score as number,
        gain: r.gain as number,
        id_i: r.id_i as string,
        id_j: r.id_j as string,
      };
      const prompt = (r.prompt_i as string | null) ?? (r.prompt_j as string | null);
      if (prompt !== null) row.prompt = r.prompt_i === r.prompt_j || r.prompt_j === null ? prompt : `${String(r.prompt_i)}\n---\n${String(r.prompt_j)}`;
      if (r.response_i !== null) row.response_i = r.response_i as string;
      if (r.response_j !== null) row.response_j = r.response_j as string;
      return row;
    });
  }

  /**
   * Records labels of issued pairs. Idempotent: a label already recorded with the same value is
   * counted as unchanged. All or nothing: labels for pairs never issued, or contradicting a
   * recorded label, refuse the whole import with their count.
   */
  importLabels(labels: readonly IdLabel[]): ImportResult {
    return this.db.transaction(() => {
      const byId = this.db.prepare('SELECT idx FROM responses WHERE id = ?').pluck();
      const find = this.db.prepare('SELECT label FROM pairs WHERE i = ? AND j = ?');
      const set = this.db.prepare('UPDATE pairs SET label = ? WHERE i = ? AND j = ? AND label IS NULL');
      let added = 0;
      let unchanged = 0;
      const notIssued: string[] = [];
      const conflicts: string[] = [];
      for (const l of labels) {
        const a = l.id_i !== undefined ? (byId.get(l.id_i) as number | undefined) : l.i;
        const b = l.id_j !== undefined ? (byId.get(l.id_j) as number | undefined) : l.j;
        const name = l.id_i !== undefined ? `${l.id_i}/${l.id_j}` : `${l.i}/${l.j}`;
        if (a === undefined || b === undefined || a === b) {
          notIssued.push(name);
          continue;
        }
        const [i, j, label] = a < b ? [a, b, l.label] : [b, a, 1 - l.label];
        const row = find.get(i, j) as { label: number | null } | undefined;
        if (row === undefined) notIssued.push(name);
        else if (row.label === null) {
          set.run(label, i, j);
          added++;
        } else if (row.label === label) unchanged++;
        else conflicts.push(name);
      }
      if (notIssued.length > 0) {
        throw new CampaignInputError(`${notIssued.length} of ${labels.length} labels are for pairs this campaign never issued (first: ${notIssued[0]}); nothing was imported`);
      }
      if (conflicts.length > 0) {
        throw new CampaignInputError(`${conflicts.length} of ${labels.length} labels contradict labels already recorded (first: ${conflicts[0]}); nothing was imported`);
      }
      return { added, unchanged };
    }).immediate();
  }

  status(): CampaignStatus {
    const count = (sql: string): number => this.db.prepare(sql).pluck().get() as number;
    const issued = count('SELECT COUNT(*) FROM pairs');
    const labeled = count('SELECT COUNT(*) FROM pairs WHERE label IS NOT NULL');
    const last = this.db.prepare('SELECT ridge, prior FROM rounds ORDER BY round DESC LIMIT 1').get() as { ridge: number; prior: PriorShape | null } | undefined;
    return {
      dim: this.dim,
      responses: count('SELECT COUNT(*) FROM responses'),
      prompts: count("SELECT COUNT(DISTINCT COALESCE(prompt_key, '#' || idx)) FROM responses"),
      pairsIssued: issued,
      pairsLabeled: labeled,
      pairsPending: issued - labeled,
      rounds: count('SELECT COUNT(*) FROM rounds'),
      ridge: last?.ridge ?? null,
      prior: last ? (last.prior ?? 'isotropic') : null,
    };
  }

  /** Every recorded label, oldest round first. */
  labels(): ExportedLabel[] {
    return this.db
      .prepare(
        `SELECT a.id AS id_i, b.id AS id_j, p.label, p.i, p.j, p.round FROM pairs p
         JOIN responses a ON a.idx = p.i JOIN responses b ON b.idx = p.j
         WHERE p.label IS NOT NULL ORDER BY p.round, p.position`,
      )
      .all() as ExportedLabel[];
  }

  private features(n: number, dim: number): Float64Array {
    const out = new Float64Array(n * dim);
    const rows = this.db.prepare('SELECT features FROM responses ORDER BY idx').pluck().all() as Buffer[];
    rows.forEach((buf, k) => {
      out.set(new Float64Array(buf.buffer.slice(buf.byteOffset, buf.byteOffset + buf.byteLength)), k * dim);
    });
    return out;
  }
}

/** Dense prompt index per response; a response without a prompt id is its own prompt. */
function promptIndex(rows: readonly ResponseRow[]): Int32Array {
  const map = new Map<string, number>();
  const out = new Int32Array(rows.length);
  rows.forEach((r, k) => {
    const key = r.prompt_key ?? `\u0000${r.idx}`;
    let p = map.get(key);
    if (p === undefined) map.set(key, (p = map.size));
    out[k] = p;
  });
  return out;
}
