/**
 * A campaign store made before rounds recorded their prior shape (schema version 1) still opens:
 * the column is added, and its old rounds read as isotropic, the only prior they could have used.
 */
import { mkdtempSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { ensureBuilt, runCli } from './cli-helpers.js';
import { sqliteMissing, writeRound } from './helpers/campaign-data.js';

const missing = sqliteMissing();
if (missing) console.warn(`skipping campaign store upgrade test: ${missing}`);

describe.skipIf(missing !== undefined)('campaign store schema upgrade', () => {
  beforeAll(() => ensureBuilt());

  it('opens a version-1 store, adds rounds.prior, and reports its rounds as isotropic', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'arm-upgrade-'));
    const store = join(dir, 'c.db');
    const r1 = writeRound(dir, 'r1', 4, 4, 1);
    for (const args of [
      ['campaign', 'init', '--store', store],
      ['campaign', 'add', '--store', store, '--embeddings', r1.embeddings, '--responses', r1.responses],
      ['campaign', 'next', '--store', store, '--k', '3', '--out', join(dir, 'b1.jsonl')],
    ]) {
      const r = await runCli(args);
      expect(r.code, r.stderr).toBe(0);
    }
    // Make it a version-1 store, as an older active-rm wrote it.
    const Driver = createRequire(import.meta.url)('better-sqlite3');
    const db = new Driver(store);
    db.exec('ALTER TABLE rounds DROP COLUMN prior');
    db.pragma('user_version = 1');
    db.close();

    const status = await runCli(['campaign', 'status', '--store', store, '--json']);
    expect(status.code, status.stderr).toBe(0);
    expect(JSON.parse(status.stdout)).toMatchObject({ rounds: 1, prior: 'isotropic' });
    const after = new Driver(store, { readonly: true });
    expect(after.pragma('user_version', { simple: true })).toBe(2);
    expect(after.prepare('SELECT prior FROM rounds').pluck().get()).toBeNull();
    after.close();
  });
});
