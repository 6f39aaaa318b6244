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
import { DEFAULT_SEED, normalizeHead, normalizePast, normalizeResponses, normalizeRidge, type LabeledPairs, type Responses } from '../problem/normalize.js';
import { describe, requireInteger } from '../problem/validate.js';
import type { ResolvedRidge } from '../problem/ridge.js';
import type { ScoreContext } from '../rules/dopt.js';
import { requirePriorChoice, scaleFeatures, type PriorChoice } from '../train/prior-shape.js';
import type { SelectOptions } from '../types.js';

/** The validated options (everything but the rule's own: method, k, lazy, samples). */
export interface Problem {
  responses: Responses;
  head: Float64Array;
  /** The caller's ridge: a fixed τ, or 'auto' (resolved once the pool is known: problem/ridge.ts). */
  ridge: number | 'auto';
  /** The caller's prior shape ('auto' by default with ridge 'auto', 'isotropic' with a number). */
  prior: PriorChoice;
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
  return {
    responses,
    head: normalizeHead(options.head, responses.d),
    ridge,
    prior: options.prior === undefined ? (ridge === 'auto' ? 'auto' : 'isotropic') : requirePriorChoice(options.prior),
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
 * The head evaluated on the pool with the resolved prior: what every D-optimal rule scores with.
 * With the standardized shape the rules see φ_k / s_k and w_k s_k, so their M = τI + Σ λ v'v'ᵀ is
 * τ·diag(s²) + Σ λ v vᵀ in the caller's coordinates, up to the constant log det diag(s²)
 * (rewards and λ are the same in both).
 */
export function scoreContext(problem: Problem, pool: Int32Array, prior: ResolvedRidge): ScoreContext & { rewards: Float64Array; head: Float64Array } {
  const { responses: raw, head: rawHead, past } = problem;
  const rewards = computeRewards(raw.features, raw.n, raw.d, rawHead);
  const s = prior.scale;
  const responses = s ? { ...raw, features: scaleFeatures(raw.features, raw.d, s) } : raw;
  const head = s ? Float64Array.from(rawHead, (w, k) => w * s[k]!) : rawHead;
  return {
    responses, head, rewards, pool, lambdas: pairLambdas(rewards, pool), past, pastLambdas: pairLambdas(rewards, past.pairs),
    ridge: prior.ridge, backend: problem.backend, signal: problem.signal,
  };
}
