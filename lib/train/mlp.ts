/**
 * The paper's reward model: input → 3 hidden layers (GELU) → a bias-free linear head, trained with
 * Adam on the Bradley–Terry BCE loss of σ(r_i − r_j). Its last hidden layer is the φ the Fisher
 * rules use and its head is the w (docs/simulate.md, `--model mlp`).
 *
 * Plain TypeScript on Float64Array: all parameters live in one buffer (so Adam is one loop), rows
 * are row-major, and every matmul runs along contiguous rows. GELU is the tanh form (JS has no
 * erf); it differs from the exact form by < 1e-3.
 *
 * This file is the reference. trainAsync/embedAsync/predictAsync run the same computation on the
 * backend's MLP kernels (the native ones: cpp/train/mlp.cpp, same formulas, same summation order,
 * the batch order drawn here) when the backend they are given has them, and this code otherwise.
 * lib/api/train.ts's Mlp resolves a backend choice ('auto', ACTIVE_RM_BACKEND) first.
 */
import { hasKernel, type Backend } from '../backends/interface.js';
import { Rng } from '../math/rng.js';
import { checkSignal } from '../math/yielder.js';
import { sigmoid, softplus } from './logistic.js';
import type { BackendChoice, FeatureArray } from '../types.js';

export interface MlpOptions {
  /** Hidden width of all three layers (default 64; the paper uses 512). */
  width?: number;
  /** Adam learning rate (default 1e-3). */
  lr?: number;
  /** Passes over the labeled pairs per train() call (default 30). */
  epochs?: number;
  /** Pairs per Adam step (default 32). */
  batchSize?: number;
  /** L2 weight decay added to the gradient, as torch.optim.Adam's weight_decay (default 0). */
  weightDecay?: number;
  /** Seeds the initialization and the shuffling. */
  seed?: number;
}

/** Where the async methods run, and how to cancel them. */
export interface MlpRunOptions {
  /** 'auto' (default) and the ACTIVE_RM_BACKEND override resolve as for selection (lib/api/train.ts);
   * any compiled backend (native, cuda) trains with the native CPU kernel, 'js' with this file's code. */
  backend?: BackendChoice | Backend;
  /** Native training stops between batches and leaves the model as it was before the call. */
  signal?: AbortSignal;
}

/** MlpRunOptions with the backend resolved; none (or one without MLP kernels) runs this file's code. */
export interface MlpRun {
  backend?: Backend;
  signal?: AbortSignal;
}

function kernels(run: MlpRun): (Backend & Required<Pick<Backend, 'mlpForward' | 'mlpTrain'>>) | undefined {
  const b = run.backend;
  return hasKernel(b, 'mlpTrain') && hasKernel(b, 'mlpForward') ? b : undefined;
}

const C = Math.sqrt(2 / Math.PI);
const gelu = (z: number): number => 0.5 * z * (1 + Math.tanh(C * (z + 0.044715 * z * z * z)));
function geluGrad(z: number): number {
  const t = Math.tanh(C * (z + 0.044715 * z * z * z));
  return 0.5 * (1 + t) + 0.5 * z * (1 - t * t) * C * (1 + 3 * 0.044715 * z * z);
}

interface Layer {
  /** Offsets into the parameter buffer. */
  w: number;
  b: number;
  inDim: number;
}

export class Mlp {
  readonly width: number;
  readonly inputDim: number;
  /** All parameters: W1 b1 W2 b2 W3 b3 head. */
  readonly params: Float64Array;
  private readonly layers: Layer[];
  private readonly headOffset: number;
  private readonly lr: number;
  private readonly epochs: number;
  private readonly batchSize: number;
  private readonly weightDecay: number;
  private readonly seed: number;
  private readonly m: Float64Array;
  private readonly v: Float64Array;
  private steps = 0;
  private trainCalls = 0;
  private buffers: { rows: number; Z: Float64Array[]; A: Float64Array[]; dA: Float64Array; dZ: Float64Array; r: Float64Array; dr: Float64Array } | null = null;

  constructor(inputDim: number, opts: MlpOptions = {}) {
    const h = (this.width = opts.width ?? 64);
    this.inputDim = inputDim;
    this.lr = opts.lr ?? 1e-3;
    this.epochs = opts.epochs ?? 30;
    this.batchSize = opts.batchSize ?? 32;
    this.weightDecay = opts.weightDecay ?? 0;
    this.seed = opts.seed ?? 0;
    for (const [name, v] of [['width', h], ['epochs', this.epochs], ['batchSize', this.batchSize], ['inputDim', inputDim]] as const) {
      if (!Number.isInteger(v) || v < 1) throw new RangeError(`Mlp: ${name} must be a positive integer (got ${v})`);
    }
    if (!(this.lr > 0)) throw new RangeError(`Mlp: lr must be > 0 (got ${this.lr})`);
    if (!(this.weightDecay >= 0)) throw new RangeError(`Mlp: weightDecay must be ≥ 0 (got ${this.weightDecay})`);
    this.layers = [];
    let off = 0;
    for (const inDim of [inputDim, h, h]) {
      this.layers.push({ w: off, b: off + h * inDim, inDim });
      off += h * inDim + h;
    }
    this.headOffset = off;
    this.params = new Float64Array(off + h);
    this.m = new Float64Array(this.params.length);
    this.v = new Float64Array(this.params.length);
    // PyTorch's nn.Linear default: U(±1/√fan_in) for weights and biases.
    const rng = new Rng(this.seed);
    for (const L of this.layers) {
      const bound = 1 / Math.sqrt(L.inDim);
      for (let t = L.w; t < L.b + h; t++) this.params[t] = (2 * rng.next() - 1) * bound;
    }
    const hb = 1 / Math.sqrt(h);
    for (let t = off; t < off + h; t++) this.params[t] = (2 * rng.next() - 1) * hb;
  }

  /** The last layer w (a view: it changes as the model trains). */
  get head(): Float64Array {
    return this.params.subarray(this.headOffset, this.headOffset + this.width);
  }

  /** φ: the last hidden layer for n rows of x (row-major n×inputDim). */
  embed(x: FeatureArray, n: number): Float64Array {
    this.forward(x, n);
    return this.buffers!.A[3]!.slice(0, n * this.width);
  }

  predict(x: FeatureArray, n: number): Float64Array {
    this.forward(x, n);
    return this.buffers!.r.slice(0, n);
  }

  /** Mean BCE over the pairs and its gradient (weight decay not included): for tests and tools. */
  lossAndGradient(features: FeatureArray, pairs: Int32Array, labels: ArrayLike<number>): { loss: number; grad: Float64Array } {
    const grad = new Float64Array(this.params.length);
    const idx = Int32Array.from({ length: labels.length }, (_, p) => p);
    const loss = this.batchStep(features, pairs, labels, idx, grad);
    return { loss, grad };
  }

  /** Adam on all labeled pairs for `epochs` passes, seeded shuffling; continues from the current
   * weights and optimizer state (warm start). Returns the last epoch's mean loss. */
  train(features: FeatureArray, pairs: Int32Array, labels: ArrayLike<number>): number {
    const m = this.checkTraining('train', features, pairs, labels);
    if (m === 0) return NaN;
    const order = this.schedule(m);
    const grad = new Float64Array(this.params.length);
    let last = NaN;
    for (let e = 0; e < this.epochs; e++) {
      let total = 0;
      for (let s = 0; s < m; s += this.batchSize) {
        const batch = order.subarray(e * m + s, e * m + Math.min(m, s + this.batchSize));
        grad.fill(0);
        total += this.batchStep(features, pairs, labels, batch, grad) * batch.length;
        this.adam(grad);
      }
      last = total / m;
    }
    return last;
  }

  /** train() on the native kernel when the backend in use is compiled (same batches, same result
   * up to last-ulp libm differences), else train() itself. */
  async trainAsync(features: FeatureArray, pairs: Int32Array, labels: ArrayLike<number>, run: MlpRun = {}): Promise<number> {
    checkSignal(run.signal);
    const backend = kernels(run);
    if (!backend) {
      const loss = this.train(features, pairs, labels);
      checkSignal(run.signal);
      return loss;
    }
    const m = this.checkTraining('trainAsync', features, pairs, labels);
    if (m === 0) return NaN;
    const order = this.schedule(m);
    const y = labels instanceof Float64Array ? labels : Float64Array.from(labels);
    const n = features.length / this.inputDim;
    const r = await backend.mlpTrain({
      features, n, inputDim: this.inputDim, width: this.width, params: this.params, adamM: this.m, adamV: this.v, steps: this.steps,
      pairs, labels: y, order, epochs: this.epochs, batchSize: this.batchSize, lr: this.lr, weightDecay: this.weightDecay, signal: run.signal,
    });
    this.params.set(r.params);
    this.m.set(r.adamM);
    this.v.set(r.adamV);
    this.steps = r.steps;
    return r.losses[this.epochs - 1]!;
  }

  /** embed() on the native kernel when the backend in use is compiled. */
  async embedAsync(x: FeatureArray, n: number, run: MlpRun = {}): Promise<Float64Array> {
    const backend = kernels(run);
    if (!backend) return this.embed(x, n);
    return (await this.forwardOn(backend, x, n, run.signal)).phi;
  }

  /** predict() on the native kernel when the backend in use is compiled. */
  async predictAsync(x: FeatureArray, n: number, run: MlpRun = {}): Promise<Float64Array> {
    const backend = kernels(run);
    if (!backend) return this.predict(x, n);
    return (await this.forwardOn(backend, x, n, run.signal)).rewards;
  }

  private forwardOn(backend: Required<Pick<Backend, 'mlpForward'>>, x: FeatureArray, n: number, signal?: AbortSignal): Promise<{ phi: Float64Array; rewards: Float64Array }> {
    const rows = x.length === n * this.inputDim ? x : x.subarray(0, n * this.inputDim);
    return backend.mlpForward({ features: rows, n, inputDim: this.inputDim, width: this.width, params: this.params, signal });
  }

  private checkTraining(method: string, features: FeatureArray, pairs: Int32Array, labels: ArrayLike<number>): number {
    const m = labels.length;
    if (pairs.length !== 2 * m) throw new RangeError(`Mlp.${method}: ${pairs.length / 2} pairs but ${m} labels; give one label per pair`);
    if (features.length % this.inputDim !== 0) throw new RangeError(`Mlp.${method}: features.length is not a multiple of inputDim (${this.inputDim})`);
    return m;
  }

  /** Every epoch's pair order (epochs × m), from this call's seeded stream: the one place both
   * trainers draw their batches from. */
  private schedule(m: number): Int32Array {
    const rng = new Rng((this.seed ^ Math.imul(++this.trainCalls, 0x9e3779b1)) | 0);
    const order = Int32Array.from({ length: m }, (_, p) => p);
    const all = new Int32Array(this.epochs * m);
    for (let e = 0; e < this.epochs; e++) {
      for (let t = m - 1; t > 0; t--) {
        const s = rng.int(t + 1);
        const tmp = order[t]!;
        order[t] = order[s]!;
        order[s] = tmp;
      }
      all.set(order, e * m);
    }
    return all;
  }

  private adam(grad: Float64Array): void {
    const b1 = 0.9;
    const b2 = 0.999;
    const eps = 1e-8;
    this.steps++;
    const c1 = 1 - b1 ** this.steps;
    const c2 = 1 - b2 ** this.steps;
    const { params, m, v, lr, weightDecay } = this;
    for (let t = 0; t < params.length; t++) {
      const g = grad[t]! + weightDecay * params[t]!;
      m[t] = b1 * m[t]! + (1 - b1) * g;
      v[t] = b2 * v[t]! + (1 - b2) * g * g;
      params[t] -= (lr * (m[t]! / c1)) / (Math.sqrt(v[t]! / c2) + eps);
    }
  }

  private ensure(rows: number): NonNullable<Mlp['buffers']> {
    if (!this.buffers || this.buffers.rows < rows) {
      const h = this.width;
      const mk = (): Float64Array => new Float64Array(rows * h);
      this.buffers = { rows, Z: [mk(), mk(), mk()], A: [new Float64Array(0), mk(), mk(), mk()], dA: mk(), dZ: mk(), r: new Float64Array(rows), dr: new Float64Array(rows) };
    }
    return this.buffers;
  }

  /** Forward pass of n rows; A[0] is the input. */
  private forward(x: FeatureArray, n: number, input?: Float64Array): void {
    const B = this.ensure(n);
    const h = this.width;
    const P = this.params;
    B.A[0] = input ?? (x instanceof Float64Array ? x : Float64Array.from(x));
    for (let l = 0; l < 3; l++) {
      const { w, b, inDim } = this.layers[l]!;
      const X = B.A[l]!;
      const Z = B.Z[l]!;
      const A = B.A[l + 1]!;
      for (let i = 0; i < n; i++) {
        const xr = i * inDim;
        const zr = i * h;
        for (let o = 0; o < h; o++) {
          const wr = w + o * inDim;
          let s = P[b + o]!;
          for (let k = 0; k < inDim; k++) s += X[xr + k]! * P[wr + k]!;
          Z[zr + o] = s;
          A[zr + o] = gelu(s);
        }
      }
    }
    const A3 = B.A[3]!;
    const ho = this.headOffset;
    for (let i = 0; i < n; i++) {
      let s = 0;
      for (let o = 0; o < h; o++) s += A3[i * h + o]! * P[ho + o]!;
      B.r[i] = s;
    }
  }

  /** Mean BCE of the batch's pairs; adds its gradient into `grad`. */
  private batchStep(features: FeatureArray, pairs: Int32Array, labels: ArrayLike<number>, batch: Int32Array, grad: Float64Array): number {
    const nb = batch.length;
    const d0 = this.inputDim;
    const rows = 2 * nb;
    // Rows 0..nb-1 are the pairs' i sides, nb..2nb-1 their j sides.
    const X = new Float64Array(rows * d0);
    for (let t = 0; t < nb; t++) {
      const p = batch[t]!;
      const si = pairs[2 * p]! * d0;
      const sj = pairs[2 * p + 1]! * d0;
      for (let k = 0; k < d0; k++) {
        X[t * d0 + k] = features[si + k]!;
        X[(nb + t) * d0 + k] = features[sj + k]!;
      }
    }
    this.forward(X, rows, X);
    const B = this.buffers!;
    let loss = 0;
    for (let t = 0; t < nb; t++) {
      const y = labels[batch[t]!]!;
      const mgn = B.r[t]! - B.r[nb + t]!;
      loss += softplus(mgn) - y * mgn;
      const g = (sigmoid(mgn) - y) / nb;
      B.dr[t] = g;
      B.dr[nb + t] = -g;
    }
    this.backward(rows, grad);
    return loss / nb;
  }

  private backward(n: number, grad: Float64Array): void {
    const B = this.buffers!;
    const h = this.width;
    const P = this.params;
    const ho = this.headOffset;
    const A3 = B.A[3]!;
    const dA = B.dA;
    for (let i = 0; i < n; i++) {
      const g = B.dr[i]!;
      const r = i * h;
      for (let o = 0; o < h; o++) {
        grad[ho + o] += g * A3[r + o]!;
        dA[r + o] = g * P[ho + o]!;
      }
    }
    for (let l = 2; l >= 0; l--) {
      const { w, b, inDim } = this.layers[l]!;
      const Z = B.Z[l]!;
      const X = B.A[l]!;
      const dZ = B.dZ;
      for (let t = 0; t < n * h; t++) dZ[t] = dA[t]! * geluGrad(Z[t]!);
      for (let i = 0; i < n; i++) {
        const zr = i * h;
        const xr = i * inDim;
        for (let o = 0; o < h; o++) {
          const g = dZ[zr + o]!;
          if (g === 0) continue;
          grad[b + o] += g;
          const wr = w + o * inDim;
          for (let k = 0; k < inDim; k++) grad[wr + k] += g * X[xr + k]!;
        }
      }
      if (l === 0) break;
      // dA for the layer below (width h): dA[i, k] = Σ_o dZ[i, o] W[o, k].
      dA.fill(0, 0, n * h);
      for (let i = 0; i < n; i++) {
        const zr = i * h;
        const ar = i * inDim;
        for (let o = 0; o < h; o++) {
          const g = dZ[zr + o]!;
          if (g === 0) continue;
          const wr = w + o * inDim;
          for (let k = 0; k < inDim; k++) dA[ar + k] += g * P[wr + k]!;
        }
      }
    }
  }
}
