/**
 * `active-rm simulate`: compare selection rules by simulated annotation campaigns and write the
 * report (table on stdout, report.json / report.csv / curves.svg / curves.png in --out).
 */
import { Command, InvalidArgumentError, Option } from 'commander';
import { loadDataset } from '../datasets/files.js';
import { InputFileError } from '../io/errors.js';
import { createProgress } from '../report/progress.js';
import { summarize } from '../report/summary.js';
import { formatTable } from '../report/table.js';
import { reportJson, writeReport } from '../report/write.js';
import { selectPairs } from '../api/select-pairs.js';
import { runComparison } from '../simulate/run.js';
import { METHODS, type BackendChoice, type Method, type PoolKind, type PriorChoice } from '../types.js';

class UsageError extends Error {}

/** Thrown by option parsers: commander turns it into "error: option … is invalid. <message>". */
const bad = (message: string): InvalidArgumentError => new InvalidArgumentError(message);

function int(name: string, min: number) {
  return (v: string): number => {
    const x = Number(v);
    if (!Number.isInteger(x) || x < min) throw bad(`${name} must be an integer ≥ ${min} (got "${v}")`);
    return x;
  };
}

function positive(name: string) {
  return (v: string): number => {
    const x = Number(v);
    if (!(x > 0) || !Number.isFinite(x)) throw bad(`${name} must be a number > 0 (got "${v}")`);
    return x;
  };
}

function ridgeArg(v: string): number | 'auto' {
  return v.trim() === 'auto' ? 'auto' : positive('--ridge')(v);
}

/**
 * The default campaign: random, the λ-free design (xtx) and the two greedy D-optimal rules, over
 * 20 seeds — enough that the paired final Spearman differences to random (half-width ≈ 0.05) separate
 * the D-optimal rules from random on the embedded world, in under a minute on 2 cores natively.
 * `--methods all` compares every rule.
 */
const DEFAULT_METHODS: readonly Method[] = ['random', 'xtx', 'greedy-dopt', 'past-greedy-dopt'];
const DEFAULT_SEEDS = 20;

function methodList(v: string): Method[] {
  if (v.trim() === 'all') return [...METHODS];
  const list = v.split(',').map((s) => s.trim()).filter(Boolean);
  for (const m of list) {
    if (!(METHODS as readonly string[]).includes(m)) throw bad(`unknown rule "${m}"; choose from ${METHODS.join(', ')}`);
  }
  if (list.length === 0) throw bad('empty; give a comma-separated list of rules');
  return list as Method[];
}

/** "3" means seeds 0, 1, 2; "7,11" means exactly those. */
function seedList(v: string): number[] {
  if (/^\d+$/.test(v)) {
    const n = Number(v);
    if (n < 1) throw bad('must be ≥ 1 (a count) or a comma-separated list of seeds');
    return Array.from({ length: n }, (_, s) => s);
  }
  const list = v.split(',').map((s) => Number(s.trim()));
  if (list.some((s) => !Number.isInteger(s) || s < 0)) throw bad(`"${v}" is neither a count nor a comma-separated list of non-negative integers`);
  return list;
}

interface Opts {
  dataset: string;
  methods: Method[];
  rounds: number;
  perRound: number;
  seeds: number[];
  pool: PoolKind;
  promptsPerRound: number;
  crossSample?: number;
  model: 'linear' | 'mlp';
  beta: number;
  ridge: number | 'auto';
  prior?: PriorChoice;
  testFraction: number;
  backend: BackendChoice;
  samples: number;
  width: number;
  epochs: number;
  lr: number;
  batchSize: number;
  weightDecay: number;
  warmStart: boolean;
  out: string;
  json: boolean;
}

export function simulateCommand(): Command {
  const cmd = new Command('simulate')
    .description('compare selection rules by simulated annotation campaigns (the paper\'s protocol) and write a report')
    .option('--dataset <spec>', "'synthetic' (embedded), DIR with embeddings.npy + rewards.npy, or FILE.npy of labeled pairs [pairs, 2, d]", 'synthetic')
    .addOption(new Option('--methods <list>', `comma-separated rules (${METHODS.join(', ')}), or all`).argParser(methodList).default([...DEFAULT_METHODS], DEFAULT_METHODS.join(',')))
    .option('--rounds <n>', 'labeling rounds', int('--rounds', 1), 10)
    .option('--per-round <k>', 'labels per round', int('--per-round', 1), 20)
    .addOption(new Option('--seeds <n|list>', 'seed count (seeds 0…n−1) or a comma-separated list').argParser(seedList).default(Array.from({ length: DEFAULT_SEEDS }, (_, i) => i), String(DEFAULT_SEEDS)))
    .addOption(new Option('--pool <kind>', 'candidate pairs each round').choices(['within', 'cross', 'all']).default('within'))
    .option('--prompts-per-round <n>', 'prompts (or labeled pairs) drawn into each round\'s pool', int('--prompts-per-round', 1), 100)
    .option('--cross-sample <n>', 'cross-prompt pairs sampled per round (default: as many as within)', int('--cross-sample', 1))
    .addOption(new Option('--model <kind>', 'reward model').choices(['linear', 'mlp']).default('linear'))
    .option('--beta <b>', 'label sharpness: P(i ≻ j) = σ(β (r*_i − r*_j))', positive('--beta'), 1)
    .option('--ridge <tau|auto>', "ridge τ of the information matrix and of the linear head: auto (each round, the labels' Laplace evidence; before any label, the pool's scale) or a fixed number > 0", ridgeArg, 'auto')
    .addOption(new Option('--prior <shape>', "shape of the ridge's prior: isotropic (τI), standardized (τ·diag(s²), s the features' per-axis spread), or auto (with --ridge auto, the default: the labels' evidence chooses; before any label, standardized). Default with a fixed --ridge: isotropic").choices(['auto', 'isotropic', 'standardized']))
    .option('--test-fraction <f>', 'share of prompts (or pairs) held out for evaluation', positive('--test-fraction'), 0.2)
    .addOption(new Option('--backend <name>', 'kernels for selection and for the MLP (native or cuda: its native CPU kernel)').choices(['auto', 'js', 'native', 'cuda']).default('auto'))
    .option('--samples <n>', 'batchbald posterior samples', int('--samples', 2), 32)
    .option('--width <n>', 'MLP hidden width', int('--width', 1), 64)
    .option('--epochs <n>', 'MLP epochs per round', int('--epochs', 1), 30)
    .option('--lr <x>', 'MLP Adam learning rate', positive('--lr'), 1e-3)
    .option('--batch-size <n>', 'MLP pairs per Adam step', int('--batch-size', 1), 32)
    .option('--weight-decay <x>', 'MLP L2 weight decay', (v) => {
      const x = Number(v);
      if (!(x >= 0)) throw bad(`--weight-decay must be a number ≥ 0 (got "${v}")`);
      return x;
    }, 0)
    .option('--warm-start', 'MLP: continue from last round\'s weights instead of retraining from scratch', false)
    .option('--out <dir>', 'folder for report.json, report.csv, curves.svg, curves.png', 'simulate-report')
    .option('--json', 'print report.json on stdout instead of the table', false)
    .action(async function (this: Command, o: Opts) {
      try {
        await run(o);
      } catch (err) {
        if (err instanceof UsageError || err instanceof InputFileError) this.error(`active-rm simulate: ${err.message}`, { exitCode: 2 });
        throw err;
      }
    });
  // Every usage error — ours, and commander's own (unknown option, bad choice, missing value) —
  // exits 2, so scripts can tell "fix the command line" from a failure (exit 1).
  const error = cmd.error.bind(cmd);
  cmd.error = (message: string, opts?: { code?: string; exitCode?: number }): never => {
    const usage = opts?.code === undefined || (opts.code.startsWith('commander.') && !/help|version/.test(opts.code));
    return error(message, { ...opts, exitCode: usage ? 2 : (opts?.exitCode ?? 1) });
  };
  return cmd;
}

async function run(o: Opts): Promise<void> {
  if (o.prior === 'auto' && o.ridge !== 'auto') throw new UsageError(`--prior auto chooses the shape by the labels' evidence together with τ and needs --ridge auto (got --ridge ${o.ridge}); use --prior isotropic or standardized with a fixed τ`);
  const prior: PriorChoice = o.prior ?? (o.ridge === 'auto' ? 'auto' : 'isotropic');
  if (o.testFraction >= 1) throw new UsageError(`--test-fraction must be < 1 (got ${o.testFraction})`);
  const data = await loadDataset(o.dataset);
  if (data.kind === 'pairs' && o.pool !== 'within') {
    throw new UsageError(`--pool ${o.pool}: ${o.dataset} has human labels only for its own pairs; use --pool within (the default) with a labeled-pairs file`);
  }
  const config = {
    dataset: o.dataset,
    kind: data.kind,
    dim: data.dim,
    ...(data.kind === 'prompts' ? { prompts: data.prompts, responses: data.responses } : { pairs: data.pairs }),
    methods: o.methods,
    seeds: o.seeds,
    rounds: o.rounds,
    perRound: o.perRound,
    pool: o.pool,
    promptsPerRound: o.promptsPerRound,
    crossSample: o.crossSample ?? null,
    model: o.model,
    ...(o.model === 'mlp' ? { mlp: { width: o.width, epochs: o.epochs, lr: o.lr, batchSize: o.batchSize, weightDecay: o.weightDecay, warmStart: o.warmStart } } : {}),
    beta: data.kind === 'prompts' ? o.beta : null,
    ridge: o.ridge,
    prior,
    testFraction: o.testFraction,
    backend: o.backend,
    samples: o.samples,
  };
  const progress = createProgress(o.methods.length * o.seeds.length * o.rounds);
  const t0 = performance.now();
  let results;
  try {
    results = await runComparison(
      {
        data,
        methods: o.methods,
        seeds: o.seeds,
        rounds: o.rounds,
        perRound: o.perRound,
        pool: { kind: o.pool, units: o.promptsPerRound, crossSample: o.crossSample },
        model: o.model,
        mlp: { width: o.width, epochs: o.epochs, lr: o.lr, batchSize: o.batchSize, weightDecay: o.weightDecay, warmStart: o.warmStart },
        ridge: o.ridge,
        prior,
        beta: o.beta,
        testFraction: o.testFraction,
        backend: o.backend,
        samples: o.samples,
        select: selectPairs,
      },
      progress,
    );
  } finally {
    progress.stop();
  }
  const seconds = (performance.now() - t0) / 1000;
  const report = summarize({ ...config, seconds: Number(seconds.toFixed(2)) }, results);
  const files = await writeReport(report, o.out);
  if (o.json) process.stdout.write(reportJson(report));
  else {
    process.stdout.write(formatTable(report) + '\n');
    process.stdout.write(`${seconds.toFixed(1)} s; wrote ${files.join(', ')}\n`);
  }
}
