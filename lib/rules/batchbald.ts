/**
 * BatchBALD (Kirsch, van Amersfoort & Gal 2019) for Bradley–Terry labels: greedily add the pair x
 * that maximizes H(y_B, y_x) − E_w H(y_x | w) over S posterior samples of w from the Laplace
 * posterior N(ŵ, M⁻¹), M = τI + Σ_past λ v vᵀ.
 *
 * The joint entropy of the batch's labels is kept over a set of label configurations c with
 * P[c, s] = p(y_B = c | w_s): all 2^|B| configurations while they fit in CONFIGURATIONS (exact), then
 * CONFIGURATIONS configurations drawn from p(y_B) and extended by ancestral sampling with each pick
 * (a Monte Carlo estimate, as in the paper). Rows are rescaled to avoid underflow; the scale is
 * kept in log form.
 */
import { backSolve, cholesky } from '../math/linalg.js';
import { Rng } from '../math/rng.js';
import { Yielder } from '../math/yielder.js';
import type { RuleContext, RuleResult } from './context.js';
import { CandidateHeap } from '../math/candidate-heap.js';
import { startMatrix } from './greedy-dopt.js';
import { hasKernel } from '../backends/interface.js';
import type { FeatureArray } from '../types.js';

export const CONFIGURATIONS = 64;
export const DEFAULT_SAMPLES = 32;

export async function batchbaldRule(ctx: RuleContext): Promise<RuleResult> {
  const { n, d, features } = ctx.responses;
  const S = ctx.samples;
  const pool = ctx.pool;
  const m = pool.length >> 1;
  const rng = new Rng(ctx.seed);
  // Posterior samples w_s = ŵ + L⁻ᵀ ε_s (row s of W).
  const { factor } = cholesky(await startMatrix(ctx, true), d);
  const W = new Float64Array(S * d);
  for (let s = 0; s < S; s++) {
    const w = W.subarray(s * d, (s + 1) * d);
    for (let x = 0; x < d; x++) w[x] = rng.normal();
    backSolve(factor, d, w);
    for (let x = 0; x < d; x++) w[x] += ctx.head[x]!;
  }
  const backend = ctx.backend;
  const { prob, condEntropy } = hasKernel(backend, 'batchbaldProbabilities')
    ? await backend.batchbaldProbabilities({ features, n, d, samples: W, pairs: pool, signal: ctx.signal })
    : pairProbabilities(features, n, d, W, S, pool);
  if (hasKernel(backend, 'batchbaldGreedy')) {
    // The reference draws at most CONFIGURATIONS numbers to leave exact enumeration and
    // CONFIGURATIONS per pick after that, in this order: drawn up front, the kernel sees the same.
    const uniforms = new Float64Array(CONFIGURATIONS * (ctx.k + 1));
    for (let e = 0; e < uniforms.length; e++) uniforms[e] = rng.next();
    return backend.batchbaldGreedy({ prob, condEntropy, S, k: ctx.k, configurations: CONFIGURATIONS, uniforms, signal: ctx.signal, onPicks: ctx.onPicks });
  }
  const joint = new Configurations(S, rng);
  const positions = new Int32Array(ctx.k);
  const scores = new Float64Array(ctx.k);
  const yielder = new Yielder(ctx.signal);
  // Lazy greedy: a candidate's gain I(y_x; w | y_B) can only shrink as the batch grows
  // (submodularity, exact while configurations are enumerated), so stale gains are upper bounds
  // and only candidates that reach the top of the heap are re-evaluated. Step 0's bounds are the
  // exact BALD scores H(y_x) − E H(y_x | w).
  const heap = new CandidateHeap(m);
  const fresh = new Int32Array(m);
  for (let p = 0; p < m; p++) heap.set(p, p, joint.entropyWith(prob, p * S) - condEntropy[p]!);
  heap.heapify();
  let t = 0;
  let hBatch = joint.entropy();
  while (t < ctx.k) {
    const top = heap.topPosition();
    if (fresh[top] === t) {
      heap.pop();
      positions[t] = top;
      scores[t] = heap.lastPoppedKey();
      joint.add(prob, top * S);
      t++;
      ctx.onPicks?.(t);
      hBatch = joint.entropy();
    } else {
      fresh[top] = t;
      heap.replaceTopKey(joint.entropyWith(prob, top * S) - hBatch - condEntropy[top]!);
    }
    if (yielder.due()) await yielder.yieldNow();
  }
  return { positions, scores };
}

/**
 * r_s = Φ w_s, then p_s(x) = P(i ≻ j | w_s) stored pair-major (m×S) so one candidate's samples are
 * contiguous, and E_s H(y_x | w_s). The native kernel does the same arithmetic in the same order.
 */
function pairProbabilities(features: FeatureArray, n: number, d: number, W: Float64Array, S: number, pool: Int32Array): { prob: Float64Array; condEntropy: Float64Array } {
  const m = pool.length >> 1;
  const rewardsBySample = new Float64Array(S * n);
  for (let s = 0; s < S; s++) {
    for (let i = 0; i < n; i++) {
      let r = 0;
      for (let x = 0; x < d; x++) r += features[i * d + x]! * W[s * d + x]!;
      rewardsBySample[s * n + i] = r;
    }
  }
  const prob = new Float64Array(m * S);
  const condEntropy = new Float64Array(m);
  for (let p = 0; p < m; p++) {
    const i = pool[2 * p]!;
    const j = pool[2 * p + 1]!;
    let h = 0;
    for (let s = 0; s < S; s++) {
      const ps = 1 / (1 + Math.exp(-(rewardsBySample[s * n + i]! - rewardsBySample[s * n + j]!)));
      prob[p * S + s] = ps;
      h += binaryEntropy(ps);
    }
    condEntropy[p] = h / S;
  }
  return { prob, condEntropy };
}

function binaryEntropy(p: number): number {
  return (p > 0 ? -p * Math.log(p) : 0) + (p < 1 ? -(1 - p) * Math.log(1 - p) : 0);
}

/** xlogx with 0 log 0 = 0. */
function xlogx(x: number): number {
  return x > 0 ? x * Math.log(x) : 0;
}

class Configurations {
  /** P[c, s] up to a per-row scale exp(logScale[c]). */
  private P: Float64Array;
  private logScale: Float64Array;
  private count = 1;
  private exact = true;

  constructor(
    private readonly S: number,
    private readonly rng: Rng,
  ) {
    this.P = new Float64Array(S).fill(1);
    this.logScale = new Float64Array(1);
  }

  /** Row weight ω_c and p(c) for the current configurations: exact sums, or importance weights. */
  private rowMass(c: number): number {
    let sum = 0;
    const row = c * this.S;
    for (let s = 0; s < this.S; s++) sum += this.P[row + s]!;
    return sum / this.S;
  }

  /** H(y_B) estimated over the current configurations. */
  entropy(): number {
    let h = 0;
    for (let c = 0; c < this.count; c++) {
      const scaled = this.rowMass(c);
      const logp = Math.log(scaled) + this.logScale[c]!;
      if (this.exact) h -= scaled * Math.exp(this.logScale[c]!) * logp;
      else h -= logp / this.count;
    }
    return h;
  }

  /** H(y_B, y_x) for the candidate whose sample probabilities start at prob[offset]. */
  entropyWith(prob: Float64Array, offset: number): number {
    const S = this.S;
    let h = 0;
    for (let c = 0; c < this.count; c++) {
      const row = c * S;
      let a1 = 0;
      let total = 0;
      for (let s = 0; s < S; s++) {
        const pc = this.P[row + s]!;
        total += pc;
        a1 += pc * prob[offset + s]!;
      }
      const a0 = total - a1;
      const ls = this.logScale[c]!;
      if (this.exact) {
        // Σ_y p(c, y) log p(c, y) with p(c, y) = e^ls · a_y / S.
        const scale = Math.exp(ls) / S;
        h -= xlogx(a1 * scale) + xlogx(a0 * scale);
      } else {
        // Importance form: (1/C) Σ_c Σ_y [p(c,y)/p(c)] log p(c,y).
        const pc = total;
        if (pc > 0) {
          const q1 = a1 / pc;
          const q0 = a0 / pc;
          const base = ls - Math.log(S);
          h -= (q1 > 0 ? q1 * (Math.log(a1) + base) : 0) + (q0 > 0 ? q0 * (Math.log(a0) + base) : 0);
        }
      }
    }
    return this.exact ? h : h / this.count;
  }

  /** Adds the picked pair's label to every configuration. */
  add(prob: Float64Array, offset: number): void {
    const S = this.S;
    if (this.exact && this.count * 2 <= CONFIGURATIONS) {
      const P = new Float64Array(this.count * 2 * S);
      const logScale = new Float64Array(this.count * 2);
      for (let c = 0; c < this.count; c++) {
        for (let s = 0; s < S; s++) {
          const pc = this.P[c * S + s]!;
          const p1 = prob[offset + s]!;
          P[2 * c * S + s] = pc * p1;
          P[(2 * c + 1) * S + s] = pc * (1 - p1);
        }
        logScale[2 * c] = this.logScale[c]!;
        logScale[2 * c + 1] = this.logScale[c]!;
      }
      this.P = P;
      this.logScale = logScale;
      this.count *= 2;
      this.rescale();
      return;
    }
    if (this.exact) this.resample();
    // Ancestral sampling: extend each configuration with y_x drawn from p(y_x | c).
    for (let c = 0; c < this.count; c++) {
      const row = c * S;
      let a1 = 0;
      let total = 0;
      for (let s = 0; s < S; s++) {
        total += this.P[row + s]!;
        a1 += this.P[row + s]! * prob[offset + s]!;
      }
      const y = this.rng.next() * total < a1;
      for (let s = 0; s < S; s++) {
        const p1 = prob[offset + s]!;
        this.P[row + s]! *= y ? p1 : 1 - p1;
      }
    }
    this.rescale();
  }

  /** Leaves exact enumeration: draws CONFIGURATIONS configurations from the exact distribution. */
  private resample(): void {
    const S = this.S;
    const masses = new Float64Array(this.count);
    let total = 0;
    for (let c = 0; c < this.count; c++) {
      masses[c] = this.rowMass(c) * Math.exp(this.logScale[c]!);
      total += masses[c]!;
    }
    const P = new Float64Array(CONFIGURATIONS * S);
    const logScale = new Float64Array(CONFIGURATIONS);
    for (let t = 0; t < CONFIGURATIONS; t++) {
      let u = this.rng.next() * total;
      let c = 0;
      while (c < this.count - 1 && u >= masses[c]!) u -= masses[c++]!;
      P.set(this.P.subarray(c * S, (c + 1) * S), t * S);
      logScale[t] = this.logScale[c]!;
    }
    this.P = P;
    this.logScale = logScale;
    this.count = CONFIGURATIONS;
    this.exact = false;
  }

  /** Keeps each row's largest entry at 1, moving the factor into logScale. */
  private rescale(): void {
    const S = this.S;
    for (let c = 0; c < this.count; c++) {
      let max = 0;
      for (let s = 0; s < S; s++) max = Math.max(max, this.P[c * S + s]!);
      if (max > 0 && max !== 1) {
        const inv = 1 / max;
        for (let s = 0; s < S; s++) this.P[c * S + s]! *= inv;
        this.logScale[c]! += Math.log(max);
      }
    }
  }
}
