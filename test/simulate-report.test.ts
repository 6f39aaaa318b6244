import { describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CommanderError } from 'commander';
import { meanInterval } from '../lib/report/stats.js';
import { summarize } from '../lib/report/summary.js';
import { formatCsv } from '../lib/report/csv.js';
import { formatTable } from '../lib/report/table.js';
import { simulateCommand } from '../lib/cli/simulate.js';

const run = (metric: number[]) => ({ budgets: [10, 20, 30], metrics: { spearman: metric, 'bon@5': metric }, ridges: [1, 1, 1], selectMs: 1, trainMs: 1 });

describe('report', () => {
  it('mean and Student-t 95% interval over seeds', () => {
    // mean 2, sd 1, n 3: half-width 4.303 / √3
    const iv = meanInterval([1, 2, 3]);
    expect(iv.mean).toBe(2);
    expect(iv.hi - 2).toBeCloseTo(4.303 / Math.sqrt(3), 12);
    expect(meanInterval([5])).toEqual({ mean: 5, lo: 5, hi: 5 });
    expect(meanInterval([NaN, 4, 4]).mean).toBe(4);
  });

  it('summarizes per rule and budget and finds the labels to reach random\'s final mean', () => {
    const rep = summarize({ seeds: [0, 1] }, {
      random: [run([0.2, 0.5, 0.8]), run([0.2, 0.5, 0.8])],
      dopt: [run([0.3, 0.81, 0.9]), run([0.3, 0.83, 0.9])],
    });
    expect(rep.target.value).toBeCloseTo(0.8, 12);
    expect(rep.rules.random!.labelsToTarget).toBe(30);
    expect(rep.rules.dopt!.labelsToTarget).toBe(20);
    // Every bootstrap resample of these two seeds reaches 0.8 at 20 labels.
    expect(rep.rules.dopt!.labelsToTargetInterval).toEqual([20, 20]);
    expect(rep.rules.dopt!.ridge).toEqual([1, 1, 1]);
    expect(rep.rules.dopt!.budgets).toEqual([10, 20, 30]);
    expect(formatCsv(rep).split('\n')[1]).toBe('random,spearman,10,0.2,0.2,0.2');
    expect(formatTable(rep)).toContain('labels→target');
  });

  it('pairs each rule with random per seed: the difference interval ignores spread shared by a seed', () => {
    // Seeds differ by a lot, the rule is ahead by exactly 0.05 on each: the paired interval is exact.
    const rep = summarize({ seeds: [0, 1, 2] }, {
      random: [run([0.1, 0.2, 0.3]), run([0.5, 0.6, 0.7]), run([0.2, 0.4, 0.5])],
      dopt: [run([0.15, 0.25, 0.35]), run([0.55, 0.65, 0.75]), run([0.25, 0.45, 0.55])],
    });
    const v = rep.rules.dopt!.vsRandom!;
    for (let t = 0; t < 3; t++) {
      expect(v.mean[t]).toBeCloseTo(0.05, 12);
      expect(v.hi[t]! - v.lo[t]!).toBeLessThan(1e-9);
    }
    // The unpaired intervals of the two rules overlap widely.
    expect((rep.rules.dopt!.spearman as { lo: number[] }).lo[2]).toBeLessThan((rep.rules.random!.spearman as { hi: number[] }).hi[2]!);
    expect(rep.rules.random!.vsRandom).toBeUndefined();
    expect(formatTable(rep)).toMatch(/dopt .*\+0\.050 \[\+0\.050, \+0\.050\]/);
  });
});

describe('simulate command', () => {
  const quiet = (c: ReturnType<typeof simulateCommand>) => c.exitOverride().configureOutput({ writeErr: () => {}, writeOut: () => {} });

  it('exits 2 with a one-line message on bad usage', async () => {
    for (const argv of [['--rounds', 'x'], ['--methods', 'dopt,nope'], ['--seeds', '-1'], ['--pool', 'sideways'], ['--dataset', '/no/such/file.npy']]) {
      const err = await quiet(simulateCommand()).parseAsync(argv, { from: 'user' }).catch((e: unknown) => e);
      expect(err, argv.join(' ')).toBeInstanceOf(CommanderError);
      expect((err as CommanderError).exitCode, argv.join(' ')).toBe(2);
      expect((err as CommanderError).message.split('\n').filter(Boolean)).toHaveLength(1);
    }
  });

  it('writes report.json, CSV, SVG and PNG', async () => {
    const out = mkdtempSync(join(tmpdir(), 'arm-sim-'));
    const write = process.stdout.write;
    process.stdout.write = (() => true) as typeof process.stdout.write;
    try {
      await quiet(simulateCommand()).parseAsync(['--methods', 'random,dopt', '--rounds', '2', '--per-round', '5', '--seeds', '2', '--prompts-per-round', '20', '--out', out], { from: 'user' });
    } finally {
      process.stdout.write = write;
    }
    const rep = JSON.parse(readFileSync(join(out, 'report.json'), 'utf8'));
    expect(Object.keys(rep.rules)).toEqual(['random', 'dopt']);
    expect(rep.rules.dopt.budgets).toEqual([5, 10]);
    expect(rep.rules.dopt.spearman.mean).toHaveLength(2);
    expect(rep.rules.dopt['bon@10'].lo).toHaveLength(2);
    expect(rep.config.seeds).toEqual([0, 1]);
    for (const f of ['report.csv', 'curves.svg', 'curves.png']) expect(existsSync(join(out, f))).toBe(true);
    expect(readFileSync(join(out, 'curves.svg'), 'utf8')).toContain('<svg');
  });
});
