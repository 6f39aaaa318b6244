/**
 * The native CPU backend: the C++ kernels of cpp/ through the Node-API addon of binding/. Loading
 * never throws: when no prebuild or local build loads, `info.reason` says why and lib/ falls back
 * to the TypeScript backend (or refuses, when 'native' was asked for by name).
 */
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type { Backend, GreedyResult, MlpTrainResult } from './interface.js';
import type { FeatureArray } from '../types.js';
import { addonBackend, cancellable, guarded } from './addon-backend.js';
import { moduleFolder } from './module-folder.cjs';

/** The addon's exports (binding/addon.cpp). Every function validates its arguments and returns a Promise. */
export interface NativeAddon {
  informationMatrix(features: FeatureArray, n: number, d: number, pairs: Int32Array, weights: Float64Array, ridge: number, base?: Float64Array): Promise<Float64Array>;
  cholesky(M: Float64Array, d: number): Promise<{ factor: Float64Array; logDet: number }>;
  quadraticForms(features: FeatureArray, n: number, d: number, factor: Float64Array, pairs: Int32Array): Promise<Float64Array>;
  /** Y = Φ L⁻ᵀ (n×d): the projection kernel alone. */
  projectResponses(features: FeatureArray, n: number, d: number, factor: Float64Array): Promise<Float64Array>;
  /** log det gains of the given pairs added in order to M₀ = L Lᵀ (k = pairs.length / 2). */
  sequentialGains(features: FeatureArray, n: number, d: number, factor: Float64Array, pairs: Int32Array, lambdas: Float64Array): Promise<Float64Array>;
  /** One greedy D-optimal selection: M₀ = ridge·I (+ past), factor, project, pick (binding/design_workers.cpp). */
  greedyDesign(
    features: FeatureArray, n: number, d: number, pairs: Int32Array, lambdas: Float64Array, k: number, lazy: boolean, ridge: number,
    pastPairs?: Int32Array, pastWeights?: Float64Array, cancel?: Int32Array, progress?: Int32Array,
  ): Promise<GreedyResult & { logDet: number }>;
  /** Every pair's vᵀM⁻¹v with M = ridge·I (+ past) (+ Σ_pairs weights v vᵀ when poolInMatrix), in one call. */
  doptScores(
    features: FeatureArray, n: number, d: number, pairs: Int32Array, weights: Float64Array, ridge: number, poolInMatrix: boolean,
    pastPairs?: Int32Array, pastWeights?: Float64Array, cancel?: Int32Array,
  ): Promise<{ quadratic: Float64Array; logDet: number }>;
  /** cancel: Int32Array(1); setting cancel[0] = 1 makes the selection reject with code ABORT_ERR at its next pick. */
  greedy(features: FeatureArray, n: number, d: number, factor: Float64Array, pairs: Int32Array, lambdas: Float64Array, k: number, lazy: boolean, cancel?: Int32Array, progress?: Int32Array): Promise<GreedyResult>;
  /** The coreset rule's k-means + sensitivities (lib/rules/coreset.ts is the reference); K = seeds.length. */
  coresetSensitivities(features: FeatureArray, n: number, d: number, pairs: Int32Array, seeds: Int32Array, iterations: number, radius: number, cancel?: Int32Array): Promise<Float64Array>;
  /** BatchBALD's lazy greedy (lib/rules/batchbald.ts is the reference); m = condEntropy.length. */
  batchbaldGreedy(prob: Float64Array, condEntropy: Float64Array, S: number, k: number, configurations: number, uniforms: Float64Array, cancel?: Int32Array, progress?: Int32Array): Promise<{ positions: Int32Array; scores: Float64Array }>;
  batchbaldProbabilities(features: FeatureArray, n: number, d: number, samples: Float64Array, pairs: Int32Array, cancel?: Int32Array): Promise<{ prob: Float64Array; condEntropy: Float64Array }>;
  /** The MLP reward model (lib/train/mlp.ts is the reference): φ and r for n rows. */
  mlpForward(features: FeatureArray, n: number, inputDim: number, width: number, params: Float64Array): Promise<{ phi: Float64Array; rewards: Float64Array }>;
  /** Mean BCE over all pairs and its gradient (no weight decay), as Mlp.lossAndGradient. */
  mlpGradient(features: FeatureArray, n: number, inputDim: number, width: number, params: Float64Array, pairs: Int32Array, labels: Float64Array): Promise<{ loss: number; grad: Float64Array }>;
  /** Adam over each epoch's batches (order: epochs × m pair indices); resolves with updated copies of the state. */
  mlpTrain(features: FeatureArray, n: number, inputDim: number, width: number, params: Float64Array, adamM: Float64Array, adamV: Float64Array, steps: number, pairs: Int32Array, labels: Float64Array, order: Int32Array, epochs: number, batchSize: number, lr: number, weightDecay: number, cancel?: Int32Array): Promise<MlpTrainResult>;
  /** Instruction set the kernels dispatched to: avx512f, avx2 or generic. */
  simd: string;
  threads: number;
}

export interface NativeInfo {
  available: boolean;
  reason?: string;
  path?: string;
  simd?: string;
}

/** The folder holding active-rm's package.json, from lib/backends or dist/backends (or wherever a bundler put us). */
export function packageRoot(from: string = moduleFolder): string | undefined {
  for (let dir = from; ; dir = dirname(dir)) {
    const manifest = join(dir, 'package.json');
    if (existsSync(manifest)) {
      try {
        if ((JSON.parse(readFileSync(manifest, 'utf8')) as { name?: string }).name === 'active-rm') return dir;
      } catch {
        // An unreadable manifest on the way up is not ours; keep walking.
      }
    }
    if (dirname(dir) === dir) return undefined;
  }
}

let cached: { backend?: Backend; addon?: NativeAddon; info: NativeInfo } | undefined;

/** Loads the addon once. Never throws. */
export function loadNativeBackend(): { backend?: Backend; info: NativeInfo } {
  cached ??= load();
  return { backend: cached.backend, info: { ...cached.info } };
}

/** The raw addon (for benchmarks and the binding tests), or undefined when it does not load. */
export function loadNativeAddon(): NativeAddon | undefined {
  cached ??= load();
  return cached.addon;
}

function load(): { backend?: Backend; addon?: NativeAddon; info: NativeInfo } {
  const root = packageRoot();
  if (!root) return { info: { available: false, reason: 'could not find the active-rm package folder (package.json) above ' + moduleFolder } };
  const require = createRequire(join(root, 'package.json'));
  try {
    const nodeGypBuild = require('node-gyp-build') as { (dir: string): unknown; resolve?: (dir: string) => string };
    // ACTIVE_RM_NATIVE_ADDON=/abs/path/addon.node loads that build instead of the installed one, so
    // one checkout can test a second build (scripts/sanitize.sh's ASan/UBSan addon).
    const override = process.env.ACTIVE_RM_NATIVE_ADDON;
    const path = override || nodeGypBuild.resolve?.(root);
    const addon = (override ? require(override) : nodeGypBuild(root)) as NativeAddon;
    if (typeof addon?.greedy !== 'function') {
      return { info: { available: false, path, reason: `the addon at ${path ?? root} does not export the kernels (stale build? run npm run build:native)` } };
    }
    return { addon, backend: nativeBackend(addon), info: { available: true, path, simd: addon.simd } };
  } catch (err) {
    const message = err instanceof Error ? err.message.split('\n')[0] : String(err);
    return { info: { available: false, reason: `no native build loads (${message}); install a compiler and cmake and run npm run build:native, or use the prebuilt package` } };
  }
}

/** The CPU addon's MLP kernels as Backend members; the CUDA backend borrows them too (cuda/ has none). */
export function mlpKernels(addon: NativeAddon): Pick<Backend, 'mlpForward' | 'mlpTrain'> {
  // An addon built before the MLP kernels existed still serves selection; lib/ then trains in TypeScript.
  if (typeof addon.mlpTrain !== 'function') return {};
  return {
    // The kernel copies the parameters as the call starts: training meanwhile cannot mix in.
    mlpForward: (a) => cancellable(a.signal, () => addon.mlpForward(a.features, a.n, a.inputDim, a.width, a.params)),
    mlpTrain: (a) =>
      cancellable(a.signal, (cancel) =>
        addon.mlpTrain(a.features, a.n, a.inputDim, a.width, a.params, a.adamM, a.adamV, a.steps, a.pairs, a.labels, a.order, a.epochs, a.batchSize, a.lr, a.weightDecay, cancel),
      ),
  };
}

export function nativeBackend(addon: NativeAddon): Backend {
  return {
    ...addonBackend('native', addon),
    ...mlpKernels(addon),
    sequentialGains: (a) => guarded(a.signal, () => addon.sequentialGains(a.features, a.n, a.d, a.factor, a.pairs, a.lambdas)),
    batchbaldGreedy: (a) =>
      cancellable(
        a.signal,
        (cancel, progress) => addon.batchbaldGreedy(a.prob, a.condEntropy, a.S, a.k, a.configurations, a.uniforms, cancel, progress),
        a.onPicks,
      ),
    batchbaldProbabilities: (a) =>
      cancellable(a.signal, (cancel) => addon.batchbaldProbabilities(a.features, a.n, a.d, a.samples, a.pairs, cancel)),
    coresetSensitivities: (a) =>
      cancellable(a.signal, (cancel) => addon.coresetSensitivities(a.features, a.n, a.d, a.pairs, a.seeds, a.iterations, a.radius, cancel)),
  };
}
