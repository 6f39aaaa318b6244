/**
 * The training entry points with the backend choice resolved ('auto', the ACTIVE_RM_BACKEND
 * override, or a name), so that lib/train/ depends on the Backend contract alone.
 */
import type { Backend } from '../backends/interface.js';
import { resolveBackend } from '../backends/index.js';
import { trainLinearHeadOn, type LinearRunOptions, type LinearTrainOptions, type LinearTrainResult } from '../train/linear.js';
import { Mlp as MlpReference, type MlpRunOptions } from '../train/mlp.js';
import type { FeatureArray } from '../types.js';

function backendOf(choice: LinearRunOptions['backend']): Backend {
  return typeof choice === 'object' ? choice : resolveBackend(choice);
}

/** trainLinearHead with each d×d Newton system formed and factored on the chosen backend. */
export function trainLinearHeadAsync(opts: LinearTrainOptions & LinearRunOptions): Promise<LinearTrainResult> {
  return trainLinearHeadOn(backendOf(opts.backend), opts);
}

/** The MLP reward model (lib/train/mlp.ts); its async methods run on the chosen backend's kernels. */
export class Mlp extends MlpReference {
  override trainAsync(features: FeatureArray, pairs: Int32Array, labels: ArrayLike<number>, run: MlpRunOptions = {}): Promise<number> {
    return super.trainAsync(features, pairs, labels, { signal: run.signal, backend: backendOf(run.backend) });
  }

  override embedAsync(x: FeatureArray, n: number, run: MlpRunOptions = {}): Promise<Float64Array> {
    return super.embedAsync(x, n, { signal: run.signal, backend: backendOf(run.backend) });
  }

  override predictAsync(x: FeatureArray, n: number, run: MlpRunOptions = {}): Promise<Float64Array> {
    return super.predictAsync(x, n, { signal: run.signal, backend: backendOf(run.backend) });
  }
}
