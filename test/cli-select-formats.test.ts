/** select with stable ids (--responses, id-keyed --past), its annotation-tool formats, and `labels --from`. */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { ensureBuilt, runCli } from './cli-helpers.js';
import { writeRound } from './helpers/campaign-data.js';

describe('select --responses / --format and labels --from', () => {
  let dir: string;
  let base: string[];
  beforeAll(() => {
    ensureBuilt();
    dir = mkdtempSync(join(tmpdir(), 'arm-formats-'));
    const r = writeRound(dir, 'q', 3, 4, 11);
    base = ['select', '--embeddings', r.embeddings, '--responses', r.responses, '--pool', 'all', '--k', '4', '--seed', '1'];
  });

  it('carries ids and texts in jsonl, label-studio and argilla output, the same pairs in each', async () => {
    const jsonl = await runCli(base);
    expect(jsonl.code).toBe(0);
    const rows = jsonl.stdout.trim().split('\n').map((l) => JSON.parse(l));
    expect(rows).toHaveLength(4);
    for (const r of rows) {
      expect(r.id_i).toBe(`q-${r.i}`);
      expect(r.id_j).toBe(`q-${r.j}`);
      expect(r.response_i).toBe(`answer q-${r.i}`);
    }
    const ls = JSON.parse((await runCli([...base, '--format', 'label-studio'])).stdout);
    expect(ls.map((t: { meta: { i: number; j: number } }) => [t.meta.i, t.meta.j])).toEqual(rows.map((r) => [r.i, r.j]));
    expect(ls[0].data).toMatchObject({ text1: rows[0].response_i, text2: rows[0].response_j, id_i: rows[0].id_i });
    expect(ls[0].predictions[0].score).toBe(rows[0].score);
    const ar = (await runCli([...base, '--format', 'argilla'])).stdout.trim().split('\n').map((l) => JSON.parse(l));
    expect(ar[1]).toMatchObject({ response_1: rows[1].response_i, response_2: rows[1].response_j, metadata: { id_i: rows[1].id_i, score: rows[1].score } });
  });

  it('round-trips a Label Studio export through labels --from into an id-keyed --past', async () => {
    const ls = JSON.parse((await runCli([...base, '--format', 'label-studio'])).stdout) as { data: Record<string, string> }[];
    const exported = ls.map((t, n) => ({
      ...t,
      annotations: n === 3 ? [{ was_cancelled: true, result: [{ value: { selected: 'left' } }] }] : [{ result: [{ type: 'pairwise', value: { selected: n % 2 ? 'right' : 'left' } }] }],
    }));
    const file = join(dir, 'ls-export.json');
    writeFileSync(file, JSON.stringify(exported));
    const conv = await runCli(['labels', '--from', 'label-studio', file]);
    expect(conv.code).toBe(0);
    expect(conv.stderr).toMatch(/3 labels from 4 tasks; skipped 1 unannotated/);
    const labels = conv.stdout.trim().split('\n').map((l) => JSON.parse(l));
    expect(labels).toEqual(ls.slice(0, 3).map((t, n) => ({ id_i: t.data.id_i, id_j: t.data.id_j, label: n % 2 ? 0 : 1 })));

    const past = join(dir, 'past.jsonl');
    writeFileSync(past, conv.stdout);
    const next = await runCli([...base, '--past', past, '--method', 'past-greedy-dopt']);
    expect(next.code).toBe(0);
    const chosen = new Set(next.stdout.trim().split('\n').map((l) => { const r = JSON.parse(l); return `${r.id_i}|${r.id_j}`; }));
    for (const l of labels) expect(chosen.has(`${l.id_i}|${l.id_j}`)).toBe(false);
    expect(next.stderr).toMatch(/fitted .* on the 3 labeled --past pairs/);
  });

  it('reads Argilla 1.x ranking and 2.x label exports', async () => {
    const file = join(dir, 'argilla.jsonl');
    const recs = [
      { prompt: 'p', response_1: 'a', response_2: 'b', metadata: { id_i: 'q-0', id_j: 'q-1' }, responses: [{ status: 'submitted', values: { ranking: { value: [{ value: 'response_2', rank: 1 }, { value: 'response_1', rank: 2 }] } } }] },
      { prompt: 'p', response_1: 'a', response_2: 'b', metadata: { id_i: 'q-2', id_j: 'q-3' }, responses: { choice: [{ value: 'response_1', status: 'submitted' }] } },
      { prompt: 'p', response_1: 'a', response_2: 'b', metadata: { id_i: 'q-4', id_j: 'q-5' }, responses: { choice: [{ value: 'response_1', status: 'draft' }] } },
      { prompt: 'p', response_1: 'a', response_2: 'b', metadata: { id_i: 'q-6', id_j: 'q-7' } },
    ];
    writeFileSync(file, recs.map((r) => JSON.stringify(r)).join('\n') + '\n');
    const r = await runCli(['labels', '--from', 'argilla', file]);
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/2 labels from 4 records; skipped 2 unannotated/);
    expect(r.stdout.trim().split('\n').map((l) => JSON.parse(l))).toEqual([
      { id_i: 'q-0', id_j: 'q-1', label: 0 },
      { id_i: 'q-2', id_j: 'q-3', label: 1 },
    ]);
  });

  it('refuses bad ids with one clear line', async () => {
    const dup = join(dir, 'dup.jsonl');
    const lines = readFileSync(join(dir, 'q.jsonl'), 'utf8').trim().split('\n');
    lines[5] = lines[4]!;
    writeFileSync(dup, lines.join('\n') + '\n');
    const r1 = await runCli([...base.slice(0, 3), '--responses', dup, '--pool', 'all', '--k', '2']);
    expect(r1.code).toBe(2);
    expect(r1.stderr).toMatch(/--responses .*dup\.jsonl: line 6: id "q-4" already used on line 5; ids must be unique/);
    const short = join(dir, 'short.jsonl');
    writeFileSync(short, lines.slice(0, 5).join('\n') + '\n');
    const r2 = await runCli([...base.slice(0, 3), '--responses', short, '--pool', 'all', '--k', '2']);
    expect(r2.stderr).toMatch(/has 5 responses but the embeddings have 12 rows/);
    const past = join(dir, 'unknown.jsonl');
    writeFileSync(past, JSON.stringify({ id_i: 'q-0', id_j: 'zz', label: 1 }) + '\n');
    const r3 = await runCli([...base, '--past', past]);
    expect(r3.code).toBe(2);
    expect(r3.stderr).toMatch(/--past .*line 1: id "zz" is not in --responses/);
    const r4 = await runCli([...base.filter((a, k) => k !== 3 && k !== 4), '--past', past]);
    expect(r4.stderr).toMatch(/keyed by "id_i"\/"id_j"; pass --responses/);
    const r6 = await runCli([...base.filter((a, k) => k !== 3 && k !== 4), '--format', 'label-studio']);
    expect(r6.code).toBe(2);
    expect(r6.stderr).toMatch(/--format label-studio: annotators need the texts; pass --responses/);
    const r5 = await runCli(['labels', '--from', 'label-studio', join(dir, 'q.jsonl')]);
    expect(r5.code).toBe(2);
    expect(r5.stderr).toMatch(/not a Label Studio JSON export/);
  });
});
