/**
 * The benchmark workloads of issue 3, with seeded synthetic data: unit-scale Gaussian features, a
 * random reward head (so that λ varies across pairs), prompts of 10 responses each.
 */
import { Rng } from '../math/rng.js';
import type { Method, PoolKind } from '../types.js';

export interface Workload {
  id: string;
  title: string;
  prompts: number;
  perPrompt: number;
  d: number;
  k: number;
  method?: Method;
  pool?: PoolKind;
  /** Only the projection kernel Y = Φ L⁻ᵀ, reported in GFLOP/s. */
  projectionOnly?: boolean;
  /** Backends that take too long or too much memory at this size, with the reason. */
  skip?: Partial<Record<'js' | 'native' | 'cuda' | 'numpy', string>>;
}

export const RIDGE = 1;
export const SEED = 20251128;

export const WORKLOADS: readonly Workload[] = [
  { id: 'greedy-within', title: 'greedy-dopt, within, 2000×10 responses, d=256, k=512 (90k pairs)', prompts: 2000, perPrompt: 10, d: 256, k: 512, method: 'greedy-dopt', pool: 'within' },
  { id: 'dopt-within', title: 'dopt, within, 2000×10 responses, d=256, k=512 (90k pairs)', prompts: 2000, perPrompt: 10, d: 256, k: 512, method: 'dopt', pool: 'within' },
  {
    id: 'greedy-cross',
    title: 'greedy-dopt, exhaustive cross, 5000 responses, d=128, k=256 (12.5M pairs)',
    prompts: 500, perPrompt: 10, d: 128, k: 256, method: 'greedy-dopt', pool: 'cross',
    skip: { numpy: 'the pair-vector formulation needs a 12.5M×128 float64 matrix (12.8 GB)' },
  },
  { id: 'projection', title: 'projection Y = Φ·L⁻ᵀ, 20000×256 float32 features', prompts: 2000, perPrompt: 10, d: 256, k: 0, projectionOnly: true, skip: { js: 'reported through the greedy/dopt rows' } },
];

/** Smaller shapes with the same structure, for a quick look (`--quick`). */
export function quickWorkload(w: Workload): Workload {
  const prompts = w.pool === 'cross' ? Math.max(50, w.prompts / 5) : Math.max(100, w.prompts / 5);
  return { ...w, prompts, k: Math.min(w.k, 128), title: `${w.title} [quick: ${prompts}×${w.perPrompt}]` };
}

export interface WorkloadData {
  features: Float32Array;
  promptIds: Int32Array;
  head: Float64Array;
  n: number;
  d: number;
}

export function workloadData(w: Workload): WorkloadData {
  const rng = new Rng(SEED);
  const n = w.prompts * w.perPrompt;
  const d = w.d;
  const features = new Float32Array(n * d);
  const scale = 1 / Math.sqrt(d);
  for (let e = 0; e < features.length; e++) features[e] = rng.normal() * scale;
  const promptIds = new Int32Array(n);
  for (let i = 0; i < n; i++) promptIds[i] = Math.floor(i / w.perPrompt);
  const head = new Float64Array(d);
  for (let c = 0; c < d; c++) head[c] = rng.normal() * 2;
  return { features, promptIds, head, n, d };
}

/** Within-prompt pairs (i < j) and their λ = σ(Δr)(1 − σ(Δr)), for the numpy reference. */
export function withinPairs(data: WorkloadData, perPrompt: number): { pairs: Int32Array; lambdas: Float64Array } {
  const { features, head, n, d } = data;
  const r = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let s = 0;
    for (let c = 0; c < d; c++) s += features[i * d + c]! * head[c]!;
    r[i] = s;
  }
  const list: number[] = [];
  for (let g = 0; g < n; g += perPrompt) for (let i = g; i < g + perPrompt; i++) for (let j = i + 1; j < g + perPrompt; j++) list.push(i, j);
  const pairs = new Int32Array(list);
  const lambdas = new Float64Array(pairs.length / 2);
  for (let p = 0; p < lambdas.length; p++) {
    const s = 1 / (1 + Math.exp(-(r[pairs[2 * p]!]! - r[pairs[2 * p + 1]!]!)));
    lambdas[p] = s * (1 - s);
  }
  return { pairs, lambdas };
}
