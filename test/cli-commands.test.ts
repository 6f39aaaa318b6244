import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { ensureBuilt, ROOT, runCli, runCommand, stderrLines } from './cli-helpers.js';

beforeAll(ensureBuilt);

const COMMANDS = ['select', 'info', 'simulate', ...(existsSync(join(ROOT, 'lib', 'bench', 'index.ts')) ? ['bench'] : [])];

describe.concurrent('active-rm', () => {
  it('--help lists every command and exits 0', async () => {
    const r = await runCli(['--help']);
    expect(r.code).toBe(0);
    for (const c of COMMANDS) expect(r.stdout).toMatch(new RegExp(`^\\s+${c} `, 'm'));
  });

  it.each(COMMANDS)('%s --help exits 0', async (c) => {
    const r = await runCli([c, '--help']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(new RegExp(`Usage: active-rm ${c}`));
  });

  it('`npx active-rm` runs from a clone, as the README sets it up (the bin is executable)', async () => {
    const r = await runCommand('npx', ['--no-install', 'active-rm', '--version']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout.trim()).toMatch(/^\d+\.\d+\.\d+/);
  });

  it('--version prints the package version', async () => {
    const r = await runCli(['--version']);
    expect(r.code).toBe(0);
    expect(r.stdout.trim()).toMatch(/^\d+\.\d+\.\d+/);
  });

  it('an unknown command exits 2 with one line', async () => {
    const r = await runCli(['selcet']);
    expect(r.code).toBe(2);
    expect(stderrLines(r)).toHaveLength(1);
    expect(r.stderr).toMatch(/unknown command 'selcet'.*select/);
  });

  it('no command prints the help on stderr and exits 2', async () => {
    const r = await runCli([]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/Usage: active-rm/);
  });

  it('info prints versions and backend status', async () => {
    const r = await runCli(['info']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^active-rm \d+\.\d+\.\d+/);
    expect(r.stdout).toMatch(new RegExp(`node\\s+${process.version.replace(/\./g, '\\.')}`));
    expect(r.stdout).toMatch(/^\s+native\s+(available|not available \(.+\))/m);
    expect(r.stdout).toMatch(/^\s+cuda\s+(available|not available \(.+\))/m);
  });

  it('info --json prints the backendInfo() object', async () => {
    const r = await runCli(['info', '--json']);
    expect(r.code, r.stderr).toBe(0);
    const info = JSON.parse(r.stdout);
    expect(['js', 'native', 'cuda']).toContain(info.active);
    expect(info.js).toEqual({ available: true });
    expect(typeof info.native.available).toBe('boolean');
    expect(typeof info.cuda.available).toBe('boolean');
  });

  it('info refuses an unknown option with exit 2', async () => {
    const r = await runCli(['info', '--jsno']);
    expect(r.code).toBe(2);
    expect(stderrLines(r)).toHaveLength(1);
  });
});

describe.concurrent('active-rm bench', () => {
  // A real run takes tens of seconds even with --quick; `npm run bench` is where timings live.
  it('refuses an unknown backend with exit 2', async () => {
    const r = await runCli(['bench', '--backends', 'js,tpu']);
    expect(r.code).toBe(2);
    expect(stderrLines(r)).toEqual([expect.stringMatching(/--backends "js,tpu": expected a comma-separated list of js, native, cuda/)]);
  });
});

describe.concurrent('active-rm simulate (wired from lib/cli/simulate.ts)', () => {
  it.each([
    [['--rounds', '0'], /--rounds/],
    [['--dataset', '/no/such/place'], /\/no\/such\/place/],
  ])('bad usage %j exits 2 with one line', async (args, pattern) => {
    const r = await runCli(['simulate', ...args, '--out', '/tmp/active-rm-never-written']);
    expect(r.code, r.stderr).toBe(2);
    expect(stderrLines(r)).toHaveLength(1);
    expect(r.stderr).toMatch(pattern);
  });
});
