/**
 * kill -9 at random moments of `campaign next` and `campaign import`: the store must always be
 * exactly as before the step or exactly as after it, intact, with every round complete.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { openCampaign } from '../lib/campaign/campaign.js';
import { Rng } from '../lib/math/rng.js';
import { CLI, ensureBuilt, runCli } from './cli-helpers.js';
import { sqliteMissing, writeRound } from './helpers/campaign-data.js';

const missing = sqliteMissing();
if (missing) console.warn(`skipping campaign kill -9 tests: ${missing}`);

const KILLS = 20;
const K = 20;

/** Runs the CLI and SIGKILLs it after `delayMs` unless it has exited; says whether the kill landed. */
function runAndKill(args: string[], delayMs: number): Promise<{ killed: boolean; code: number | null }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [CLI, ...args], { stdio: 'ignore' });
    let exited = false;
    const timer = setTimeout(() => {
      if (!exited) child.kill('SIGKILL');
    }, delayMs);
    child.on('exit', (code, signal) => {
      exited = true;
      clearTimeout(timer);
      resolve({ killed: signal === 'SIGKILL', code });
    });
  });
}

interface Snapshot {
  rounds: number;
  issued: number;
  labeled: number;
}

async function snapshot(store: string): Promise<Snapshot> {
  const { default: Database } = await import('better-sqlite3');
  const db = new Database(store, { fileMustExist: true });
  try {
    expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
    // Every recorded round holds exactly its k pairs: no half-written batch.
    const partial = db.prepare('SELECT r.round FROM rounds r LEFT JOIN pairs p ON p.round = r.round GROUP BY r.round HAVING COUNT(p.i) != r.k').all();
    expect(partial).toEqual([]);
  } finally {
    db.close();
  }
  const c = openCampaign(store);
  try {
    const s = c.status();
    return { rounds: s.rounds, issued: s.pairsIssued, labeled: s.pairsLabeled };
  } finally {
    c.close();
  }
}

describe.skipIf(missing !== undefined)('campaign store under kill -9', () => {
  beforeAll(() => ensureBuilt());

  it(`leaves the store before or after the step, ${KILLS} random kills of next and import`, async () => {
    const dir = mkdtempSync(join(tmpdir(), 'arm-kill-'));
    const store = join(dir, 'c.db');
    const round = writeRound(dir, 'r', 75, 4, 7);
    expect((await runCli(['campaign', 'init', '--store', store])).code).toBe(0);
    expect((await runCli(['campaign', 'add', '--store', store, '--embeddings', round.embeddings, '--responses', round.responses])).code).toBe(0);

    // How long a full `next` takes here sets the range of kill times.
    const t0 = performance.now();
    expect((await runCli(['campaign', 'next', '--store', store, '--k', String(K), '--out', join(dir, 'b0.jsonl')])).code).toBe(0);
    // Capped so a heavily loaded machine does not stretch the test past its timeout.
    const span = Math.min(2500, Math.max(200, performance.now() - t0));

    const rng = new Rng(2026);
    let killed = 0;
    const outcomes = { before: 0, after: 0, killedAfterCommit: 0 };
    for (let t = 0; t < KILLS; t++) {
      const before = await snapshot(store);
      // From process start to well past a typical run: early kills, kills mid-step, and runs that finish.
      const delay = rng.next() * span * 2;
      let after: Snapshot;
      let result;
      if (before.issued > before.labeled && t % 2 === 1) {
        // Label every pending pair (the oldest round's orientation, label by index parity).
        const c = openCampaign(store);
        const pending: string[] = [];
        const labeledIds = new Set(c.labels().map((l) => `${l.id_i}|${l.id_j}`));
        for (let r = 1; r <= before.rounds; r++) {
          for (const row of c.batch(r)) if (!labeledIds.has(`${row.id_i}|${row.id_j}`)) pending.push(JSON.stringify({ id_i: row.id_i, id_j: row.id_j, label: (row.i + row.j) % 2 }));
        }
        c.close();
        const file = join(dir, `labels${t}.jsonl`);
        writeFileSync(file, pending.join('\n') + '\n');
        result = await runAndKill(['campaign', 'import', '--store', store, file], delay);
        after = { ...before, labeled: before.issued };
      } else {
        result = await runAndKill(['campaign', 'next', '--store', store, '--k', String(K), '--pool', 'all', '--out', join(dir, `b${t}.jsonl`)], delay);
        after = { rounds: before.rounds + 1, issued: before.issued + K, labeled: before.labeled };
      }
      if (result.killed) killed++;
      else expect(result.code).toBe(0);
      const now = await snapshot(store);
      if (JSON.stringify(now) === JSON.stringify(before)) outcomes.before++;
      else {
        expect(now).toEqual(after);
        outcomes.after++;
        if (result.killed) outcomes.killedAfterCommit++;
      }
      if (!result.killed) expect(now).toEqual(after);
    }
    // The kills must have landed, or the test proved nothing.
    expect(killed).toBeGreaterThanOrEqual(KILLS / 4);
    expect(outcomes.before + outcomes.after).toBe(KILLS);
    console.log(`kill -9 (full next ${span.toFixed(0)} ms): ${killed} of ${KILLS} runs killed; store before the step ${outcomes.before}×, after ${outcomes.after}× (${outcomes.killedAfterCommit} of them killed after the commit)`);
  }, 240_000);
});
