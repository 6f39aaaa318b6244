/**
 * Greedy D-optimal selection in projected coordinates (y = L⁻¹φ, so M₀ becomes I): the reference
 * semantics every backend must reproduce.
 *
 * Step t picks p* = argmax λ_p q_p (ties to the lower position), then with z = y_a − y_b,
 *   u_t = z − Σ_{s<t} β_s (u_s·z) u_s,  β_t = λ*·(1 + λ*·q*)⁻¹,  c_t = Y u_t,
 *   q_p ← q_p − β_t (c_t[i] − c_t[j])²        (Sherman–Morrison, O(n d + m) per pick).
 * Lazy greedy stores c_t and brings a candidate's q up to date only when it reaches the top of a
 * max-heap of stale scores (upper bounds, since q only decreases), subtracting the same terms in the
 * same order, so it returns exactly the plain greedy picks.
 */
import type { GreedyResult } from './backend.js';
import { Yielder } from './yielder.js';

export interface ProjectedGreedyArgs {
  Y: Float64Array;
  n: number;
  d: number;
  pairs: Int32Array;
  lambdas: Float64Array;
  /** Initial q_p = ‖y_i − y_j‖²; not modified. */
  q0: Float64Array;
  k: number;
  lazy: boolean;
  signal?: AbortSignal;
}

export async function projectedGreedy(args: ProjectedGreedyArgs): Promise<GreedyResult> {
  return args.lazy ? lazyGreedy(args) : plainGreedy(args);
}

/** Computes u_t and c_t = Y u_t for the pick (a, b); returns β_t. */
export class DowndateState {
  readonly U: Float64Array;
  readonly betas: Float64Array;
  private readonly z: Float64Array;
  constructor(
    private readonly Y: Float64Array,
    private readonly n: number,
    private readonly d: number,
    k: number,
  ) {
    this.U = new Float64Array(k * d);
    this.betas = new Float64Array(k);
    this.z = new Float64Array(d);
  }

  step(t: number, a: number, b: number, lambda: number, q: number, c: Float64Array): number {
    const { Y, d, U, z } = this;
    for (let x = 0; x < d; x++) z[x] = Y[a * d + x]! - Y[b * d + x]!;
    const u = U.subarray(t * d, (t + 1) * d);
    u.set(z);
    for (let s = 0; s < t; s++) {
      const us = U.subarray(s * d, (s + 1) * d);
      let dot = 0;
      for (let x = 0; x < d; x++) dot += us[x]! * z[x]!;
      const coef = this.betas[s]! * dot;
      for (let x = 0; x < d; x++) u[x] -= coef * us[x]!;
    }
    for (let i = 0; i < this.n; i++) {
      const o = i * d;
      let s = 0;
      for (let x = 0; x < d; x++) s += Y[o + x]! * u[x]!;
      c[i] = s;
    }
    const beta = lambda / (1 + lambda * q);
    this.betas[t] = beta;
    return beta;
  }
}

async function plainGreedy(args: ProjectedGreedyArgs): Promise<GreedyResult> {
  const { Y, n, d, pairs, lambdas, k } = args;
  const m = lambdas.length;
  const q = Float64Array.from(args.q0);
  const taken = new Uint8Array(m);
  const picks = new Int32Array(k);
  const quadratic = new Float64Array(k);
  const state = new DowndateState(Y, n, d, k);
  const c = new Float64Array(n);
  const yielder = new Yielder(args.signal);
  for (let t = 0; t < k; t++) {
    let best = -1;
    let bestScore = -Infinity;
    for (let p = 0; p < m; p++) {
      if (taken[p]) continue;
      const score = lambdas[p]! * q[p]!;
      if (score > bestScore) {
        bestScore = score;
        best = p;
      }
    }
    taken[best] = 1;
    picks[t] = best;
    quadratic[t] = q[best]!;
    const beta = state.step(t, pairs[2 * best]!, pairs[2 * best + 1]!, lambdas[best]!, q[best]!, c);
    for (let p = 0; p < m; p++) {
      const dc = c[pairs[2 * p]!]! - c[pairs[2 * p + 1]!]!;
      q[p] -= beta * dc * dc;
    }
    await yielder.maybeYield();
  }
  return { picks, quadratic };
}

async function lazyGreedy(args: ProjectedGreedyArgs): Promise<GreedyResult> {
  const { Y, n, d, pairs, lambdas, k } = args;
  const m = lambdas.length;
  const q = Float64Array.from(args.q0);
  const upTo = new Int32Array(m);
  const key = new Float64Array(m);
  for (let p = 0; p < m; p++) key[p] = lambdas[p]! * q[p]!;
  const heap = new MaxHeap(key, m);
  const picks = new Int32Array(k);
  const quadratic = new Float64Array(k);
  const state = new DowndateState(Y, n, d, k);
  const C = new Float64Array(k * n);
  const yielder = new Yielder(args.signal);
  let t = 0;
  while (t < k) {
    const top = heap.top();
    if (upTo[top] === t) {
      heap.pop();
      picks[t] = top;
      quadratic[t] = q[top]!;
      const c = C.subarray(t * n, (t + 1) * n);
      state.step(t, pairs[2 * top]!, pairs[2 * top + 1]!, lambdas[top]!, q[top]!, c);
      t++;
      await yielder.maybeYield();
      continue;
    }
    const i = pairs[2 * top]!;
    const j = pairs[2 * top + 1]!;
    let qp = q[top]!;
    for (let s = upTo[top]!; s < t; s++) {
      const dc = C[s * n + i]! - C[s * n + j]!;
      qp -= state.betas[s]! * dc * dc;
    }
    q[top] = qp;
    upTo[top] = t;
    key[top] = lambdas[top]! * qp;
    heap.siftDownTop();
    if ((t & 7) === 0) await yielder.maybeYield();
  }
  return { picks, quadratic };
}

/** Binary max-heap of positions ordered by (key desc, position asc), keys held outside. */
class MaxHeap {
  private readonly heap: Int32Array;
  private size: number;
  constructor(
    private readonly key: Float64Array,
    m: number,
  ) {
    this.heap = new Int32Array(m);
    for (let p = 0; p < m; p++) this.heap[p] = p;
    this.size = m;
    for (let i = (m >> 1) - 1; i >= 0; i--) this.siftDown(i);
  }
  top(): number {
    if (this.size === 0) throw new Error('active-rm internal error: greedy ran out of candidates (k > pool size)');
    return this.heap[0]!;
  }
  pop(): void {
    this.size--;
    this.heap[0] = this.heap[this.size]!;
    this.siftDown(0);
  }
  siftDownTop(): void {
    this.siftDown(0);
  }
  private above(a: number, b: number): boolean {
    const ka = this.key[a]!;
    const kb = this.key[b]!;
    return ka > kb || (ka === kb && a < b);
  }
  private siftDown(start: number): void {
    const { heap, size } = this;
    let i = start;
    const item = heap[i]!;
    for (;;) {
      const l = 2 * i + 1;
      if (l >= size) break;
      const r = l + 1;
      const child = r < size && this.above(heap[r]!, heap[l]!) ? r : l;
      if (!this.above(heap[child]!, item)) break;
      heap[i] = heap[child]!;
      i = child;
    }
    heap[i] = item;
  }
}
