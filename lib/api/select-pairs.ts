/** selectPairs: the one entry point. Validates, builds the pool, runs the rule, keeps the books. */
import { hasKernel, type Backend } from '../backends/interface.js';
import { logDetGain, sequentialGains } from '../math/sequential-gains.js';
import { checkMemory, estimateImplicitSelectionBytes, estimateSelectionBytes } from '../problem/memory.js';
import { implicitPoolFor } from '../problem/implicit-pool.js';
import { normalizeMethod } from '../problem/normalize.js';
import { logDetShift } from '../train/prior-shape.js';
import { candidatePool, normalizeProblem, requireOptions, resolvePrior, scoreContext } from './prepare.js';
import { batchbaldRule, DEFAULT_SAMPLES } from '../rules/batchbald.js';
import type { RuleContext, RuleResult } from '../rules/context.js';
import { coresetRule } from '../rules/coreset.js';
import { doptRule } from '../rules/dopt.js';
import { greedyDoptRule, startMatrix } from '../rules/greedy-dopt.js';
import { implicitGreedyDoptRule } from '../rules/greedy-dopt-implicit.js';
import { randomRule } from '../rules/random.js';
import { entropyRule, maxdiffRule } from '../rules/reward-gap.js';
import type { Method, SelectOptions, Selection } from '../types.js';
import { requireInteger } from '../problem/validate.js';
import { abortError, Yielder } from '../math/yielder.js';
import { progressReporter, requireProgressCallback } from './select-progress.js';

const PAST_AWARE: ReadonlySet<Method> = new Set(['past-dopt', 'past-greedy-dopt', 'batchbald']);

export async function selectPairs(options: SelectOptions): Promise<Selection> {
  const t0 = performance.now();
  requireOptions(options, 'selectPairs');
  const method = normalizeMethod(options.method);
  const problem = normalizeProblem(options, 'selectPairs');
  const { responses, seed, backend, signal } = problem;
  const samples = options.samples === undefined ? DEFAULT_SAMPLES : requireInteger(options.samples, 'samples', 2, 4096);
  const lazy = options.lazy === undefined ? true : Boolean(options.lazy);
  const k = requireInteger(options.k, 'k', 1);
  const progress = progressReporter(requireProgressCallback(options.onProgress));

  // Give the event loop a turn between the synchronous preparation steps on big inputs.
  const yielder = new Yielder(signal);
  progress.phase('pool', 0);
  await yielder.yieldNow();
  // Exhaustive cross/all pools past a size run greedy-dopt without materializing the pool.
  const implicit = implicitPoolFor(responses, { pool: options.pool, crossSample: options.crossSample, seed }, problem.past.pairs, method, lazy);
  const pool = implicit ? new Int32Array(0) : candidatePool(problem, options);
  const m = implicit ? implicit.size : pool.length >> 1;
  if (m === 0) {
    throw new RangeError(
      'the candidate pool is empty (e.g. `within` with one response per prompt, or every pair already labeled); use pool: "cross" or "all", or add responses',
    );
  }
  if (k > m) throw new RangeError(`k (${k}) is larger than the candidate pool (${m} pairs); lower k or widen the pool`);
  // The standardized prior selects on a copy φ/s: forced, or possible once the evidence chooses (labels exist).
  const mayStandardize = problem.prior === 'standardized' || (problem.prior === 'auto' && (problem.past.labels?.length ?? 0) > 0);
  const shapedCopyBytes = mayStandardize && method !== 'coreset' ? responses.features.byteLength : 0;
  const size = { method, n: responses.n, d: responses.d, m, k, samples, shapedCopyBytes };
  checkMemory(implicit ? estimateImplicitSelectionBytes(size) : estimateSelectionBytes(size), options.maxMemoryBytes);
  const tPool = performance.now();

  progress.check();
  progress.phase('ridge', 0);
  const { resolved, shaped } = await resolvePrior(problem, implicit ?? pool);
  const { ridge, source: ridgeSource, prior } = resolved;
  // M in the caller's coordinates is S M' S: its log det differs by a constant, the gains not at all.
  const shift = resolved.axisScale ? logDetShift(resolved.axisScale) : 0;
  await yielder.yieldNow();
  progress.check();
  progress.phase('select', k);
  if (implicit) {
    const picked = await implicitGreedyDoptRule(shaped, implicit, ridge, k, method === 'past-greedy-dopt', progress.picks);
    if (signal?.aborted) throw abortError(signal.reason);
    progress.picks?.(k);
    progress.check();
    const tSelect = performance.now();
    progress.phase('evaluate', 0);
    const gains = new Float64Array(k);
    let logDet = picked.startLogDet;
    for (let t = 0; t < k; t++) {
      gains[t] = logDetGain(picked.lambdas[t]!, picked.quadratic[t]!);
      logDet += gains[t]!;
    }
    requireFiniteLogDet(logDet);
    progress.check();
    const tEnd = performance.now();
    return {
      pairs: picked.pairs, scores: picked.scores, gains, logDet: logDet + shift, method, backend: backend.name, poolSize: m, ridge, ridgeSource, prior,
      timings: { pool: tPool - t0, select: tSelect - tPool, evaluate: tEnd - tSelect, total: tEnd - t0 },
    };
  }
  // Coreset covers the pool in feature space and never uses M: it keeps the caller's coordinates.
  const ruleProblem = method === 'coreset' ? problem : shaped;
  const ctx: RuleContext = {
    ...scoreContext(ruleProblem, pool, ridge), head: ruleProblem.head, k, seed, lazy, samples, ...(progress.picks ? { onPicks: progress.picks } : {}),
  };
  const result = await runRule(method, ctx);
  if (signal?.aborted) throw abortError(signal.reason);
  progress.picks?.(k);
  progress.check();
  const tSelect = performance.now();
  progress.phase('evaluate', 0);

  const pairs = new Int32Array(2 * k);
  const pickLambdas = new Float64Array(k);
  for (let t = 0; t < k; t++) {
    const p = result.positions[t]!;
    pairs[2 * t] = pool[2 * p]!;
    pairs[2 * t + 1] = pool[2 * p + 1]!;
    pickLambdas[t] = ctx.lambdas[p]!;
  }
  const book = await bookkeeping(ctx, backend, PAST_AWARE.has(method), result, pairs, pickLambdas);
  const { gains } = book;
  // M in the caller's coordinates is S M' S: its log det differs by a constant, the gains not at all.
  const logDet = ruleProblem === shaped ? book.logDet + shift : book.logDet;
  const tEnd = performance.now();
  progress.check();
  return {
    pairs,
    scores: result.scores,
    gains,
    logDet,
    method,
    backend: backend.name,
    poolSize: m,
    ridge,
    ridgeSource,
    prior,
    timings: { pool: tPool - t0, select: tSelect - tPool, evaluate: tEnd - tSelect, total: tEnd - t0 },
  };
}

function runRule(method: Method, ctx: RuleContext): Promise<RuleResult> | RuleResult {
  switch (method) {
    case 'dopt':
    case 'past-dopt':
    case 'xtx':
      return doptRule(ctx, method);
    case 'greedy-dopt':
      return greedyDoptRule(ctx, false);
    case 'past-greedy-dopt':
      return greedyDoptRule(ctx, true);
    case 'entropy':
      return entropyRule(ctx);
    case 'maxdiff':
      return maxdiffRule(ctx);
    case 'random':
      return randomRule(ctx);
    case 'coreset':
      return coresetRule(ctx);
    case 'batchbald':
      return batchbaldRule(ctx);
  }
}

/** Gains of the picks in order and log det M(S), from the rule's starting matrix. */
async function bookkeeping(
  ctx: RuleContext,
  backend: Backend,
  pastAware: boolean,
  result: RuleResult,
  pairs: Int32Array,
  pickLambdas: Float64Array,
): Promise<{ gains: Float64Array; logDet: number }> {
  let gains: Float64Array;
  let logDet: number;
  if (result.quadratic && result.startLogDet !== undefined) {
    gains = new Float64Array(result.quadratic.length);
    for (let t = 0; t < gains.length; t++) gains[t] = logDetGain(pickLambdas[t]!, result.quadratic[t]!);
    logDet = result.startLogDet;
  } else {
    const start = await backend.cholesky(await startMatrix(ctx, pastAware), ctx.responses.d);
    const { features, n, d } = ctx.responses;
    // O(k d²) rank-one Cholesky updates either way; the backend's kernel when it has one.
    gains = hasKernel(backend, 'sequentialGains')
      ? await backend.sequentialGains({ features, n, d, factor: start.factor, pairs, lambdas: pickLambdas, signal: ctx.signal })
      : sequentialGains(features, d, start.factor, pairs, pickLambdas);
    logDet = start.logDet;
  }
  for (let t = 0; t < gains.length; t++) logDet += gains[t]!;
  requireFiniteLogDet(logDet);
  return { gains, logDet };
}

/** Features so large that λ v vᵀ overflows float64: refuse rather than rank by Infinity. */
function requireFiniteLogDet(logDet: number): void {
  if (!Number.isFinite(logDet)) {
    throw new RangeError(`log det M(S) is not finite (${logDet}): the features are too large for float64; rescale them (e.g. to unit norm)`);
  }
}
