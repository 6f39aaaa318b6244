import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeNpy } from '../lib/io/npy.js';
import { ensureBuilt, HH, runCli, stderrLines } from './cli-helpers.js';

const tmp = mkdtempSync(join(tmpdir(), 'active-rm-cli-'));
const f = (name: string): string => join(tmp, name);
const P = 6; // prompts
const R = 3; // responses per prompt
const D = 4;

beforeAll(() => {
  ensureBuilt();
  // Deterministic, generic features: no ties between candidate scores.
  const x = new Float32Array(P * R * D);
  for (let t = 0; t < x.length; t++) x[t] = Math.sin(1.7 * t + 0.3) + 0.1 * Math.cos(t * t);
  writeNpy(f('emb3d.npy'), x, [P, R, D]);
  writeNpy(f('emb2d.npy'), x, [P * R, D]);
  writeNpy(f('ids.npy'), BigInt64Array.from({ length: P * R }, (_, i) => BigInt(100 + Math.floor(i / R))), [P * R]);
  writeNpy(f('ids-short.npy'), Int32Array.from([0, 1]), [2]);
  writeNpy(f('head.npy'), Float64Array.from([0.5, -1, 0.25, 2]), [D]);
  writeNpy(f('head-bad.npy'), Float64Array.from([0.5, -1, 0.25]), [3]);
  writeNpy(f('int-emb.npy'), Int32Array.from({ length: 8 }, (_, i) => i), [2, 4]);
  writeNpy(f('emb1d.npy'), new Float32Array(8), [8]);
  writeFileSync(f('past.jsonl'), '{"i":0,"j":1,"label":1}\n{"i":4,"j":3,"label":0}\n{"i":6,"j":8,"label":1}\n');
  writeFileSync(f('past-range.jsonl'), '{"i":0,"j":1,"label":1}\n{"i":2,"j":999,"label":1}\n');
  writeFileSync(f('past-bad.jsonl'), '{"i":0,"j":1,"label":1}\n{"i":2,\n');
  writeFileSync(f('pool.jsonl'), '{"i":0,"j":5}\n{"i":1,"j":9}\n{"i":2,"j":17}\n{"i":3,"j":4}\n');
});
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const pairOk = ([i, j]: number[]): boolean => Number.isInteger(i) && Number.isInteger(j) && i! < j!;

describe('select: good paths', () => {
  it.runIf(existsSync(HH))('selects 64 pairs from the shared HH embeddings with --json', async () => {
    const r = await runCli(['select', '--embeddings', HH, '--k', '64', '--method', 'greedy-dopt', '--json']);
    expect(r.code, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out.pairs).toHaveLength(64);
    expect(out.pairs.every(pairOk)).toBe(true);
    // HH holds 2 responses per prompt and --pool defaults to within: every pair is (2p, 2p+1).
    expect(out.pairs.every(([i, j]: number[]) => i! % 2 === 0 && j === i! + 1)).toBe(true);
    expect(out.scores).toHaveLength(64);
    expect(out.gains).toHaveLength(64);
    expect(Number.isFinite(out.logDet)).toBe(true);
    expect(out.method).toBe('greedy-dopt');
    expect(['js', 'native', 'cuda']).toContain(out.backend);
    expect(out.seconds).toBeGreaterThanOrEqual(0);
    expect(r.stderr).toMatch(/zero head/);
  });

  it('writes JSONL with --out, prompt ids from the 3-D layout', async () => {
    const out = f('sel.jsonl');
    const r = await runCli(['select', '--embeddings', f('emb3d.npy'), '--k', '5', '--pool', 'all', '--out', out]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/wrote 5 pairs/);
    const rows = readFileSync(out, 'utf8').trim().split('\n').map((l) => JSON.parse(l));
    expect(rows).toHaveLength(5);
    for (const row of rows) {
      expect(Object.keys(row)).toEqual(['i', 'j', 'prompt_i', 'prompt_j', 'score', 'gain']);
      expect(row.i).toBeLessThan(row.j);
      expect(row.prompt_i).toBe(Math.floor(row.i / R));
      expect(row.prompt_j).toBe(Math.floor(row.j / R));
    }
  });

  it('prints JSONL on stdout without --out/--json, keeping the ids of --prompts; progress goes to stderr, a line per phase', async () => {
    const r = await runCli(['select', '--embeddings', f('emb2d.npy'), '--prompts', f('ids.npy'), '--pool', 'cross', '--k', '4', '--head', f('head.npy')]);
    expect(r.code, r.stderr).toBe(0);
    expect(stderrLines(r)).toEqual([
      expect.stringMatching(/^select: \[1\/4\] reading inputs \(\d+\.\d\d s\)$/),
      expect.stringMatching(/^select: \[2\/4\] fitting the head \(/),
      expect.stringMatching(/^select: \[3\/4\] selecting 4 pairs \(greedy-dopt\): 4\/4 picks \(\d+\.\d\d s\)$/),
      expect.stringMatching(/^select: \[4\/4\] writing \(/),
    ]);
    const rows = r.stdout.trim().split('\n').map((l) => JSON.parse(l));
    expect(rows).toHaveLength(4);
    for (const row of rows) {
      expect(row.prompt_i).toBe(100 + Math.floor(row.i / R));
      expect(row.prompt_i).not.toBe(row.prompt_j);
    }
  });

  it('fits a head on labeled --past pairs and never proposes them again', async () => {
    const r = await runCli(['select', '--embeddings', f('emb3d.npy'), '--past', f('past.jsonl'), '--method', 'past-greedy-dopt', '--k', '15', '--json']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/fitted a ridge logistic Bradley–Terry head on the 3 labeled --past pairs/);
    const keys = new Set(JSON.parse(r.stdout).pairs.map(([i, j]: number[]) => `${i},${j}`));
    expect(keys.size).toBe(15);
    for (const past of ['0,1', '3,4', '6,8']) expect(keys.has(past)).toBe(false);
  });

  it('without --head, fits the head with the auto ridge, says which τ, and uses that τ in M', async () => {
    const r = await runCli(['select', '--embeddings', f('emb3d.npy'), '--past', f('past.jsonl'), '--method', 'greedy-dopt', '--k', '3', '--json']);
    expect(r.code, r.stderr).toBe(0);
    const said = /τ = ([0-9.e+-]+), chosen by the Laplace evidence of the labels, (isotropic|standardized) prior/.exec(r.stderr);
    expect(said, r.stderr).not.toBeNull();
    const out = JSON.parse(r.stdout);
    expect(out.ridgeSource).toBe('evidence');
    expect(out.ridge / Number(said![1])).toBeCloseTo(1, 3);
    expect(out.prior).toBe(said![2]);
    const fixed = await runCli(['select', '--embeddings', f('emb3d.npy'), '--past', f('past.jsonl'), '--k', '3', '--ridge', '2', '--json']);
    expect(fixed.stderr).toMatch(/τ = 2, isotropic prior;/);
    expect(JSON.parse(fixed.stdout)).toMatchObject({ ridge: 2, ridgeSource: 'fixed', prior: 'isotropic' });
    const std = await runCli(['select', '--embeddings', f('emb3d.npy'), '--past', f('past.jsonl'), '--k', '3', '--ridge', '2', '--prior', 'standardized', '--json']);
    expect(std.stderr).toMatch(/τ = 2, standardized prior;/);
    expect(JSON.parse(std.stdout)).toMatchObject({ ridge: 2, ridgeSource: 'fixed', prior: 'standardized' });
    const mixed = await runCli(['select', '--embeddings', f('emb3d.npy'), '--k', '3', '--ridge', '2', '--prior', 'auto']);
    expect(mixed.code).toBe(2);
    expect(mixed.stderr).toMatch(/--prior auto .* needs --ridge auto/);
    const unknown = await runCli(['select', '--embeddings', f('emb3d.npy'), '--k', '3', '--prior', 'diagonal']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/isotropic, standardized/);
    const bad = await runCli(['select', '--embeddings', f('emb3d.npy'), '--k', '3', '--ridge', 'big']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/Expected 'auto' or a finite number > 0/);
  });

  it('takes an explicit pool from a JSONL file, and 2-D embeddings without --prompts for it', async () => {
    const r = await runCli(['select', '--embeddings', f('emb2d.npy'), '--pool', f('pool.jsonl'), '--k', '2', '--method', 'dopt', '--json']);
    expect(r.code, r.stderr).toBe(0);
    const allowed = new Set(['0,5', '1,9', '2,17', '3,4']);
    for (const [i, j] of JSON.parse(r.stdout).pairs) expect(allowed.has(`${i},${j}`)).toBe(true);
  });

  // The engine tests cover the rules; this only checks that non-default names and --seed pass through.
  it('passes other rules and --seed through', async () => {
    const rules = ['xtx', 'batchbald'];
    const results = await Promise.all(
      rules.map((m) => runCli(['select', '--embeddings', f('emb3d.npy'), '--head', f('head.npy'), '--pool', 'all', '--k', '3', '--method', m, '--seed', '7', '--json'])),
    );
    results.forEach((r, t) => {
      expect(r.code, `${rules[t]}: ${r.stderr}`).toBe(0);
      expect(JSON.parse(r.stdout).pairs).toHaveLength(3);
    });
  });
});

// The phases that finished before the error keep their progress lines; the error is one line, the last.
describe.concurrent('select: bad usage exits 2 with one error line on stderr', () => {
  const cases: [string, () => string[], RegExp][] = [
    ['missing file', () => ['--embeddings', f('nope.npy'), '--k', '3'], /--embeddings .*nope\.npy: no such file/],
    ['wrong dtype', () => ['--embeddings', f('int-emb.npy'), '--k', '3', '--pool', 'all'], /--embeddings .*dtype int32 is not a float type/],
    ['1-D embeddings', () => ['--embeddings', f('emb1d.npy'), '--k', '3'], /neither \[n, d\] nor \[prompts, responses, d\]/],
    ['Fortran order', () => ['--embeddings', join(import.meta.dirname, 'fixtures', 'fortran.npy'), '--k', '1'], /Fortran-order.*ascontiguousarray/],
    ['head shape mismatch', () => ['--embeddings', f('emb3d.npy'), '--head', f('head-bad.npy'), '--k', '3'], /--head .*shape \(3\) does not match .*d = 4/],
    ['prompts shape mismatch', () => ['--embeddings', f('emb2d.npy'), '--prompts', f('ids-short.npy'), '--k', '3'], /--prompts .*has 2 ids but --embeddings has 18 responses/],
    ['prompts with 3-D embeddings', () => ['--embeddings', f('emb3d.npy'), '--prompts', f('ids.npy'), '--k', '3'], /drop --prompts/],
    ['within on 2-D without prompts', () => ['--embeddings', f('emb2d.npy'), '--k', '3'], /--pool within needs prompts/],
    ['unknown method', () => ['--embeddings', f('emb3d.npy'), '--k', '3', '--method', 'best'], /--method.*'best' is invalid.*greedy-dopt/],
    ['k too big', () => ['--embeddings', f('emb3d.npy'), '--k', '19'], /k \(19\) is larger than the candidate pool \(18 pairs\)/],
    ['k zero', () => ['--embeddings', f('emb3d.npy'), '--k', '0'], /--k.*'0' is invalid/],
    ['k not a number', () => ['--embeddings', f('emb3d.npy'), '--k', '2.5'], /--k.*'2\.5' is invalid/],
    ['k missing', () => ['--embeddings', f('emb3d.npy')], /required option '--k/],
    ['bad ridge', () => ['--embeddings', f('emb3d.npy'), '--k', '3', '--ridge', 'abc'], /--ridge.*'abc' is invalid/],
    ['bad cross-sample', () => ['--embeddings', f('emb3d.npy'), '--k', '3', '--cross-sample', '-5'], /--cross-sample.*'-5' is invalid/],
    ['unknown option', () => ['--embeddings', f('emb3d.npy'), '--k', '3', '--kk', '4'], /unknown option '--kk'/],
    ['misspelled required option', () => ['--embedings', f('emb3d.npy'), '--k', '3'], /unknown option '--embedings'.*Did you mean --embeddings\?/],
    ['unknown pool', () => ['--embeddings', f('emb3d.npy'), '--k', '3', '--pool', 'everything'], /--pool "everything"/],
    ['past out of range', () => ['--embeddings', f('emb3d.npy'), '--k', '3', '--past', f('past-range.jsonl')], /--past .*pair 2 uses response 999/],
    ['past bad JSON', () => ['--embeddings', f('emb3d.npy'), '--k', '3', '--past', f('past-bad.jsonl')], /--past .*line 2: not valid JSON/],
    ['out folder missing', () => ['--embeddings', f('emb3d.npy'), '--k', '3', '--out', f('no/such/dir/x.jsonl')], /--out .*cannot write/],
  ];
  it.each(cases)('%s', async (_name, args, pattern) => {
    const r = await runCli(['select', ...args()]);
    expect(r.code, r.stderr).toBe(2);
    expect(r.stdout).toBe('');
    const lines = stderrLines(r);
    expect(lines.filter((l) => !/^select: \[\d\/4\] /.test(l)), r.stderr).toHaveLength(1);
    expect(lines.at(-1)).toMatch(/^active-rm: error: /);
    expect(lines.at(-1)).toMatch(pattern);
  });

  it('--quiet leaves stderr empty (no progress, no notes)', async () => {
    const out = f('quiet.jsonl');
    const r = await runCli(['select', '--embeddings', f('emb3d.npy'), '--k', '3', '--out', out, '--quiet']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toBe('');
    expect(readFileSync(out, 'utf8').trim().split('\n')).toHaveLength(3);
  });

  it('--verbose adds the stack', async () => {
    const r = await runCli(['select', '--embeddings', f('nope.npy'), '--k', '3', '--verbose']);
    expect(r.code).toBe(2);
    expect(stderrLines(r).length).toBeGreaterThan(1);
    expect(r.stderr).toMatch(/\n\s+at /);
  });
});

describe('select: other input forms', () => {
  const fixture = (name: string): string => join(import.meta.dirname, 'fixtures', name);

  it('reads numpy-written float16 embeddings', async () => {
    const r = await runCli(['select', '--embeddings', fixture('f2_2x2.npy'), '--pool', 'all', '--k', '1', '--json']);
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout).pairs).toEqual([[0, 1]]);
  });

  it('takes an explicit pool from an [m, 2] integer .npy and refuses other shapes', async () => {
    writeNpy(f('pool.npy'), BigInt64Array.from([0n, 5n, 3n, 4n, 9n, 1n]), [3, 2]);
    writeNpy(f('pool-bad.npy'), Int32Array.from([0, 5, 3]), [3]);
    const [good, bad] = await Promise.all([
      runCli(['select', '--embeddings', f('emb3d.npy'), '--pool', f('pool.npy'), '--k', '3', '--json']),
      runCli(['select', '--embeddings', f('emb3d.npy'), '--pool', f('pool-bad.npy'), '--k', '1']),
    ]);
    expect(good.code, good.stderr).toBe(0);
    const picked = JSON.parse(good.stdout).pairs.map(([i, j]: number[]) => `${i},${j}`).sort();
    expect(picked).toEqual(['0,5', '1,9', '3,4']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/--pool .*expected an \[m, 2\] integer array/);
  });
});
