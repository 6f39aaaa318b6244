/**
 * The CUDA backend: the kernels of cuda/ through exports.cuda of the same addon as the native
 * backend. The addon never links CUDA; its bridge (binding/cuda_bridge.cpp) opens
 * libactive_rm_cuda.so next to it on first use. Loading never throws: without the library, a
 * driver or a GPU, `info.reason` says which, and lib/ uses the CPU (or refuses, for 'cuda' by name).
 */
import type { Backend, GreedyResult } from './interface.js';
import type { FeatureArray } from '../types.js';
import { addonBackend, cancellable } from './addon-backend.js';
import { loadNativeAddon, mlpKernels, type NativeAddon } from './native.js';

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
    return { addon, backend: cudaBackend(addon, native as NativeAddon), info: { available: true, device: status.device } };
  } catch (err) {
    return { info: { available: false, reason: `the CUDA layer failed to load (${err instanceof Error ? err.message : String(err)})` } };
  }
}

/** host: the CPU addon the bridge lives in, whose MLP kernels the CUDA backend trains with. */
export function cudaBackend(addon: CudaAddon, host?: NativeAddon): CudaBackend {
  return {
    ...addonBackend('cuda', addon),
    ...(host ? mlpKernels(host) : {}),
    crossGreedy: (a: CrossGreedyArgs) =>
      cancellable(a.signal, (cancel) => addon.crossGreedy(a.features, a.n, a.d, a.factor, a.promptIds, a.rewards, a.k, cancel)),
  };
}
