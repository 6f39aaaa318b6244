/**
 * Exact greedy D-optimal selection over an implicit exhaustive pool: the TypeScript reference of
 * cpp/design/greedy_implicit.h. No pair, λ or q array: pairs (i, j), i < j, are enumerated by
 * position (row i holds (i, i+1) … (i, n−1); a 'cross' pool skips pairs within a prompt), λ comes
 * from per-response values, and the only per-pair state is a float32 upper bound on the score
 * (4 bytes per pair of the triangle).
 *
 * A pair's exact q at step t is computed from scratch when needed, with the arithmetic plain greedy
 * applies incrementally (lib/math/greedy.ts): q0 = ‖y_i − y_j‖² summed in order, then
 * q −= β_s (c_s[i] − c_s[j])² for s < t in pick order (c_s kept per response), so the picks are
 * plain greedy's on the materialized pool, bit for bit. Otherwise the blocked scheme: a head (pairs
 * whose bound reaches an edge below the largest bound) runs as plain greedy while its best stays
 * above the edge; then one pass over the bounds forms the next head. A pass bounds a pair by
 * ‖w_i − w_j‖² in the current metric (w = Rᵀ y with P_t = I − Σ β_s u_s u_sᵀ = R Rᵀ: O(d) at any
 * step) plus a rounding margin, and computes the exact q only when that bound reaches the edge.
 */
import type { ImplicitPoolSpec, PickProgress } from '../backends/interface.js';
import { bernoulliVariance } from './fisher.js';
import { DowndateState, roundUp } from './greedy.js';
import { cholesky } from './linalg.js';
import { ResponseBounds } from './response-bounds.js';
import { Yielder } from './yielder.js';

/** Bounds whose maximum a pass checks before looking at each of them. */
const BLOCK = 64;
/** Head members admitted per rise of the edge during a pass (cpp/design/greedy_implicit.h's head_cap). */
const HEAD_CAP = 1 << 16;

export interface ImplicitGreedyArgs {
  /** n×d projected responses y = L⁻¹φ. */
  Y: Float64Array;
  n: number;
  d: number;
  pool: ImplicitPoolSpec;
  k: number;
  signal?: AbortSignal;
  /** Head members admitted per rise of the edge in a pass (tests lower it). */
  headCap?: number;
  onPicks?: PickProgress;
}

export interface ImplicitGreedyResult {
  /** The k picks (i < j interleaved) in pick order. */
  pairs: Int32Array;
  quadratic: Float64Array;
  /** Serial downdates applied (head updates and exact evaluations); bounds are not counted. */
  downdates: number;
}

/** λ_ij as lib/math/fisher.ts pairLambdas rounds it: from the scaled exponentials when given. */
export function implicitLambda(pool: ImplicitPoolSpec, i: number, j: number): number {
  const e = pool.expRewards;
  if (e) {
    const a = e[i]!;
    const b = e[j]!;
    const s = a + b;
    return (a * b) / (s * s);
  }
  return bernoulliVariance(pool.rewards[i]! - pool.rewards[j]!);
}

export const triangleRowStart = (n: number, i: number): number => i * n - (i * (i + 1)) / 2;

/** ‖y_i − y_j‖² with pairSquaredDistances' arithmetic (lib/math/linalg.ts). */
function squaredDistance(Y: Float64Array, oi: number, oj: number, d: number): number {
  let acc = 0;
  for (let x = 0; x < d; x++) {
    const diff = Y[oi + x]! - Y[oj + x]!;
    acc += diff * diff;
  }
  return acc;
}

/**
 * w_i = Rᵀ y_i for P_t = R Rᵀ, so that q_ij(t) = ‖w_i − w_j‖² up to rounding: P, R and W round
 * differently from the serial downdates, by at most a few (t + d²)·u·(‖y_i‖² + ‖y_j‖²) (see
 * cpp/design/greedy_implicit.cpp), which the caller's slack 64·(t + d²)·ε·(‖y_i‖² + ‖y_j‖²) covers.
 * Returns false when P_t is not numerically positive definite.
 */
function currentMetric(Y: Float64Array, n: number, d: number, state: DowndateState, t: number, W: Float64Array): boolean {
  const P = new Float64Array(d * d);
  for (let a = 0; a < d; a++) P[a * d + a] = 1;
  const { U, betas } = state;
  for (let s = 0; s < t; s++) {
    const beta = betas[s]!;
    const o = s * d;
    for (let a = 0; a < d; a++) {
      const ua = beta * U[o + a]!;
      for (let b = 0; b <= a; b++) P[a * d + b] -= ua * U[o + b]!;
    }
  }
  let R: Float64Array;
  try {
    R = cholesky(P, d).factor;
  } catch {
    return false;
  }
  for (let i = 0; i < n; i++) {
    const o = i * d;
    for (let a = 0; a < d; a++) {
      let s = 0;
      for (let b = a; b < d; b++) s += Y[o + b]! * R[b * d + a]!;
      W[o + a] = s;
    }
  }
  return true;
}

export async function implicitGreedy(args: ImplicitGreedyArgs): Promise<ImplicitGreedyResult> {
  const { Y, n, d, pool, k } = args;
  const headCap = args.headCap ?? HEAD_CAP;
  const cross = pool.kind === 'cross';
  const promptOf = pool.promptOf;
  const total = (n * (n - 1)) / 2;
  const bound = new Float32Array(total); // NaN: not a member, in the head, or picked
  const history = new Float64Array(n * k); // c_s[i] at i·k + s
  const c = new Float64Array(n);
  const W = new Float64Array(n * d);
  const norm2 = new Float64Array(n);
  for (let i = 0; i < n; i++) norm2[i] = dotSelf(Y, i * d, d);
  const state = new DowndateState(Y, d, k);
  const betas = state.betas;
  const radius = new ResponseBounds(Y, n, d, k);
  const yielder = new Yielder(args.signal);
  const pairs = new Int32Array(2 * k);
  const quadratic = new Float64Array(k);
  const lambdaOf = (i: number, j: number): number => implicitLambda(pool, i, j);

  let reference = -Infinity;
  for (let i = 0, e = 0; i < n; i++) {
    const oi = i * d;
    for (let j = i + 1; j < n; j++, e++) {
      if (cross && promptOf[i] === promptOf[j]) {
        bound[e] = NaN;
        continue;
      }
      const b = roundUp(lambdaOf(i, j) * squaredDistance(Y, oi, j * d, d));
      bound[e] = b;
      if (b > reference) reference = b;
    }
    if (yielder.due()) await yielder.yieldNow();
  }
  const ex = pool.excluded;
  for (let p = 0; p < ex.length; p += 2) {
    const i = Math.min(ex[p]!, ex[p + 1]!);
    const j = Math.max(ex[p]!, ex[p + 1]!);
    if (i !== j) bound[triangleRowStart(n, i) + j - i - 1] = NaN;
  }

  // Head members: positions, endpoints, current q and λ (position −1 once picked).
  let headE: number[] = [];
  let headI: number[] = [];
  let headJ: number[] = [];
  let headQ: number[] = [];
  let headL: number[] = [];
  let ratio = 0.9;
  let downdates = 0;
  let t = 0;
  while (t < k) {
    // The edge may rise during the pass (never fall) once HEAD_CAP members are admitted: a pair left
    // outside is below the edge it was compared with, so below the final edge, which certifies the
    // head's picks; members below the final edge go back to the pool after the pass.
    let edge = reference > 0 ? reference * ratio : -Infinity;
    const top = reference;
    let admitted = 0;
    const now = t;
    const useMetric = now > 0 && currentMetric(Y, n, d, state, now, W);
    const slack = 64 * (now + d * d) * Number.EPSILON;
    headE = [];
    headI = [];
    headJ = [];
    headQ = [];
    headL = [];
    let outside = -Infinity;
    for (let i = 0; i < n - 1; i++) {
      const rowStart = triangleRowStart(n, i);
      const rowEnd = rowStart + (n - 1 - i);
      const oi = i * d;
      for (let b0 = rowStart; b0 < rowEnd; b0 += BLOCK) {
        if (admitted > headCap && edge > -Infinity) {
          edge += 0.5 * (top - edge);
          admitted = 0;
        }
        const b1 = Math.min(rowEnd, b0 + BLOCK);
        let high = -Infinity;
        for (let e = b0; e < b1; e++) if (bound[e]! > high) high = bound[e]!;
        if (!(high >= edge)) {
          if (high > outside) outside = high;
          continue;
        }
        for (let e = b0; e < b1; e++) {
          const filed = bound[e]!;
          if (!(filed >= edge)) {
            if (filed > outside) outside = filed;
            continue;
          }
          const j = i + 1 + (e - rowStart);
          const oj = j * d;
          const lambda = lambdaOf(i, j);
          const pairBound = lambda * radius.pair(i, j);
          let upper: number;
          if (!(pairBound >= edge)) {
            upper = pairBound;
          } else if (useMetric) {
            upper = lambda * (squaredDistance(W, oi, oj, d) + slack * (norm2[i]! + norm2[j]!));
          } else {
            // q0 − Σ_s β_s Δ_s² in any order differs from the serial chain by ≲ (now + 10)·u·(q0 + Σ).
            const q0 = squaredDistance(Y, oi, oj, d);
            let sum = 0;
            for (let s = 0; s < now; s++) {
              const dc = history[i * k + s]! - history[j * k + s]!;
              sum += betas[s]! * dc * dc;
            }
            upper = lambda * (q0 - sum + 2 * (now + 16) * Number.EPSILON * (q0 + sum));
          }
          if (!(upper >= edge)) {
            bound[e] = roundUp(Math.min(upper, pairBound));
            if (bound[e]! > outside) outside = bound[e]!;
            continue;
          }
          let x = squaredDistance(Y, oi, oj, d);
          const io = i * k;
          const jo = j * k;
          for (let s = 0; s < now; s++) {
            const dc = history[io + s]! - history[jo + s]!;
            x -= betas[s]! * dc * dc;
          }
          downdates += now;
          const fresh = lambda * x;
          if (fresh >= edge) {
            headE.push(e);
            headI.push(i);
            headJ.push(j);
            headQ.push(x);
            headL.push(lambda);
            bound[e] = NaN;
            admitted++;
          } else {
            bound[e] = roundUp(Math.min(fresh, pairBound));
            if (bound[e]! > outside) outside = bound[e]!;
          }
        }
      }
      if ((i & 15) === 0 && yielder.due()) await yielder.yieldNow();
    }
    let kept = 0;
    for (let h = 0; h < headE.length; h++) {
      const score = headL[h]! * headQ[h]!;
      if (score >= edge) {
        headE[kept] = headE[h]!;
        headI[kept] = headI[h]!;
        headJ[kept] = headJ[h]!;
        headQ[kept] = headQ[h]!;
        headL[kept] = headL[h]!;
        kept++;
        continue;
      }
      const e = headE[h]!;
      bound[e] = roundUp(Math.min(score, headL[h]! * radius.pair(headI[h]!, headJ[h]!)));
      if (bound[e]! > outside) outside = bound[e]!;
    }
    for (const list of [headE, headI, headJ, headQ, headL]) list.length = kept;
    const hs = kept;
    if (hs === 0 && !(edge > -Infinity)) break; // pool exhausted (callers keep k ≤ its size)
    const t0 = t;
    let best = -1;
    let bestScore = -Infinity;
    for (let h = 0; h < hs; h++) {
      const score = headL[h]! * headQ[h]!;
      if (best < 0 || score > bestScore) {
        bestScore = score;
        best = h;
      }
    }
    // Plain greedy on the head while its best is certified (≥ edge > every bound outside).
    while (t < k) {
      if (best < 0 || bestScore < edge) break;
      const a = headI[best]!;
      const b = headJ[best]!;
      headE[best] = -1;
      pairs[2 * t] = a;
      pairs[2 * t + 1] = b;
      quadratic[t] = headQ[best]!;
      t++;
      if (t === k) break;
      const beta = state.step(t - 1, a, b, headL[best]!, headQ[best]!);
      for (let i = 0; i < n; i++) {
        const ci = state.dot(t - 1, i);
        c[i] = ci;
        history[i * k + t - 1] = ci;
      }
      radius.downdate(state.U, (t - 1) * d, beta, c);
      best = -1;
      bestScore = -Infinity;
      for (let h = 0; h < hs; h++) {
        if (headE[h]! < 0) continue;
        const dc = c[headI[h]!]! - c[headJ[h]!]!;
        const q = headQ[h]! - beta * dc * dc;
        headQ[h] = q;
        const score = headL[h]! * q;
        if (best < 0 || score > bestScore) {
          bestScore = score;
          best = h;
        }
      }
      downdates += hs - (t - t0);
      args.onPicks?.(t);
      await yielder.maybeYield();
    }
    if (t === k) break;
    reference = outside;
    for (let h = 0; h < hs; h++) {
      const e = headE[h]!;
      if (e < 0) continue;
      const lambda = headL[h]!;
      bound[e] = roundUp(Math.min(lambda * headQ[h]!, lambda * radius.pair(headI[h]!, headJ[h]!)));
      if (bound[e]! > reference) reference = bound[e]!;
    }
    if (t - t0 < 8) ratio = Math.max(ratio * ratio, 0.5);
    else if (t - t0 > 48) ratio = Math.sqrt(ratio);
    await yielder.maybeYield();
  }
  return { pairs, quadratic, downdates };
}

function dotSelf(Y: Float64Array, o: number, d: number): number {
  let s = 0;
  for (let x = 0; x < d; x++) s += Y[o + x]! * Y[o + x]!;
  return s;
}
