/**
 * The labeling loop as a user runs it: the CLI as a subprocess, three rounds with new responses
 * arriving, batches through Label Studio and Argilla shaped exports, counts checked at each step,
 * and no pair ever issued twice.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { ensureBuilt, runCli } from './cli-helpers.js';
import { DIM, sqliteMissing, TRUE_W, writeRound, type Round } from './helpers/campaign-data.js';

const missing = sqliteMissing();
if (missing) console.warn(`skipping campaign loop tests: ${missing}`);

function rewardsOf(round: Round, tag: string): Map<string, number> {
  const out = new Map<string, number>();
  for (let k = 0; k < round.features.length / DIM; k++) {
    let r = 0;
    for (let c = 0; c < DIM; c++) r += TRUE_W[c]! * round.features[k * DIM + c]!;
    out.set(`${tag}-${k}`, r);
  }
  return out;
}

describe.skipIf(missing !== undefined)('campaign loop (CLI subprocess)', () => {
  beforeAll(() => ensureBuilt());

  it('init → add → next (label-studio) → import → add → next (argilla) → import → next (jsonl) → import → status', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'arm-campaign-'));
    const store = join(dir, 'c.db');
    const r1 = writeRound(dir, 'r1', 4, 4, 1);
    const r2 = writeRound(dir, 'r2', 3, 4, 2);
    const reward = new Map([...rewardsOf(r1, 'r1'), ...rewardsOf(r2, 'r2')]);
    const prefers = (a: string, b: string): boolean => reward.get(a)! > reward.get(b)!;
    const issued = new Set<string>();
    const remember = (a: string, b: string): void => {
      const key = [a, b].sort().join('|');
      expect(issued.has(key), `pair ${key} issued twice`).toBe(false);
      issued.add(key);
    };
    const status = async () => JSON.parse((await runCli(['campaign', 'status', '--store', store, '--json'])).stdout);
    const ok = async (args: string[]) => {
      const r = await runCli(args);
      expect(r.stderr + `(exit ${r.code})`).not.toMatch(/error/);
      expect(r.code).toBe(0);
      return r;
    };

    await ok(['campaign', 'init', '--store', store]);
    expect((await ok(['campaign', 'add', '--store', store, '--embeddings', r1.embeddings, '--responses', r1.responses])).stderr).toMatch(/added 16 responses \(16 in the store\)/);

    // Round 1 through Label Studio: annotate all tasks but the last.
    const b1 = join(dir, 'b1.json');
    const next1 = await ok(['campaign', 'next', '--store', store, '--k', '5', '--format', 'label-studio', '--out', b1]);
    // Off a terminal: one plain line per finished phase, the selection's with its picks.
    expect(next1.stderr).toMatch(/^campaign next: \[1\/5\] reading the store \(\d+\.\d\d s\)$/m);
    expect(next1.stderr).toMatch(/^campaign next: \[3\/5\] selecting 5 of \d+ pairs \(greedy-dopt\): 5\/5 picks \(\d+\.\d\d s\)$/m);
    expect(next1.stderr).toMatch(/^campaign next: \[5\/5\] writing \(/m);
    const tasks = JSON.parse(readFileSync(b1, 'utf8')) as { data: Record<string, string>; meta: Record<string, unknown> }[];
    expect(tasks).toHaveLength(5);
    for (const t of tasks) {
      expect(t.data.text1).toBe(`answer ${t.data.id_i}`);
      expect(t.meta.prompt_i).toBe(t.meta.prompt_j); // within-prompt pool: every response has a prompt_id
      remember(t.data.id_i!, t.data.id_j!);
    }
    const lsExport = tasks.map((t, n) => ({
      id: n + 1,
      data: t.data,
      meta: t.meta,
      annotations:
        n === 4 ? [] : [{ id: 100 + n, was_cancelled: false, result: [{ type: 'pairwise', from_name: 'comparison', to_name: ['text1', 'text2'], value: { selected: prefers(t.data.id_i!, t.data.id_j!) ? 'left' : 'right' } }] }],
    }));
    const e1 = join(dir, 'export1.json');
    writeFileSync(e1, JSON.stringify(lsExport));
    const imp1 = await ok(['campaign', 'import', '--store', store, '--from', 'label-studio', e1]);
    expect(imp1.stderr).toMatch(/imported 4 new labels \(0 already recorded; skipped 1 unannotated tasks\)/);
    const again = await ok(['campaign', 'import', '--store', store, '--from', 'label-studio', e1]);
    expect(again.stderr).toMatch(/imported 0 new labels \(4 already recorded/);
    expect(await status()).toMatchObject({ responses: 16, pairsIssued: 5, pairsLabeled: 4, pairsPending: 1, rounds: 1 });

    // New responses arrive; round 2 through Argilla (2.x export layout).
    await ok(['campaign', 'add', '--store', store, '--embeddings', r2.embeddings, '--responses', r2.responses]);
    const b2 = join(dir, 'b2.jsonl');
    await ok(['campaign', 'next', '--store', store, '--k', '6', '--format', 'argilla', '--out', b2]);
    const records = readFileSync(b2, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { prompt: string; response_1: string; response_2: string; metadata: Record<string, string> });
    expect(records).toHaveLength(6);
    for (const r of records) {
      expect(r.response_1).toBe(`answer ${r.metadata.id_i}`);
      remember(r.metadata.id_i!, r.metadata.id_j!);
    }
    const e2 = join(dir, 'export2.jsonl');
    writeFileSync(
      e2,
      records
        .map((r) => JSON.stringify({ ...r, responses: { preference: [{ user_id: 'u1', value: [prefers(r.metadata.id_i!, r.metadata.id_j!) ? 'response_1' : 'response_2'], status: 'submitted' }] } }))
        .join('\n') + '\n',
    );
    expect((await ok(['campaign', 'import', '--store', store, '--from', 'argilla', e2])).stderr).toMatch(/imported 6 new labels/);
    expect(await status()).toMatchObject({ responses: 28, pairsIssued: 11, pairsLabeled: 10, pairsPending: 1, rounds: 2 });

    // Round 3 as plain JSONL; labels keyed by ids, written in the opposite orientation for half of them.
    const b3 = join(dir, 'b3.jsonl');
    await ok(['campaign', 'next', '--store', store, '--k', '4', '--out', b3]);
    const rows = readFileSync(b3, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { id_i: string; id_j: string });
    expect(rows).toHaveLength(4);
    rows.forEach((r) => remember(r.id_i, r.id_j));
    const e3 = join(dir, 'labels3.jsonl');
    writeFileSync(
      e3,
      rows
        .map((r, n) => (n % 2 ? { id_i: r.id_j, id_j: r.id_i, label: prefers(r.id_j, r.id_i) ? 1 : 0 } : { id_i: r.id_i, id_j: r.id_j, label: prefers(r.id_i, r.id_j) ? 1 : 0 }))
        .map((l) => JSON.stringify(l))
        .join('\n') + '\n',
    );
    await ok(['campaign', 'import', '--store', store, e3]);
    const final = await status();
    expect(final).toMatchObject({ responses: 28, prompts: 7, pairsIssued: 15, pairsLabeled: 14, pairsPending: 1, rounds: 3 });
    // The last round's τ: the Laplace evidence's choice on the labels so far (the default ridge).
    expect(final.ridge).toBeGreaterThan(0);
    expect(Number.isFinite(final.ridge)).toBe(true);
    // …and the prior shape the same evidence chose with it.
    expect(['isotropic', 'standardized']).toContain(final.prior);
    expect((await runCli(['campaign', 'status', '--store', store])).stdout).toMatch(new RegExp(`τ [0-9.e+-]+ \\(${final.prior} prior\\)`));

    // Export: every label, oriented as issued, agreeing with the hidden reward.
    const exported = (await ok(['campaign', 'export', '--store', store])).stdout.trim().split('\n').map((l) => JSON.parse(l) as { id_i: string; id_j: string; label: number });
    expect(exported).toHaveLength(14);
    for (const l of exported) expect(l.label).toBe(prefers(l.id_i, l.id_j) ? 1 : 0);

    // Refusals leave the store unchanged: a never-issued pair, a contradicting label.
    const bad = join(dir, 'bad.jsonl');
    writeFileSync(bad, JSON.stringify({ id_i: 'r1-0', id_j: 'r2-11', label: 1 }) + '\n' + JSON.stringify({ ...exported[0], label: exported[0]!.label }) + '\n');
    const refused = await runCli(['campaign', 'import', '--store', store, bad]);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(/1 of 2 labels are for pairs this campaign never issued.*nothing was imported/);
    writeFileSync(bad, JSON.stringify({ ...exported[0], label: 1 - exported[0]!.label }) + '\n');
    expect((await runCli(['campaign', 'import', '--store', store, bad])).stderr).toMatch(/1 of 1 labels contradict/);
    expect(await status()).toMatchObject({ pairsIssued: 15, pairsLabeled: 14 });

    // A batch can be written again from the store.
    const again3 = join(dir, 'b3-again.jsonl');
    await ok(['campaign', 'batch', '--store', store, '--round', '3', '--out', again3]);
    expect(readFileSync(again3, 'utf8')).toBe(readFileSync(b3, 'utf8'));
  }, 120_000);

  it('refuses a foreign or damaged --store, and a second init, with one clear line', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'arm-campaign-'));
    const text = join(dir, 'notes.db');
    writeFileSync(text, 'these are not the pairs you are looking for\n');
    const r = await runCli(['campaign', 'status', '--store', text]);
    expect(r.code).toBe(2);
    expect(r.stderr.trim()).toMatch(/^active-rm: error: .*notes\.db is not an active-rm campaign store \(not a SQLite database\)/);
    expect(readFileSync(text, 'utf8')).toBe('these are not the pairs you are looking for\n');

    const store = join(dir, 'c.db');
    expect((await runCli(['campaign', 'init', '--store', store])).code).toBe(0);
    const twice = await runCli(['campaign', 'init', '--store', store]);
    expect(twice.code).toBe(2);
    expect(twice.stderr).toMatch(/already exists/);

    // Another program's SQLite file: same magic bytes, not our application_id.
    const { default: Database } = await import('better-sqlite3');
    const other = join(dir, 'other.db');
    const db = new Database(other);
    db.exec('CREATE TABLE t (x)');
    db.close();
    const foreign = await runCli(['campaign', 'next', '--store', other, '--k', '1', '--out', join(dir, 'x.jsonl')]);
    expect(foreign.code).toBe(2);
    expect(foreign.stderr).toMatch(/other\.db is not an active-rm campaign store \(SQLite application_id 0\)/);

    // A store whose pages were overwritten: the header survives, the tables do not.
    const bytes = readFileSync(store);
    bytes.fill(0x5a, 100);
    const damaged = join(dir, 'damaged.db');
    writeFileSync(damaged, bytes);
    const bad = await runCli(['campaign', 'status', '--store', damaged]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/damaged\.db.*(damaged|not an active-rm campaign store)/);

    const none = await runCli(['campaign', 'status', '--store', join(dir, 'nope.db')]);
    expect(none.code).toBe(2);
    expect(none.stderr).toMatch(/no such campaign store; create it with `active-rm campaign init/);
  }, 60_000);

  it('two concurrent `next` runs issue disjoint batches', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'arm-campaign-'));
    const store = join(dir, 'c.db');
    const r = writeRound(dir, 'c', 5, 4, 3);
    await runCli(['campaign', 'init', '--store', store]);
    await runCli(['campaign', 'add', '--store', store, '--embeddings', r.embeddings, '--responses', r.responses]);
    const outs = [join(dir, 'a.jsonl'), join(dir, 'b.jsonl')];
    const runs = await Promise.all(outs.map((out) => runCli(['campaign', 'next', '--store', store, '--k', '10', '--pool', 'all', '--seed', '5', '--method', 'random', '--out', out])));
    expect(runs.map((x) => x.code)).toEqual([0, 0]);
    const keys = outs.flatMap((f) => readFileSync(f, 'utf8').trim().split('\n').map((l) => { const p = JSON.parse(l); return `${p.id_i}|${p.id_j}`; }));
    expect(keys).toHaveLength(20);
    expect(new Set(keys).size).toBe(20);
  }, 60_000);

  it('works the same through the API (openCampaign)', async () => {
    const { initCampaign, openCampaign } = await import('../lib/index.js');
    const dir = mkdtempSync(join(tmpdir(), 'arm-campaign-'));
    const store = join(dir, 'api.db');
    const r = writeRound(dir, 'a', 3, 3, 9);
    const records = readFileSync(r.responses, 'utf8').trim().split('\n').map((l) => { const x = JSON.parse(l); return { id: x.id, promptId: x.prompt_id }; });
    initCampaign(store, { dim: DIM }).close();
    const c = openCampaign(store);
    try {
      expect(c.add(r.features, DIM, records)).toEqual({ added: 9, total: 9 });
      const b = await c.next({ k: 4, backend: 'js' });
      expect(b.round).toBe(1);
      expect(b.pool).toBe('within');
      expect(b.poolSize).toBe(9);
      expect(c.importLabels(b.rows.map((row) => ({ id_i: row.id_i, id_j: row.id_j, label: 1 as const })))).toEqual({ added: 4, unchanged: 0 });
      const b2 = await c.next({ k: 5, backend: 'js' });
      expect(b2.labelsUsed).toBe(4);
      expect(b2.rows.map((row) => `${row.id_i}|${row.id_j}`).some((k) => b.rows.some((x) => `${x.id_i}|${x.id_j}` === k))).toBe(false);
      await expect(c.next({ k: 1, backend: 'js' })).rejects.toThrow(/only 0 within pairs were never issued/);
      expect(c.status()).toMatchObject({ responses: 9, pairsIssued: 9, pairsLabeled: 4, pairsPending: 5, rounds: 2 });
      expect(() => c.add(r.features, DIM, records)).toThrow(/9 of 9 response ids are already in the store/);
    } finally {
      c.close();
    }
  });
});
