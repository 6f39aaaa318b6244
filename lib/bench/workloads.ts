/**
 * The benchmark suite (issue 12): every workload shape crossed with every data distribution of
 * distributions.ts. A case's id is `<workload>/<distribution>`; `--only` filters on it.
 */
import type { Method, PoolKind } from '../types.js';
import { DISTRIBUTIONS, distribution, generate, type DistributionId, type SuiteData } from './distributions.js';

export type WorkloadKind = 'greedy-cross' | 'greedy-cross-20k' | 'greedy-within' | 'k1024-lazy' | 'k1024-plain' | 'dopt-within' | 'batchbald-within' | 'projection';

export interface Workload {
  id: string;
  kind: WorkloadKind;
  distribution: DistributionId;
  title: string;
  /** Prompts (synthetic data), or at most this many of the real data's prompts (0: all of them). */
  prompts: number;
  perPrompt: number;
  d: number;
  k: number;
  method?: Method;
  pool?: PoolKind;
  lazy: boolean;
  /** Only the projection kernel Y = Φ L⁻ᵀ, reported in GFLOP/s. */
  projectionOnly?: boolean;
  /** Backends not run unless named in --backends, with the reason. */
  skip?: Partial<Record<'js' | 'native' | 'cuda' | 'numpy', string>>;
}

export const SEED = 20251128;

/** The distribution k = 1024 plain-vs-lazy runs on: the suite's worst case for lazy greedy (the largest
 * downdate share on the exhaustive cross pool, measured: 81 %). */
export const WORST_CASE: DistributionId = 'clustered';

const CROSS_SKIP = {
  numpy: 'the pair-vector formulation needs a 12.5M×128 float64 matrix (12.8 GB)',
  js: '12–24 s per run on the exhaustive pool (zero-head, clustered); name it in --backends to run it',
};

function shape(kind: WorkloadKind, dist: DistributionId): Omit<Workload, 'id' | 'kind' | 'distribution' | 'title'> & { what: string } {
  const real = distribution(dist).real === true;
  switch (kind) {
    case 'greedy-cross':
      return real
        ? { what: 'greedy-dopt, exhaustive cross, 4624 responses, d=512, k=256 (10.7M pairs)', prompts: 0, perPrompt: 2, d: 512, k: 256, method: 'greedy-dopt', pool: 'cross', lazy: true, skip: CROSS_SKIP }
        : { what: 'greedy-dopt, exhaustive cross, 5000 responses, d=128, k=256 (12.5M pairs)', prompts: 500, perPrompt: 10, d: 128, k: 256, method: 'greedy-dopt', pool: 'cross', lazy: true, skip: CROSS_SKIP };
    case 'greedy-cross-20k':
      return {
        what: 'greedy-dopt, exhaustive cross, 20000 responses, d=128, k=512 (199.9M pairs, implicit pool)', prompts: 2000, perPrompt: 10, d: 128, k: 512,
        method: 'greedy-dopt', pool: 'cross', lazy: true,
        skip: { numpy: 'the pair-vector formulation needs a 2·10⁸×128 float64 matrix (205 GB)', js: 'minutes per run at 2·10⁸ pairs; name it in --backends to run it' },
      };
    case 'greedy-within':
      return real
        ? { what: 'greedy-dopt, within, 2312×2 responses, d=512, k=512 (2312 pairs)', prompts: 0, perPrompt: 2, d: 512, k: 512, method: 'greedy-dopt', pool: 'within', lazy: true }
        : { what: 'greedy-dopt, within, 2000×10 responses, d=256, k=512 (90k pairs)', prompts: 2000, perPrompt: 10, d: 256, k: 512, method: 'greedy-dopt', pool: 'within', lazy: true };
    case 'k1024-lazy':
    case 'k1024-plain': {
      const lazy = kind === 'k1024-lazy';
      return { what: `greedy-dopt ${lazy ? 'lazy' : 'plain'}, exhaustive cross, 5000 responses, d=128, k=1024 (12.5M pairs)`, prompts: 500, perPrompt: 10, d: 128, k: 1024, method: 'greedy-dopt', pool: 'cross', lazy, skip: CROSS_SKIP };
    }
    case 'dopt-within':
      return { what: 'dopt, within, 2000×10 responses, d=256, k=512 (90k pairs)', prompts: 2000, perPrompt: 10, d: 256, k: 512, method: 'dopt', pool: 'within', lazy: true };
    case 'batchbald-within':
      return { what: 'batchbald (32 posterior samples), within, 2000×10 responses, d=256, k=512 (90k pairs)', prompts: 2000, perPrompt: 10, d: 256, k: 512, method: 'batchbald', pool: 'within', lazy: true, skip: { js: 'tens of seconds per run; name it in --backends to run it' } };
    case 'projection':
      return { what: 'projection Y = Φ·L⁻ᵀ (float64), 20000×256 float32 features', prompts: 2000, perPrompt: 10, d: 256, k: 0, lazy: true, projectionOnly: true, skip: { js: 'the projection kernel is measured on the native backend' } };
  }
}

function workload(kind: WorkloadKind, dist: DistributionId): Workload {
  const { what, ...rest } = shape(kind, dist);
  return { id: `${kind}/${dist}`, kind, distribution: dist, title: `${what}; data: ${dist}`, ...rest };
}

const ALL = DISTRIBUTIONS.map((x) => x.id);

export const WORKLOADS: readonly Workload[] = [
  ...ALL.map((dist) => workload('greedy-cross', dist)),
  // The implicit exhaustive pool at 2·10⁸ pairs (issue 12, goal 4), on the synthetic distributions.
  ...ALL.filter((dist) => !distribution(dist).real).map((dist) => workload('greedy-cross-20k', dist)),
  ...ALL.map((dist) => workload('greedy-within', dist)),
  workload('k1024-lazy', WORST_CASE),
  workload('k1024-plain', WORST_CASE),
  workload('dopt-within', 'iid'),
  workload('batchbald-within', 'iid'),
  workload('projection', 'iid'),
];

/** Smaller shapes with the same structure, for a quick look (`--quick`). */
export function quickWorkload(w: Workload): Workload {
  const real = distribution(w.distribution).real === true;
  const prompts = real ? 500 : w.pool === 'cross' ? Math.max(50, w.prompts / 5) : Math.max(100, w.prompts / 5);
  return { ...w, prompts, k: Math.min(w.k, w.kind.startsWith('k1024') ? 256 : 128), title: `${w.title} [quick: ${prompts}×${w.perPrompt}]` };
}

/** The case's data, from its distribution's seeded generator. */
export function workloadData(w: Workload): SuiteData {
  const data = generate(w.distribution, w.prompts, w.perPrompt, w.d, SEED);
  if (!distribution(w.distribution).real || w.prompts === 0 || w.prompts * w.perPrompt >= data.n) return data;
  const n = w.prompts * w.perPrompt;
  return { ...data, n, features: data.features.slice(0, n * data.d), promptIds: data.promptIds.slice(0, n) };
}

/** Within-prompt pairs (i < j) and their λ = σ(Δr)(1 − σ(Δr)), for the numpy reference. */
export function withinPairs(data: SuiteData): { pairs: Int32Array; lambdas: Float64Array } {
  const { features, head, n, d, perPrompt } = data;
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

/** Downdates plain greedy applies: after each of the first k − 1 picks, one per remaining candidate. */
export function plainDowndates(m: number, k: number): number {
  let total = 0;
  for (let t = 0; t + 1 < k; t++) total += m - 1 - t;
  return total;
}
