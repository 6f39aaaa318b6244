/** Small random problems and brute-force references for engine tests (no shared code with lib/ math). */
import { Rng } from '../../lib/math/rng.js';

export interface SmallProblem {
  features: Float64Array;
  n: number;
  d: number;
  promptIds: Int32Array;
  head: Float64Array;
}

export function smallProblem(seed: number, prompts: number, perPrompt: number, d: number, headScale = 1): SmallProblem {
  const rng = new Rng(seed);
  const n = prompts * perPrompt;
  const features = new Float64Array(n * d);
  for (let t = 0; t < features.length; t++) features[t] = rng.normal();
  const promptIds = new Int32Array(n);
  for (let i = 0; i < n; i++) promptIds[i] = Math.floor(i / perPrompt);
  const head = new Float64Array(d);
  for (let x = 0; x < d; x++) head[x] = headScale * rng.normal() / Math.sqrt(d);
  return { features, n, d, promptIds, head };
}

export function lambdaOf(p: SmallProblem, i: number, j: number): number {
  let diff = 0;
  for (let x = 0; x < p.d; x++) diff += (p.features[i * p.d + x]! - p.features[j * p.d + x]!) * p.head[x]!;
  const s = 1 / (1 + Math.exp(-diff));
  return s * (1 - s);
}

/** τI + Σ w v vᵀ built entry by entry from pair vectors (the O(m d²) way the library avoids). */
export function bruteInformation(p: SmallProblem, pairs: number[][], weights: number[], ridge: number): number[][] {
  const M = Array.from({ length: p.d }, (_, a) => Array.from({ length: p.d }, (_, b) => (a === b ? ridge : 0)));
  pairs.forEach(([i, j], t) => {
    const v = Array.from({ length: p.d }, (_, x) => p.features[i! * p.d + x]! - p.features[j! * p.d + x]!);
    for (let a = 0; a < p.d; a++) for (let b = 0; b < p.d; b++) M[a]![b]! += weights[t]! * v[a]! * v[b]!;
  });
  return M;
}

/** log |det A| by Gaussian elimination with partial pivoting. */
export function bruteLogDet(A: number[][]): number {
  const M = A.map((row) => row.slice());
  const d = M.length;
  let logDet = 0;
  for (let c = 0; c < d; c++) {
    let piv = c;
    for (let r = c + 1; r < d; r++) if (Math.abs(M[r]![c]!) > Math.abs(M[piv]![c]!)) piv = r;
    [M[c], M[piv]] = [M[piv]!, M[c]!];
    const pv = M[c]![c]!;
    logDet += Math.log(Math.abs(pv));
    for (let r = c + 1; r < d; r++) {
      const f = M[r]![c]! / pv;
      for (let x = c; x < d; x++) M[r]![x]! -= f * M[c]![x]!;
    }
  }
  return logDet;
}

export function pairsOf(flat: Int32Array): number[][] {
  const out: number[][] = [];
  for (let t = 0; t < flat.length; t += 2) out.push([flat[t]!, flat[t + 1]!]);
  return out;
}

export function relErr(a: number, b: number): number {
  return Math.abs(a - b) / Math.max(1e-300, Math.abs(b));
}
