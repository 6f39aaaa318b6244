/**
 * Parquet and Arrow embeddings, on files written by real writers (parquet-wasm / arrow-rs for
 * Parquet, apache-arrow's IPC writer for Arrow; scripts/make-embedding-fixtures.mjs).
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { InputFileError } from '../lib/io/errors.js';
import { readColumnarEmbeddings } from '../lib/io/columnar.js';
import { writeNpy } from '../lib/io/npy.js';
import { ensureBuilt, ROOT, runCli } from './cli-helpers.js';

const FIXTURES = join(ROOT, 'test', 'fixtures');
const emb = Float32Array.from({ length: 24 }, (_, k) => (4 * Math.floor(k / 4) + (k % 4)) / 8);
const embList = Float64Array.from({ length: 18 }, (_, k) => -(Math.floor(k / 3) + (k % 3)) / 4);

describe.each(['parquet', 'arrow'])('%s embeddings', (ext) => {
  const file = join(FIXTURES, `embeddings.${ext}`);

  it('reads the fixed_size_list<float32> column exactly, as float32', async () => {
    const e = await readColumnarEmbeddings(file, 'emb');
    expect([e.n, e.d]).toEqual([6, 4]);
    expect(e.features).toBeInstanceOf(Float32Array);
    expect(Array.from(e.features)).toEqual(Array.from(emb));
  });

  it('reads a list<float64> column as float64', async () => {
    const e = await readColumnarEmbeddings(file, 'emb_list');
    expect([e.n, e.d]).toEqual([6, 3]);
    expect(e.features).toBeInstanceOf(Float64Array);
    expect(Array.from(e.features)).toEqual(Array.from(embList));
  });

  it('asks for --column when there are several list columns, and names the choices', async () => {
    await expect(readColumnarEmbeddings(file)).rejects.toThrow(/several list columns \(emb, emb_list\); choose one with --column/);
    await expect(readColumnarEmbeddings(file, 'score')).rejects.toThrow(/column "score" is not a list of floats/);
    await expect(readColumnarEmbeddings(file, 'nope')).rejects.toThrow(/has no column "nope"; its columns: id, emb, emb_list, score/);
  });
});

describe('columnar input errors', () => {
  it('refuses a file that is not Parquet / Arrow with the file named', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'arm-col-'));
    for (const name of ['bad.parquet', 'bad.arrow']) {
      writeFileSync(join(dir, name), 'not columnar at all');
      const err = await readColumnarEmbeddings(join(dir, name)).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(InputFileError);
      expect((err as Error).message).toMatch(new RegExp(`${name}: not a readable (Parquet|Arrow IPC) file`));
    }
  });
});

describe('select takes Parquet / Arrow', () => {
  beforeAll(() => ensureBuilt());

  it('select picks the same pairs from the Parquet, Arrow and .npy copies of the embeddings', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'arm-col-'));
    writeNpy(join(dir, 'emb.npy'), emb, [6, 4]);
    const args = ['--pool', 'all', '--k', '5', '--json', '--backend', 'js'];
    const picks = await Promise.all(
      [['--embeddings', join(dir, 'emb.npy')], ['--embeddings', join(FIXTURES, 'embeddings.parquet'), '--column', 'emb'], ['--embeddings', join(FIXTURES, 'embeddings.arrow'), '--column', 'emb']].map(
        async (input) => {
          const r = await runCli(['select', ...input, ...args]);
          expect(r.code).toBe(0);
          return JSON.parse(r.stdout).pairs;
        },
      ),
    );
    expect(picks[0]).toHaveLength(5);
    expect(picks[1]).toEqual(picks[0]);
    expect(picks[2]).toEqual(picks[0]);
    const noColumn = await runCli(['select', '--embeddings', join(FIXTURES, 'embeddings.parquet'), ...args]);
    expect(noColumn.code).toBe(2);
    expect(noColumn.stderr).toMatch(/^active-rm: error: --embeddings .*embeddings\.parquet: has several list columns/);
    const npyColumn = await runCli(['select', '--embeddings', join(dir, 'emb.npy'), '--column', 'emb', ...args]);
    expect(npyColumn.stderr).toMatch(/--column emb: only Parquet and Arrow files have columns/);
  }, 60_000);
});
