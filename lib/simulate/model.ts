/**
 * What the campaign needs from a reward model: φ for the rows it selects among (the features the
 * Fisher rules use), the head w (so that r = wᵀφ), refitting on all labels so far, and predictions.
 * Async because both models train on the campaign's backend: the linear head's Newton systems and
 * the MLP run on native kernels when that backend is a compiled one.
 */
import type { Dataset } from '../datasets/types.js';
import { rewards } from '../math/fisher.js';
import type { LinearRunOptions } from '../train/linear.js';
import { Mlp, trainLinearHeadAsync } from '../api/train.js';
import type { MlpOptions, MlpRunOptions } from '../train/mlp.js';
import type { PriorChoice, PriorShape } from '../types.js';

export interface CampaignModel {
  /** Dimension of φ. */
  readonly dim: number;
  embed(rows: Int32Array): Promise<Float64Array>;
  head(): Float64Array;
  /** The ridge τ of the last fit when the model has one that the rules should share (linear head). */
  ridge?(): number | undefined;
  /** The prior shape (and its s) of the last fit, shared with the rules as τ is. */
  prior?(): { prior: PriorShape; axisScale?: Float64Array } | undefined;
  /** Refit on every label so far; pairs are dataset rows, label 1 = first preferred. */
  fit(pairs: Int32Array, labels: Float64Array): Promise<void>;
  predict(rows: Int32Array): Promise<Float64Array>;
}

function gather(data: Dataset, rows: Int32Array): Float64Array {
  const d = data.dim;
  const out = new Float64Array(rows.length * d);
  for (let t = 0; t < rows.length; t++) {
    const src = rows[t]! * d;
    for (let k = 0; k < d; k++) out[t * d + k] = data.features[src + k]!;
  }
  return out;
}

/** Linear head on the dataset's fixed features, refit exactly (Newton) with the selection ridge
 * (with 'auto', the labels' evidence chooses τ at every refit), so the head and the rules'
 * information matrix are one Laplace posterior. */
export class LinearModel implements CampaignModel {
  readonly dim: number;
  private w: Float64Array;
  constructor(
    private readonly data: Dataset,
    private readonly ridgeOption: number | 'auto',
    private readonly run: LinearRunOptions = {},
    private readonly priorOption?: PriorChoice,
  ) {
    this.dim = data.dim;
    this.w = new Float64Array(data.dim);
  }
  private tau: number | undefined;
  private shape: { prior: PriorShape; axisScale?: Float64Array } | undefined;
  ridge(): number | undefined {
    return this.tau;
  }
  prior(): { prior: PriorShape; axisScale?: Float64Array } | undefined {
    return this.shape;
  }
  async embed(rows: Int32Array): Promise<Float64Array> {
    return gather(this.data, rows);
  }
  head(): Float64Array {
    return this.w;
  }
  async fit(pairs: Int32Array, labels: Float64Array): Promise<void> {
    const fit = await trainLinearHeadAsync({ features: this.data.features, dim: this.data.dim, pairs, labels, ridge: this.ridgeOption, prior: this.priorOption, init: this.w, ...this.run });
    this.w = fit.w;
    this.tau = fit.ridge;
    this.shape = { prior: fit.prior, axisScale: fit.axisScale };
  }
  async predict(rows: Int32Array): Promise<Float64Array> {
    return rewards(gather(this.data, rows), rows.length, this.dim, this.w);
  }
}

/** The paper's MLP: φ is its last hidden layer, w its bias-free last layer. */
export class MlpModel implements CampaignModel {
  readonly dim: number;
  private net: Mlp;
  constructor(
    private readonly data: Dataset,
    private readonly opts: MlpOptions & { warmStart: boolean },
    private readonly run: MlpRunOptions = {},
  ) {
    this.net = new Mlp(data.dim, opts);
    this.dim = this.net.width;
  }
  embed(rows: Int32Array): Promise<Float64Array> {
    return this.net.embedAsync(gather(this.data, rows), rows.length, this.run);
  }
  head(): Float64Array {
    return this.net.head;
  }
  async fit(pairs: Int32Array, labels: Float64Array): Promise<void> {
    // Retraining from scratch re-draws the same seeded initialization each round (the paper
    // retrains each round); warm start continues from the current weights.
    if (!this.opts.warmStart) this.net = new Mlp(this.data.dim, this.opts);
    await this.net.trainAsync(this.data.features, pairs, labels, this.run);
  }
  predict(rows: Int32Array): Promise<Float64Array> {
    return this.net.predictAsync(gather(this.data, rows), rows.length, this.run);
  }
}
