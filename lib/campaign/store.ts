/**
 * The campaign's SQLite file. better-sqlite3 is an optional native dependency, loaded only here,
 * so that a machine where it does not build loses the campaign commands and nothing else.
 *
 * A store is recognised by its application_id and schema version (user_version): any other file,
 * SQLite or not, is refused before anything is written to it. WAL journaling plus one transaction
 * per state change means a process killed at any moment leaves the store as before or after.
 */
import { closeSync, existsSync, openSync, readSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import type BetterSqlite3 from 'better-sqlite3';
import { join } from 'node:path';
import { moduleFolder } from '../backends/module-folder.cjs';

export type Database = BetterSqlite3.Database;

/** "ARMc" in ASCII: marks the file as an active-rm campaign. */
export const APPLICATION_ID = 0x41524d63;
export const SCHEMA_VERSION = 2;
/** Version 1 stores lack rounds.prior; opening one adds the column (NULL: those rounds used the
 * isotropic prior, the only one then). */
const UPGRADABLE_VERSION = 1;

/** A campaign store could not be opened or is not one; the fix is in the message. */
export class CampaignStoreError extends Error {
  override name = 'CampaignStoreError';
}

const SCHEMA = `
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE responses (
  idx INTEGER PRIMARY KEY,
  id TEXT NOT NULL UNIQUE,
  prompt_key TEXT,
  prompt TEXT,
  response TEXT,
  added_in INTEGER NOT NULL,
  features BLOB NOT NULL
);
CREATE TABLE rounds (
  round INTEGER PRIMARY KEY,
  method TEXT NOT NULL,
  pool TEXT NOT NULL,
  k INTEGER NOT NULL,
  ridge REAL NOT NULL,
  prior TEXT,
  labels_used INTEGER NOT NULL,
  log_det REAL NOT NULL,
  created_at TEXT NOT NULL
);
CREATE TABLE pairs (
  i INTEGER NOT NULL REFERENCES responses(idx),
  j INTEGER NOT NULL REFERENCES responses(idx),
  round INTEGER NOT NULL REFERENCES rounds(round),
  position INTEGER NOT NULL,
  score REAL NOT NULL,
  gain REAL NOT NULL,
  label INTEGER CHECK (label IN (0, 1)),
  PRIMARY KEY (i, j),
  CHECK (i < j)
);
CREATE INDEX pairs_round ON pairs(round, position);
`;

function loadDriver(): typeof BetterSqlite3 {
  try {
    // Resolved from this package's folder (not import.meta.url, which the CommonJS build cannot hold).
    return createRequire(join(moduleFolder, 'package-root-probe.js'))('better-sqlite3') as typeof BetterSqlite3;
  } catch (err) {
    throw new CampaignStoreError(
      `campaign stores need the optional dependency better-sqlite3, which did not load here (${(err as Error).message.split('\n')[0]}); run \`npm install better-sqlite3@12\` (needs a C++ toolchain where no prebuilt binary exists)`,
    );
  }
}

function configure(db: Database): void {
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = FULL');
  db.pragma('foreign_keys = ON');
  // A second `next` waits for the first rather than failing at once.
  db.pragma('busy_timeout = 60000');
}

/** Creates a new store; refuses to touch an existing file. */
export function createStore(path: string, dim?: number): Database {
  if (existsSync(path)) throw new CampaignStoreError(`${path} already exists; campaign init makes a new store (pick another path, or use the existing one)`);
  const Driver = loadDriver();
  let db: Database;
  try {
    db = new Driver(path);
  } catch (err) {
    throw new CampaignStoreError(`${path}: cannot create the campaign store (${(err as Error).message}); check that the folder exists and is writable`);
  }
  configure(db);
  db.transaction(() => {
    db.exec(SCHEMA);
    db.prepare('INSERT INTO meta (key, value) VALUES (?, ?)').run('created_at', new Date().toISOString());
    if (dim !== undefined) db.prepare('INSERT INTO meta (key, value) VALUES (?, ?)').run('dim', String(dim));
    db.pragma(`application_id = ${APPLICATION_ID}`);
    db.pragma(`user_version = ${SCHEMA_VERSION}`);
  })();
  return db;
}

/** Opens an existing store after checking that it is one, of a version this code reads. */
export function openStore(path: string): Database {
  if (!existsSync(path)) throw new CampaignStoreError(`${path}: no such campaign store; create it with \`active-rm campaign init --store ${path}\``);
  if (!statSync(path).isFile()) throw new CampaignStoreError(`${path} is not a file; --store takes a campaign store made by \`campaign init\``);
  const Driver = loadDriver();
  let db: Database | undefined;
  try {
    // Only SQLite files are opened at all, and nothing is written (WAL switch included) before
    // the application_id says the file is ours.
    if (!isSqliteFile(path)) throw new CampaignStoreError(`${path} is not an active-rm campaign store (not a SQLite database); pass a store made by \`campaign init\``);
    db = new Driver(path, { fileMustExist: true });
    const app = db.pragma('application_id', { simple: true }) as number;
    const version = db.pragma('user_version', { simple: true }) as number;
    if (app !== APPLICATION_ID) throw new CampaignStoreError(`${path} is not an active-rm campaign store (SQLite application_id ${app}); pass a store made by \`campaign init\``);
    if (version !== SCHEMA_VERSION && version !== UPGRADABLE_VERSION) throw new CampaignStoreError(`${path}: campaign store schema version ${version}, but this active-rm reads version ${SCHEMA_VERSION}; use the active-rm version that made it`);
    const check = db.pragma('quick_check', { simple: true });
    if (check !== 'ok') throw new CampaignStoreError(`${path}: the store is damaged (SQLite quick_check: ${String(check)}); restore it from a backup`);
    configure(db);
    if (version === UPGRADABLE_VERSION) {
      const open = db;
      open.transaction(() => {
        open.exec('ALTER TABLE rounds ADD COLUMN prior TEXT');
        open.pragma(`user_version = ${SCHEMA_VERSION}`);
      })();
    }
    return db;
  } catch (err) {
    db?.close();
    if (err instanceof CampaignStoreError) throw err;
    const code = (err as { code?: string }).code;
    if (code === 'SQLITE_NOTADB' || code === 'SQLITE_CORRUPT') {
      throw new CampaignStoreError(`${path} is not an active-rm campaign store (not a SQLite database, or a damaged one); pass a store made by \`campaign init\``);
    }
    throw new CampaignStoreError(`${path}: cannot open the campaign store (${code ?? (err as Error).message})`);
  }
}

function isSqliteFile(path: string): boolean {
  const fd = openSync(path, 'r');
  try {
    const head = Buffer.alloc(16);
    return readSync(fd, head, 0, 16, 0) === 16 && head.toString('latin1') === 'SQLite format 3\0';
  } finally {
    closeSync(fd);
  }
}
