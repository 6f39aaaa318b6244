/**
 * The Backend over a compiled kernel addon (the CPU addon, or its exports.cuda): the same
 * signatures, the same error translation and the same cancellation for every compiled backend.
 */
import {
  CholeskyError,
  type Backend,
  type DoptScoresResult,
  type GreedyArgs,
  type GreedyDesignArgs,
  type GreedyDesignResult,
  type GreedyResult,
  type ImplicitGreedyDesignArgs,
  type ImplicitGreedyDesignResult,
  type InformationArgs,
  type PickProgress,
  type QuadraticArgs,
} from './interface.js';
import { pollProgress } from './polled-progress.js';
import { composedDoptScores, composedGreedyDesign, composedImplicitGreedyDesign } from './composed-design.js';
import type { BackendName, FeatureArray } from '../types.js';
import { abortError, checkSignal } from '../math/yielder.js';

/** The four kernels every compiled addon exports; each validates its arguments and returns a Promise. */
export interface KernelAddon {
  informationMatrix(features: FeatureArray, n: number, d: number, pairs: Int32Array, weights: Float64Array, ridge: number, base?: Float64Array): Promise<Float64Array>;
  cholesky(M: Float64Array, d: number): Promise<{ factor: Float64Array; logDet: number }>;
  quadraticForms(features: FeatureArray, n: number, d: number, factor: Float64Array, pairs: Int32Array): Promise<Float64Array>;
  /** cancel: Int32Array(1); setting cancel[0] = 1 makes the selection reject with code ABORT_ERR at its next pick.
   * progress: Int32Array(1) the kernel stores the picks made so far into. */
  greedy(features: FeatureArray, n: number, d: number, factor: Float64Array, pairs: Int32Array, lambdas: Float64Array, k: number, lazy: boolean, cancel?: Int32Array, progress?: Int32Array): Promise<GreedyResult>;
  /** The fused selection (binding/design_workers.cpp); absent from addons that predate it, which then run the kernels one by one. */
  greedyDesign?(
    features: FeatureArray, n: number, d: number, pairs: Int32Array, lambdas: Float64Array, k: number, lazy: boolean, ridge: number,
    pastPairs?: Int32Array, pastWeights?: Float64Array, cancel?: Int32Array, progress?: Int32Array,
  ): Promise<GreedyResult & { logDet: number }>;
  /** greedyDesign over an implicit exhaustive pool (binding/design_workers.cpp GreedyDesignImplicit). */
  greedyDesignImplicit?(
    features: FeatureArray, n: number, d: number, promptIds: Int32Array, cross: boolean, expRewards: Float64Array | undefined,
    rewards: Float64Array, excluded: Int32Array, k: number, ridge: number, pastPairs?: Int32Array, pastWeights?: Float64Array,
    cancel?: Int32Array, progress?: Int32Array,
  ): Promise<{ pairs: Int32Array; quadratic: Float64Array; logDet: number; downdates?: number }>;
  doptScores?(
    features: FeatureArray, n: number, d: number, pairs: Int32Array, weights: Float64Array, ridge: number, poolInMatrix: boolean,
    pastPairs?: Int32Array, pastWeights?: Float64Array, cancel?: Int32Array,
  ): Promise<DoptScoresResult>;
}

/** Same messages as the TypeScript backend for the same failures (lib/math/linalg.ts, lib/math/yielder.ts). */
export function translate(err: unknown, signal?: AbortSignal): unknown {
  const e = err as { code?: string; column?: number; pivot?: number };
  if (e?.code === 'ERR_NOT_POSITIVE_DEFINITE') {
    return new CholeskyError(
      `Cholesky factorization failed at column ${e.column} (pivot ${e.pivot}): the information matrix is not ` +
        'positive definite; increase `ridge` or check the features for huge values',
    );
  }
  if (e?.code === 'ABORT_ERR') return abortError(signal?.reason);
  return err;
}

/** A kernel call that cannot be interrupted: the signal is honoured before and after it. */
export async function guarded<T>(signal: AbortSignal | undefined, call: () => Promise<T>): Promise<T> {
  checkSignal(signal);
  let result: T;
  try {
    result = await call();
  } catch (err) {
    throw translate(err, signal);
  }
  checkSignal(signal);
  return result;
}

/** A cancellable kernel call: the kernels poll cancel[0] between picks. With onPicks, the call also
 * gets a progress slot the kernel writes its picks into (polled, see polled-progress.ts). */
export async function cancellable<T>(
  signal: AbortSignal | undefined,
  call: (cancel: Int32Array, progress: Int32Array | undefined) => Promise<T>,
  onPicks?: PickProgress,
): Promise<T> {
  checkSignal(signal);
  const cancel = new Int32Array(1);
  const progress = pollProgress(onPicks);
  const onAbort = (): void => {
    cancel[0] = 1;
  };
  signal?.addEventListener('abort', onAbort, { once: true });
  try {
    return await call(cancel, progress.slot);
  } catch (err) {
    throw translate(err, signal);
  } finally {
    progress.stop();
    signal?.removeEventListener('abort', onAbort);
  }
}

async function fusedGreedyDesign(addon: KernelAddon, a: GreedyDesignArgs): Promise<GreedyDesignResult> {
  const r = await cancellable(
    a.signal,
    (cancel, progress) =>
      addon.greedyDesign!(a.features, a.n, a.d, a.pairs, a.lambdas, a.k, a.lazy, a.ridge, a.past?.pairs, a.past?.lambdas, cancel, progress),
    a.onPicks,
  );
  return { picks: r.picks, quadratic: r.quadratic, startLogDet: r.logDet, ...(r.downdates === undefined ? {} : { downdates: r.downdates }) };
}

async function implicitGreedyDesign(addon: KernelAddon, a: ImplicitGreedyDesignArgs): Promise<ImplicitGreedyDesignResult> {
  const { pool } = a;
  const r = await cancellable(
    a.signal,
    (cancel, progress) =>
      addon.greedyDesignImplicit!(
        a.features, a.n, a.d, pool.promptOf, pool.kind === 'cross', pool.expRewards, pool.rewards, pool.excluded, a.k, a.ridge,
        a.past?.pairs, a.past?.lambdas, cancel, progress,
      ),
    a.onPicks,
  );
  return { pairs: r.pairs, quadratic: r.quadratic, startLogDet: r.logDet, ...(r.downdates === undefined ? {} : { downdates: r.downdates }) };
}

export function addonBackend(name: BackendName, addon: KernelAddon): Backend {
  const kernels = {
    informationMatrix: (a: InformationArgs) =>
      guarded(a.signal, () => addon.informationMatrix(a.features, a.n, a.d, a.pairs, a.weights, a.ridge, a.base)),
    cholesky: (M: Float64Array, d: number) => guarded(undefined, () => addon.cholesky(M, d)),
    quadraticForms: (a: QuadraticArgs) => guarded(a.signal, () => addon.quadraticForms(a.features, a.n, a.d, a.factor, a.pairs)),
    greedy: (a: GreedyArgs) =>
      cancellable(a.signal, (cancel, progress) => addon.greedy(a.features, a.n, a.d, a.factor, a.pairs, a.lambdas, a.k, a.lazy, cancel, progress), a.onPicks).then(
        (r: GreedyResult & { downdates?: number | Float64Array }) => {
          const work = r.downdates;
          return { picks: r.picks, quadratic: r.quadratic, ...(work === undefined ? {} : { downdates: typeof work === 'number' ? work : work[0]! }) };
        },
      ),
  };
  return {
    name,
    ...kernels,
    greedyDesign: addon.greedyDesign ? (a) => fusedGreedyDesign(addon, a) : (a) => composedGreedyDesign(kernels, a),
    greedyDesignImplicit: addon.greedyDesignImplicit
      ? (a: ImplicitGreedyDesignArgs) => implicitGreedyDesign(addon, a)
      : (a: ImplicitGreedyDesignArgs) => composedImplicitGreedyDesign(kernels, a),
    doptScores: addon.doptScores
      ? (a) =>
          cancellable(a.signal, (cancel) =>
            addon.doptScores!(a.features, a.n, a.d, a.pairs, a.weights, a.ridge, a.poolInMatrix, a.past?.pairs, a.past?.lambdas, cancel),
          )
      : (a) => composedDoptScores(kernels, a),
  };
}
