/**
 * What selectPairs and pairScores both do before a rule runs: validate the options, choose the
 * backend, build the candidate pool, and evaluate the head on it (rewards, λ of candidates and of
 * labeled pairs). One place, so the two entry points cannot drift apart.
 */
import type { Backend } from '../backends/interface.js';
import { resolveBackend } from '../backends/index.js';
import { pairLambdas, rewards as computeRewards } from '../math/fisher.js';
import { abortError } from '../math/yielder.js';
import { buildPool } from '../problem/pools.js';
import type { ImplicitPool } from '../problem/implicit-pool.js';
import { DEFAULT_SEED, normalizeAxisScale, normalizeHead, normalizePast, normalizePrior, normalizeResponses, normalizeRidge, type LabeledPairs, type Responses } from '../problem/normalize.js';
import { resolveRidge, type ResolvedRidge } from '../problem/ridge.js';
import { divideAxes, scaleHead, type PriorChoice } from '../train/prior-shape.js';
import { describe, requireInteger } from '../problem/validate.js';
import type { ScoreContext } from '../rules/dopt.js';
import type { SelectOptions } from '../types.js';

/** The validated options (everything but the rule's own: method, k, lazy, samples). */
export interface Problem {
  responses: Responses;
  head: Float64Array;
  /** The caller's ridge: a fixed τ, or 'auto' (resolved once the pool is known: problem/ridge.ts). */
  ridge: number | 'auto';
  /** The caller's prior shape ('auto': the evidence chooses, with ridge 'auto') and, optionally, its s. */
  prior: PriorChoice;
  axisScale?: Float64Array;
  seed: number;
  past: LabeledPairs;
  backend: Backend;
  signal?: AbortSignal;
}

export type ProblemOptions = Omit<SelectOptions, 'method' | 'k'>;

export function requireOptions(options: unknown, entry: string): void {
  if (typeof options !== 'object' || options === null) {
    throw new TypeError(`${entry}(options): options must be an object; got ${describe(options)}`);
  }
}

export function normalizeProblem(options: ProblemOptions, entry: string): Problem {
  requireOptions(options, entry);
  const signal = options.signal;
  if (signal !== undefined && !(signal instanceof AbortSignal)) throw new TypeError('signal must be an AbortSignal');
  if (signal?.aborted) throw abortError(signal.reason);
  const responses = normalizeResponses(options);
  const ridge = normalizeRidge(options.ridge);
  const prior = normalizePrior(options.prior, ridge);
  return {
    responses,
    head: normalizeHead(options.head, responses.d),
    ridge,
    prior,
    axisScale: normalizeAxisScale(options.axisScale, responses.d, prior),
    seed: options.seed === undefined ? DEFAULT_SEED : requireInteger(options.seed, 'seed', -2147483648, 4294967295),
    past: normalizePast(options.past, responses.n),
    backend: resolveBackend(options.backend),
    signal,
  };
}

/** The candidate pool the options describe (labeled pairs excluded). */
export function candidatePool(problem: Problem, options: ProblemOptions): Int32Array {
  return buildPool(problem.responses, { pool: options.pool, crossSample: options.crossSample, seed: problem.seed }, problem.past.pairs);
}

/**
 * τ and the prior's shape for this pool and past, and the problem in the coordinates where that
 * prior is isotropic: φ/s and w⊙s for the standardized shape (same margins, same λ; M on φ/s is
 * S⁻¹MS⁻¹), so every rule and backend kernel keeps its scalar ridge.
 */
export async function resolvePrior(problem: Problem, pool: Int32Array | ImplicitPool): Promise<{ resolved: ResolvedRidge; shaped: Problem }> {
  const { responses, past, backend, signal } = problem;
  const resolved = await resolveRidge(problem.ridge, problem.prior, problem.axisScale, responses, pool, past, backend, signal);
  const s = resolved.axisScale;
  if (!s) return { resolved, shaped: problem };
  const shaped = { ...problem, responses: { ...responses, features: divideAxes(responses.features, s) }, head: scaleHead(problem.head, s, 'into') };
  return { resolved, shaped };
}

/** The head evaluated on the pool with the resolved ridge: what every D-optimal rule scores with. */
export function scoreContext(problem: Problem, pool: Int32Array, ridge: number): ScoreContext & { rewards: Float64Array } {
  const { responses, head, past } = problem;
  const rewards = computeRewards(responses.features, responses.n, responses.d, head);
  return {
    responses, rewards, pool, lambdas: pairLambdas(rewards, pool), past, pastLambdas: pairLambdas(rewards, past.pairs),
    ridge, backend: problem.backend, signal: problem.signal,
  };
}
