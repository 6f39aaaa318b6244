/**
 * Logistic-regression coreset (Huggins, Campbell & Broderick 2016, Algorithm 1) over the pair
 * vectors v_p = φ_i − φ_j: k-means clusters give each pair a sensitivity upper bound
 *   s_p = N / (1 + Σ_c |G_c⁻ᵖ| exp(−R ‖Ḡ_c⁻ᵖ − v_p‖)),
 * and k distinct pairs are drawn with probability ∝ s_p (Efraimidis–Spirakis keys, seeded).
 * Isolated pairs get large sensitivities, redundant ones small. Labels are unknown before
 * annotation, so the pairs' orientation (i < j) stands in for the label sign.
 *
 * Everything uses the pair structure: v_p·μ = (Φμ)_i − (Φμ)_j, so a k-means pass costs
 * O(K n d + K m) instead of O(K m d), and no pair vector is ever built. Backends with the native
 * kernel (cpp/rules/coreset.cpp) run the k-means and sensitivities; the seeds and sampling keys stay here.
 */
import { pairSquaredDistances } from '../math/linalg.js';
import { Rng } from '../math/rng.js';
import type { FeatureArray } from '../types.js';
import { hasKernel } from '../backends/interface.js';
import type { RuleContext, RuleResult } from './context.js';
import { gather, topK } from '../math/top-k.js';

/** K and R as in the paper's experiments (K = 10 clusters, parameter-ball radius R = 1). */
export const CORESET_CLUSTERS = 10;
export const CORESET_RADIUS = 1;
const KMEANS_ITERATIONS = 25;

export async function coresetRule(ctx: RuleContext): Promise<RuleResult> {
  const { features, n, d } = ctx.responses;
  const pool = ctx.pool;
  const m = pool.length >> 1;
  const K = Math.min(CORESET_CLUSTERS, m);
  const rng = new Rng(ctx.seed);
  const seeds = seedPairs(m, K, rng);
  // The seeds and the sampling keys come from the one Rng here, so both backends draw identically.
  const backend = ctx.backend;
  const sensitivity = hasKernel(backend, 'coresetSensitivities')
    ? await backend.coresetSensitivities({ features, n, d, pairs: pool, seeds, iterations: KMEANS_ITERATIONS, radius: CORESET_RADIUS, signal: ctx.signal })
    : coresetSensitivities(features, n, d, pool, seeds, CORESET_RADIUS);
  // Weighted sampling without replacement: the k largest u^(1/s) keys (log form for stability).
  const keys = new Float64Array(m);
  for (let p = 0; p < m; p++) {
    let u = rng.next();
    while (u === 0) u = rng.next();
    keys[p] = Math.log(u) / sensitivity[p]!;
  }
  const positions = topK(keys, ctx.k);
  return { positions, scores: gather(sensitivity, positions) };
}

/** K distinct random pairs: the initial centers (their coefficient vectors e_i − e_j). */
function seedPairs(m: number, K: number, rng: Rng): Int32Array {
  const seeds = new Int32Array(K);
  const chosen = new Set<number>();
  for (let c = 0; c < K; c++) {
    let p = rng.int(m);
    while (chosen.has(p)) p = rng.int(m);
    chosen.add(p);
    seeds[c] = p;
  }
  return seeds;
}

/** The sensitivity of every pool pair (the reference for cpp/rules/coreset.cpp). */
export function coresetSensitivities(
  features: FeatureArray,
  n: number,
  d: number,
  pool: Int32Array,
  seeds: Int32Array,
  R: number,
): Float64Array {
  const m = pool.length >> 1;
  const K = seeds.length;
  const norms = pairSquaredDistances(features, d, pool, new Float64Array(m));
  const { assign, sizes, dist } = pairKMeans(features, n, d, pool, norms, seeds);
  const sensitivity = new Float64Array(m);
  for (let p = 0; p < m; p++) {
    let denom = 1;
    for (let c = 0; c < K; c++) {
      let size = sizes[c]!;
      let distance = dist[p * K + c]!;
      if (assign[p] === c) {
        // Leave p out of its own cluster: mean of the others is |G|/(|G|−1) farther from v_p.
        size -= 1;
        distance = size > 0 ? (distance * (size + 1)) / size : 0;
      }
      if (size > 0) denom += size * Math.exp(-R * distance);
    }
    sensitivity[p] = m / denom;
  }
  return sensitivity;
}

interface Clustering {
  assign: Int32Array;
  sizes: Int32Array;
  /** Euclidean distance of each pair to each center, m×K. */
  dist: Float64Array;
}

function pairKMeans(
  features: FeatureArray,
  n: number,
  d: number,
  pool: Int32Array,
  norms: Float64Array,
  seeds: Int32Array,
): Clustering {
  const m = pool.length >> 1;
  const K = seeds.length;
  const coef = new Float64Array(K * n);
  for (let c = 0; c < K; c++) {
    coef[c * n + pool[2 * seeds[c]!]!] = 1;
    coef[c * n + pool[2 * seeds[c]! + 1]!] = -1;
  }
  const centers = new Float64Array(K * d);
  const proj = new Float64Array(K * n);
  const centerNorm = new Float64Array(K);
  const assign = new Int32Array(m).fill(-1);
  const sizes = new Int32Array(K);
  const dist = new Float64Array(m * K);
  for (let iter = 0; iter < KMEANS_ITERATIONS; iter++) {
    centersFromCoefficients(features, n, d, coef, K, centers, centerNorm);
    projectCenters(features, n, d, centers, K, proj);
    let changed = 0;
    sizes.fill(0);
    for (let p = 0; p < m; p++) {
      const i = pool[2 * p]!;
      const j = pool[2 * p + 1]!;
      let best = 0;
      let bestDist = Infinity;
      for (let c = 0; c < K; c++) {
        const dot = proj[c * n + i]! - proj[c * n + j]!;
        const sq = Math.max(0, norms[p]! - 2 * dot + centerNorm[c]!);
        dist[p * K + c] = Math.sqrt(sq);
        if (sq < bestDist) {
          bestDist = sq;
          best = c;
        }
      }
      if (assign[p] !== best) changed++;
      assign[p] = best;
      sizes[best]++;
    }
    if (changed === 0) break;
    coef.fill(0);
    for (let p = 0; p < m; p++) {
      const c = assign[p]!;
      const w = 1 / sizes[c]!;
      coef[c * n + pool[2 * p]!] += w;
      coef[c * n + pool[2 * p + 1]!] -= w;
    }
  }
  return { assign, sizes, dist };
}

function centersFromCoefficients(
  features: FeatureArray,
  n: number,
  d: number,
  coef: Float64Array,
  K: number,
  centers: Float64Array,
  centerNorm: Float64Array,
): void {
  centers.fill(0);
  for (let c = 0; c < K; c++) {
    const mu = centers.subarray(c * d, (c + 1) * d);
    for (let i = 0; i < n; i++) {
      const a = coef[c * n + i]!;
      if (a === 0) continue;
      const o = i * d;
      for (let x = 0; x < d; x++) mu[x] += a * features[o + x]!;
    }
    let s = 0;
    for (let x = 0; x < d; x++) s += mu[x]! * mu[x]!;
    centerNorm[c] = s;
  }
}

function projectCenters(features: FeatureArray, n: number, d: number, centers: Float64Array, K: number, proj: Float64Array): void {
  for (let i = 0; i < n; i++) {
    const o = i * d;
    for (let c = 0; c < K; c++) {
      let s = 0;
      const co = c * d;
      for (let x = 0; x < d; x++) s += features[o + x]! * centers[co + x]!;
      proj[c * n + i] = s;
    }
  }
}
