/**
 * Greedy D-optimal selection in projected coordinates (y = L⁻¹φ, so M₀ becomes I): the reference
 * semantics every backend must reproduce.
 *
 * Step t picks p* = argmax λ_p q_p (ties to the lower position), then with z = y_a − y_b,
 *   u_t = z − Σ_{s<t} β_s (u_s·z) u_s,  β_t = λ*·(1 + λ*·q*)⁻¹,  c_t = Y u_t,
 *   q_p ← q_p − β_t (c_t[i] − c_t[j])²        (Sherman–Morrison, O(n d + m) per pick).
 * Lazy greedy stores c_t and brings a candidate's q up to date only when an upper bound on its score
 * (its stale score, or a response-level bound; q only decreases) could reach the best, subtracting
 * the same terms in the same order, so it returns exactly the plain greedy picks.
 */
import type { GreedyResult, PickProgress } from '../backends/interface.js';
import { CandidateHeap } from './candidate-heap.js';
import { dot } from './linalg.js';
import { ResponseBounds } from './response-bounds.js';
import { Yielder } from './yielder.js';

const RESPONSE_BLOCK_BITS = 6;

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
  onPicks?: PickProgress;
}

export async function projectedGreedy(args: ProjectedGreedyArgs): Promise<GreedyResult> {
  if (!args.lazy) return plainGreedy(args);
  // As native (cpp/design/greedy_dopt.cpp): the blocked mode computes c_s for every response at
  // every pick, which outweighs the pool where n·d > 2m; the heap computes c_s only where needed.
  return args.n * args.d > 2 * args.lambdas.length ? heapLazyGreedy(args) : lazyGreedy(args);
}

/** q_p after one Sherman–Morrison downdate: q − β (c[i] − c[j])². Plain and lazy greedy both go
 * through here, in the same order, which is what makes their picks bit-identical. */
function downdated(q: number, beta: number, ci: number, cj: number): number {
  const dc = ci - cj;
  return q - beta * dc * dc;
}

/** Keeps u_s and β_s for every pick so far: M_t⁻¹ (projected) = I − Σ_s β_s u_s u_sᵀ. */
export class DowndateState {
  readonly U: Float64Array;
  readonly betas: Float64Array;
  private readonly z: Float64Array;
  constructor(
    private readonly Y: Float64Array,
    private readonly d: number,
    k: number,
  ) {
    this.U = new Float64Array(k * d);
    this.betas = new Float64Array(k);
    this.z = new Float64Array(d);
  }

  /** Records pick t = (a, b) with its λ and q: u_t = M_t⁻¹ z; returns β_t. */
  step(t: number, a: number, b: number, lambda: number, q: number): number {
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
    const beta = lambda / (1 + lambda * q);
    this.betas[t] = beta;
    return beta;
  }

  /** c_t[i] = y_i · u_t. Plain and lazy greedy share this exact arithmetic, so their picks agree bit for bit. */
  dot(t: number, i: number): number {
    return dot(this.Y, i * this.d, this.U, t * this.d, this.d);
  }
}

async function plainGreedy(args: ProjectedGreedyArgs): Promise<GreedyResult> {
  const { Y, n, d, pairs, lambdas, k } = args;
  const m = lambdas.length;
  const q = Float64Array.from(args.q0);
  const taken = new Uint8Array(m);
  const picks = new Int32Array(k);
  const quadratic = new Float64Array(k);
  const state = new DowndateState(Y, d, k);
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
    args.onPicks?.(t + 1);
    const beta = state.step(t, pairs[2 * best]!, pairs[2 * best + 1]!, lambdas[best]!, q[best]!);
    for (let i = 0; i < n; i++) c[i] = state.dot(t, i);
    for (let p = 0; p < m; p++) q[p] = downdated(q[p]!, beta, c[pairs[2 * p]!]!, c[pairs[2 * p + 1]!]!);
    await yielder.maybeYield();
  }
  return { picks, quadratic, downdates: k > 0 ? (k - 1) * m - ((k - 1) * k) / 2 : 0 };
}

const bits32 = new Uint32Array(1);
const float32 = new Float32Array(bits32.buffer);
/** The smallest float32 ≥ x: bounds are filed as float32 to halve the scanned bytes. */
export function roundUp(x: number): number {
  const f = Math.fround(x);
  if (!(f < x)) return f;
  if (f === 0) return 1.401298464324817e-45;
  float32[0] = f;
  bits32[0] = f > 0 ? bits32[0]! + 1 : bits32[0]! - 1;
  return float32[0]!;
}

/**
 * Lazy greedy, blocked (the algorithm of cpp/design/greedy_blocked.h). A head, every candidate
 * whose bound reaches an edge = reference · ratio, runs as plain greedy pick by pick; the others keep
 * a stale q (as of step[p]) and are filed under a float32 upper bound, min(stale λq, λ(r_i + r_j)²),
 * which stays above their score until the edge reaches it (then they are caught up from the c
 * history with the same arithmetic). The head's best is the pool's best while it is ≥ edge; ratio
 * adapts so that a head certifies some tens of picks.
 */
async function lazyGreedy(args: ProjectedGreedyArgs): Promise<GreedyResult> {
  const { Y, n, d, pairs, lambdas, k } = args;
  const m = lambdas.length;
  for (let p = 0; p < m; p++) if (!(lambdas[p]! >= 0)) return plainGreedy(args); // bounds need scores that only fall
  const q = Float64Array.from(args.q0);
  const step = new Int32Array(m);
  const bound = new Float32Array(m); // NaN while in the head or taken: every scan passes it over
  const history = new Float64Array(n * k); // c_s[i] at i·k + s
  const c = new Float64Array(n);
  const picks = new Int32Array(k);
  const quadratic = new Float64Array(k);
  const state = new DowndateState(Y, d, k);
  const betas = state.betas;
  const radius = new ResponseBounds(Y, n, d, k);
  const yielder = new Yielder(args.signal);
  let reference = -Infinity;
  for (let p = 0; p < m; p++) {
    bound[p] = roundUp(lambdas[p]! * q[p]!);
    if (bound[p]! > reference) reference = bound[p]!;
  }
  let ratio = 0.9;
  let downdates = 0;
  let t = 0;
  while (t < k) {
    const edge = reference > 0 ? reference * ratio : -Infinity;
    const found: number[] = [];
    let outside = -Infinity; // the largest bound left outside the head
    for (let e = 0; e < m; e++) {
      if (!(bound[e]! >= edge)) {
        if (bound[e]! > outside) outside = bound[e]!;
        continue;
      }
      const lambda = lambdas[e]!;
      const i = pairs[2 * e]!;
      const j = pairs[2 * e + 1]!;
      const pairBound = lambda * radius.pair(i, j);
      let x = q[e]!;
      const tighter = Math.min(lambda * x, pairBound);
      if (!(tighter >= edge)) {
        bound[e] = roundUp(tighter);
        if (bound[e]! > outside) outside = bound[e]!;
        continue;
      }
      const from = step[e]!;
      if (from < t) {
        const io = i * k;
        const jo = j * k;
        for (let s = from; s < t; s++) {
          const dc = history[io + s]! - history[jo + s]!;
          x -= betas[s]! * dc * dc;
        }
        q[e] = x;
        step[e] = t;
        downdates += t - from;
      }
      const fresh = lambda * x;
      if (fresh >= edge) {
        found.push(e);
        bound[e] = NaN;
      } else {
        bound[e] = roundUp(Math.min(fresh, pairBound));
        if (bound[e]! > outside) outside = bound[e]!;
      }
      if ((e & 1023) === 0 && yielder.due()) await yielder.yieldNow();
    }
    const head = Int32Array.from(found);
    const hs = head.length;
    if (hs === 0 && !(edge > -Infinity)) break; // pool exhausted
    const t0 = t;
    let best = -1;
    let bestScore = -Infinity;
    for (let h = 0; h < hs; h++) {
      const x = head[h]!;
      const score = lambdas[x]! * q[x]!;
      if (best < 0 || score > bestScore) {
        bestScore = score;
        best = h;
      }
    }
    // Plain greedy on the head while its best is certified (≥ edge > every bound outside).
    while (t < k) {
      if (best < 0 || bestScore < edge) break;
      const p = head[best]!;
      head[best] = -1;
      picks[t] = p;
      quadratic[t] = q[p]!;
      t++;
      args.onPicks?.(t);
      if (t === k) break;
      const beta = state.step(t - 1, pairs[2 * p]!, pairs[2 * p + 1]!, lambdas[p]!, q[p]!);
      for (let i = 0; i < n; i++) {
        const ci = state.dot(t - 1, i);
        c[i] = ci;
        history[i * k + t - 1] = ci;
      }
      radius.downdate(state.U, (t - 1) * d, beta, c);
      best = -1;
      bestScore = -Infinity;
      for (let h = 0; h < hs; h++) {
        const x = head[h]!;
        if (x < 0) continue;
        const dc = c[pairs[2 * x]!]! - c[pairs[2 * x + 1]!]!;
        q[x] -= beta * dc * dc;
        const score = lambdas[x]! * q[x]!;
        if (best < 0 || score > bestScore) {
          bestScore = score;
          best = h;
        }
        if ((h & 65535) === 65535 && yielder.due()) await yielder.yieldNow(); // heads can hold millions
      }
      downdates += hs - (t - t0);
      await yielder.maybeYield();
    }
    if (t === k) break;
    // The head goes back to the pool, current as of t; the next edge is set below the largest bound.
    reference = outside;
    for (let h = 0; h < hs; h++) {
      const x = head[h]!;
      if (x < 0) continue;
      step[x] = t;
      bound[x] = roundUp(Math.min(lambdas[x]! * q[x]!, lambdas[x]! * radius.pair(pairs[2 * x]!, pairs[2 * x + 1]!)));
      if (bound[x]! > reference) reference = bound[x]!;
    }
    // A head that certified few picks was too small for how fast scores fall here; one that
    // certified many could be smaller.
    if (t - t0 < 8) ratio = Math.max(ratio * ratio, 0.5);
    else if (t - t0 > 48) ratio = Math.sqrt(ratio);
    await yielder.maybeYield();
  }
  return { picks, quadratic, downdates };
}

/**
 * Lazy greedy over a max-heap of stale scores (cpp/design/greedy_bucket_queue.h's counterpart), for
 * pools small against n·d: c_s[i] is computed only for responses whose candidates get re-scored,
 * and kept response-major so one candidate's catch-up reads two contiguous runs.
 */
async function heapLazyGreedy(args: ProjectedGreedyArgs): Promise<GreedyResult> {
  const { Y, n, d, pairs, lambdas, k } = args;
  const m = lambdas.length;
  const q = Float64Array.from(args.q0);
  const upTo = new Int32Array(m);
  const heap = new CandidateHeap(m);
  for (let p = 0; p < m; p++) heap.set(p, p, lambdas[p]! * q[p]!);
  heap.heapify();
  const picks = new Int32Array(k);
  const quadratic = new Float64Array(k);
  const state = new DowndateState(Y, d, k);
  // C[i][s] = c_s[i], allocated per block of responses on first use: a response whose candidates
  // are never re-scored costs nothing, and no single huge allocation stalls the event loop.
  const blocks: Float64Array[] = [];
  const row = (i: number): Float64Array => {
    const b = i >> RESPONSE_BLOCK_BITS;
    const block = (blocks[b] ??= new Float64Array(k << RESPONSE_BLOCK_BITS));
    const offset = (i & ((1 << RESPONSE_BLOCK_BITS) - 1)) * k;
    return block.subarray(offset, offset + k);
  };
  const known = new Int32Array(n);
  let downdates = 0;
  const catchUp = (i: number, t: number): Float64Array => {
    const ci = row(i);
    for (let s = known[i]!; s < t; s++) ci[s] = state.dot(s, i);
    known[i] = t;
    return ci;
  };
  const rescore = (p: number, t: number): number => {
    const ci = catchUp(pairs[2 * p]!, t);
    const cj = catchUp(pairs[2 * p + 1]!, t);
    let qp = q[p]!;
    downdates += t - upTo[p]!;
    for (let s = upTo[p]!; s < t; s++) qp = downdated(qp, state.betas[s]!, ci[s]!, cj[s]!);
    q[p] = qp;
    upTo[p] = t;
    return lambdas[p]! * qp;
  };
  // When scores are close, a pick can demote a large share of the pool and lazy evaluation
  // degenerates into many heap round trips; past this many re-scorings in one step, one sweep
  // that brings every candidate up to date and re-heapifies is cheaper. Same arithmetic, same picks.
  const sweepAfter = Math.max(1024, m >> 5);
  const yielder = new Yielder(args.signal);
  let t = 0;
  let rescoredThisStep = 0;
  while (t < k) {
    const top = heap.topPosition();
    if (upTo[top] === t) {
      heap.pop();
      picks[t] = top;
      quadratic[t] = q[top]!;
      state.step(t, pairs[2 * top]!, pairs[2 * top + 1]!, lambdas[top]!, q[top]!);
      t++;
      args.onPicks?.(t);
      rescoredThisStep = 0;
      await yielder.maybeYield();
      continue;
    }
    if (++rescoredThisStep > sweepAfter) {
      await heap.rekeyAll((p) => rescore(p, t), yielder);
      continue;
    }
    heap.replaceTopKey(rescore(top, t));
    if ((rescoredThisStep & 15) === 0 && yielder.due()) await yielder.yieldNow();
  }
  return { picks, quadratic, downdates };
}
