/**
 * The CUDA backend: the kernels of cuda/ through exports.cuda of the same addon as the native
 * backend. The addon never links CUDA; its bridge (binding/cuda_bridge.cpp) opens
 * libactive_rm_cuda.so next to it on first use. Loading never throws: without the library, a
 * driver or a GPU, `info.reason` says which, and lib/ uses the CPU (or refuses, for 'cuda' by name).
 */
import { CholeskyError, type Backend, type GreedyArgs, type GreedyResult, type InformationArgs, type QuadraticArgs } from '../backend.js';
import type { FeatureArray } from '../types.js';
import { abortError } from '../yielder.js';
import { loadNativeAddon } from './native.js';

export interface CudaStatus {
  available: boolean;
  /** The library resolved (its host-only Cholesky then works even without a GPU). */
  loaded: boolean;
  reason?: string;
  device?: string;
  path: string;
}

export interface CrossGreedyResult {
  /** The k picks (i, j interleaved, i < j, different prompts), in pick order. */
  pairs: Int32Array;
  /** v_pᵀ M_t⁻¹ v_p of each pick when picked. */
  quadratic: Float64Array;
  /** λ of each pick. */
  lambdas: Float64Array;
}

/** exports.cuda of the addon (binding/cuda_bridge.cpp). Every kernel returns a Promise. */
export interface CudaAddon {
  status(): CudaStatus;
  informationMatrix(features: FeatureArray, n: number, d: number, pairs: Int32Array, weights: Float64Array, ridge: number, base?: Float64Array): Promise<Float64Array>;
  cholesky(M: Float64Array, d: number): Promise<{ factor: Float64Array; logDet: number }>;
  quadraticForms(features: FeatureArray, n: number, d: number, factor: Float64Array, pairs: Int32Array): Promise<Float64Array>;
  /** Y = Φ L⁻ᵀ in float32, and the device time of the projection kernels. */
  projectResponses(features: FeatureArray, n: number, d: number, factor: Float64Array): Promise<{ Y: Float32Array; deviceMs: number }>;
  greedy(features: FeatureArray, n: number, d: number, factor: Float64Array, pairs: Int32Array, lambdas: Float64Array, k: number, lazy: boolean, cancel?: Int32Array): Promise<GreedyResult>;
  crossGreedy(features: FeatureArray, n: number, d: number, factor: Float64Array, promptIds: Int32Array, rewards: Float64Array, k: number, cancel?: Int32Array): Promise<CrossGreedyResult>;
}

export interface CrossGreedyArgs {
  features: FeatureArray;
  n: number;
  d: number;
  factor: Float64Array;
  /** Prompt of each response; the pool is every (i, j), i < j, with different prompts. */
  promptIds: Int32Array;
  /** r_i = wᵀφ_i; λ_ij = σ(r_i − r_j)(1 − σ(r_i − r_j)). */
  rewards: Float64Array;
  k: number;
  signal?: AbortSignal;
}

/** The Backend interface plus what only the GPU offers: greedy over the exhaustive cross-prompt
 * pool without materializing it (ties to the lower (i, j), i.e. the lower pool position). */
export interface CudaBackend extends Backend {
  crossGreedy(args: CrossGreedyArgs): Promise<CrossGreedyResult>;
}

export interface CudaInfo {
  available: boolean;
  reason?: string;
  device?: string;
}

let cached: { backend?: CudaBackend; addon?: CudaAddon; info: CudaInfo } | undefined;

/** Loads once. Never throws. */
export function loadCudaBackend(): { backend?: CudaBackend; info: CudaInfo } {
  cached ??= load();
  return { backend: cached.backend, info: { ...cached.info } };
}

/** exports.cuda whenever the library loads (GPU or not), for the tests and the benchmark. */
export function loadCudaAddon(): CudaAddon | undefined {
  cached ??= load();
  return cached.addon;
}

function load(): { backend?: CudaBackend; addon?: CudaAddon; info: CudaInfo } {
  try {
    const native = loadNativeAddon() as unknown as { cuda?: CudaAddon } | undefined;
    if (!native) return { info: { available: false, reason: 'the native addon does not load, and the CUDA layer is reached through it' } };
    const addon = native.cuda;
    if (!addon || typeof addon.status !== 'function') {
      return { info: { available: false, reason: 'the native addon was built without the CUDA bridge (stale build? run npm run build:native)' } };
    }
    const status = addon.status();
    if (!status.available) return { addon: status.loaded ? addon : undefined, info: { available: false, reason: status.reason ?? 'unknown reason' } };
    return { addon, backend: cudaBackend(addon), info: { available: true, device: status.device } };
  } catch (err) {
    return { info: { available: false, reason: `the CUDA layer failed to load (${err instanceof Error ? err.message : String(err)})` } };
  }
}

/** Same errors as the other backends for the same failures (lib/linalg.ts, lib/yielder.ts). */
function translate(err: unknown, signal?: AbortSignal): unknown {
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

function checkSignal(signal?: AbortSignal): void {
  if (signal?.aborted) throw abortError(signal.reason);
}

/** Runs a cancellable call: the kernels poll cancel[0] between picks. */
async function cancellable<T>(signal: AbortSignal | undefined, call: (cancel: Int32Array) => Promise<T>): Promise<T> {
  checkSignal(signal);
  const cancel = new Int32Array(1);
  const onAbort = (): void => {
    cancel[0] = 1;
  };
  signal?.addEventListener('abort', onAbort, { once: true });
  try {
    return await call(cancel);
  } catch (err) {
    throw translate(err, signal);
  } finally {
    signal?.removeEventListener('abort', onAbort);
  }
}

export function cudaBackend(addon: CudaAddon): CudaBackend {
  return {
    name: 'cuda',
    async informationMatrix(a: InformationArgs) {
      checkSignal(a.signal);
      const M = await addon.informationMatrix(a.features, a.n, a.d, a.pairs, a.weights, a.ridge, a.base);
      checkSignal(a.signal);
      return M;
    },
    async cholesky(M: Float64Array, d: number) {
      try {
        return await addon.cholesky(M, d);
      } catch (err) {
        throw translate(err);
      }
    },
    async quadraticForms(a: QuadraticArgs) {
      checkSignal(a.signal);
      const q = await addon.quadraticForms(a.features, a.n, a.d, a.factor, a.pairs);
      checkSignal(a.signal);
      return q;
    },
    greedy(a: GreedyArgs) {
      return cancellable(a.signal, (cancel) => addon.greedy(a.features, a.n, a.d, a.factor, a.pairs, a.lambdas, a.k, a.lazy, cancel));
    },
    crossGreedy(a: CrossGreedyArgs) {
      return cancellable(a.signal, (cancel) => addon.crossGreedy(a.features, a.n, a.d, a.factor, a.promptIds, a.rewards, a.k, cancel));
    },
  };
}
