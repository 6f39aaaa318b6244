/**
 * One simulated annotation campaign: a rule, a seed, `rounds` rounds of `perRound` labels each.
 * Round t: draw a candidate pool, let the rule pick through selectPairs (φ and w from the current
 * model; w = 0 before any label, i.e. λ = ¼ for every pair), reveal the labels, refit on every
 * label so far, evaluate on held-out prompts.
 */
import { abortError } from '../math/yielder.js';
import type { Dataset } from '../datasets/types.js';
import type { MlpOptions } from '../train/mlp.js';
import type { BackendChoice, Method, PriorChoice, PriorShape, SelectOptions, Selection } from '../types.js';
import { bestOfN, bonSizes, meanWithinSpearman, pairAccuracy } from './metrics.js';
import { LinearModel, MlpModel, type CampaignModel } from './model.js';
import { drawPool, type PoolOptions } from './pool.js';
import { revealLabel } from './labels.js';
import { mixSeed, PURPOSE } from './seeds.js';
import { splitUnits } from './split.js';

export type Selector = (options: SelectOptions) => Promise<Selection>;

export interface CampaignOptions {
  data: Dataset;
  method: Method;
  seed: number;
  rounds: number;
  perRound: number;
  pool: PoolOptions;
  model: 'linear' | 'mlp';
  mlp?: MlpOptions & { warmStart?: boolean };
  /** τ of the rules' information matrix, and the linear head's ridge (one Laplace posterior); 'auto':
   * the linear head's evidence chooses it each round and the rules use that τ (before any label,
   * and with the MLP, selectPairs' own 'auto'). */
  ridge: number | 'auto';
  /** Shape of that prior (train/prior-shape.ts); default as selectPairs': 'auto' with ridge 'auto'
   * (the head's evidence chooses, the rules get its choice and its s), else 'isotropic'. */
  prior?: PriorChoice;
  /** Label sharpness β for golden-reward datasets. */
  beta: number;
  testFraction: number;
  backend?: BackendChoice;
  /** batchbald posterior samples. */
  samples?: number;
  select: Selector;
  onRound?: (round: number) => void;
  /** Cancels the campaign: the running selection stops, and no further round starts. */
  signal?: AbortSignal;
}

export interface CampaignResult {
  /** Labels so far after each round. */
  budgets: number[];
  /** Metric name → value after each round. */
  metrics: Record<string, number[]>;
  /** The τ each round's selection used. */
  ridges: number[];
  /** The prior shape each round's selection used. */
  priors?: PriorShape[];
  selectMs: number;
  trainMs: number;
}

interface Evaluator {
  names: string[];
  run(model: CampaignModel): Promise<number[]>;
}

function evaluator(data: Dataset, test: Int32Array, seed: number): Evaluator {
  if (data.kind === 'pairs') {
    const rows = new Int32Array(2 * test.length);
    test.forEach((u, t) => {
      rows[2 * t] = 2 * u;
      rows[2 * t + 1] = 2 * u + 1;
    });
    const pairs = Int32Array.from(rows.keys());
    return { names: ['accuracy'], run: async (m) => [pairAccuracy(await m.predict(rows), pairs)] };
  }
  const R = data.responses;
  const rows = new Int32Array(test.length * R);
  const groups: Int32Array[] = [];
  test.forEach((u, t) => {
    for (let r = 0; r < R; r++) rows[t * R + r] = u * R + r;
    groups.push(Int32Array.from({ length: R }, (_, r) => t * R + r));
  });
  const golden = Float64Array.from(rows, (i) => data.golden[i]!);
  const sizes = bonSizes(R);
  return {
    names: ['spearman', ...sizes.map((n) => `bon@${n}`)],
    run: async (m) => {
      const pred = await m.predict(rows);
      return [meanWithinSpearman(pred, golden, groups), ...sizes.map((n) => bestOfN(pred, golden, groups, n, mixSeed(seed, PURPOSE.bon, n)))];
    },
  };
}

export async function runCampaign(o: CampaignOptions): Promise<CampaignResult> {
  const { data } = o;
  const units = data.kind === 'pairs' ? data.pairs : data.prompts;
  const split = splitUnits(units, o.testFraction, o.seed);
  const model: CampaignModel =
    o.model === 'linear'
      ? new LinearModel(data, o.ridge, { backend: o.backend, signal: o.signal }, o.prior)
      : new MlpModel(
          data,
          { ...o.mlp, seed: mixSeed(o.seed, PURPOSE.model, o.mlp?.seed ?? 0), warmStart: o.mlp?.warmStart ?? false },
          { backend: o.backend, signal: o.signal },
        );
  const evaluate = evaluator(data, split.test, o.seed);
  const metrics: Record<string, number[]> = Object.fromEntries(evaluate.names.map((n) => [n, []]));
  const budgets: number[] = [];
  const ridges: number[] = [];
  const priors: PriorShape[] = [];
  const labeled: number[] = [];
  const labels: number[] = [];
  const nRows = data.features.length / data.dim;
  const labeledKeys = new Set<number>();
  let selectMs = 0;
  let trainMs = 0;

  for (let round = 0; round < o.rounds; round++) {
    if (o.signal?.aborted) throw abortError(o.signal.reason);
    const pool = drawPool(data, split.train, o.pool, o.seed, round);
    // Compact feature matrix: this round's responses plus those of past pairs, so past-aware rules
    // see the labeled pairs without projecting every training response.
    const local = new Map<number, number>();
    const add = (g: number): number => {
      let l = local.get(g);
      if (l === undefined) local.set(g, (l = local.size));
      return l;
    };
    for (const g of pool.rows) add(g);
    for (const g of labeled) add(g);
    const rows = Int32Array.from(local.keys());
    const toLocal = (pairs: ArrayLike<number>): Int32Array => Int32Array.from(pairs, (g) => local.get(g)!);
    let fresh = 0;
    for (let p = 0; p < pool.pairs.length; p += 2) if (!labeledKeys.has(pool.pairs[p]! * nRows + pool.pairs[p + 1]!)) fresh++;
    const k = Math.min(o.perRound, fresh);
    if (k === 0) break;

    // With 'auto', hand the rules the head's whole prior (τ, shape, s): one posterior.
    const fitted = o.ridge === 'auto' ? model.ridge?.() : undefined;
    const shape = fitted === undefined ? undefined : model.prior?.();
    const t0 = performance.now();
    const sel = await o.select({
      features: await model.embed(rows),
      dim: model.dim,
      head: budgets.length === 0 ? new Float64Array(model.dim) : model.head(),
      pool: toLocal(pool.pairs),
      method: o.method,
      k,
      ridge: o.ridge === 'auto' ? (fitted ?? 'auto') : o.ridge,
      prior: shape ? shape.prior : o.prior,
      axisScale: shape?.axisScale,
      past: labeled.length > 0 ? { pairs: toLocal(labeled), labels } : undefined,
      seed: mixSeed(o.seed, PURPOSE.select, round),
      backend: o.backend,
      samples: o.samples,
      signal: o.signal,
    });
    const t1 = performance.now();
    for (let p = 0; p < sel.pairs.length; p += 2) {
      const i = rows[sel.pairs[p]!]!;
      const j = rows[sel.pairs[p + 1]!]!;
      labeled.push(i, j);
      labels.push(revealLabel(data, i, j, o.beta, o.seed));
      labeledKeys.add(Math.min(i, j) * nRows + Math.max(i, j));
    }
    await model.fit(Int32Array.from(labeled), Float64Array.from(labels));
    const values = await evaluate.run(model);
    const t2 = performance.now();
    selectMs += t1 - t0;
    trainMs += t2 - t1;
    budgets.push(labels.length);
    ridges.push(sel.ridge);
    priors.push(sel.prior);
    evaluate.names.forEach((n, t) => metrics[n]!.push(values[t]!));
    o.onRound?.(round);
  }
  return { budgets, metrics, ridges, priors, selectMs, trainMs };
}
