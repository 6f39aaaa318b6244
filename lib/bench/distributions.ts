/**
 * The data distributions of the benchmark suite (issue 12): seeded generators, so that every
 * backend, the numpy reference and a rerun on another machine see the same numbers.
 *
 * The greedy's cost depends on the data, not only on the shapes: lazy evaluation pays off when the
 * initial keys λ·q₀ are spread out and the picks' downdates are small against q. Each distribution
 * below stresses that in a different way. D-optimal selection is invariant under a rotation of the
 * features (with the head rotated too), so spectra are drawn axis-aligned.
 */
import { existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readNpy } from '../io/npy.js';
import { Rng } from '../math/rng.js';
import { trainLinearHead } from '../train/linear.js';

export type DistributionId = 'iid' | 'zero-head' | 'clustered' | 'power-law' | 'wide-lambda' | 'hh' | 'hh-fitted';

export interface Distribution {
  id: DistributionId;
  /** One line for the table and docs/native.md. */
  summary: string;
  /** The selection's ridge τ: part of what makes a case hard (small τ against ‖φ‖²). */
  ridge: number;
  /** Real data with its own n and d (the shapes of the workload do not apply). */
  real?: boolean;
}

export const DISTRIBUTIONS: readonly Distribution[] = [
  { id: 'iid', summary: 'i.i.d. N(0, 1/d) features (norm ≈ 1), head N(0, 4): the original benchmark, λ spread by a large random head', ridge: 1 },
  { id: 'zero-head', summary: 'the iid features with a zero head: λ = 1/4 for every pair (every first round, `select` without a head)', ridge: 1 },
  { id: 'clustered', summary: 'prompts as clusters: centre of norm ≈ 14 plus within-prompt spread of norm ≈ 5 (‖φ‖ ≈ 15), head N(0, 1/d), τ = 1e-3', ridge: 1e-3 },
  { id: 'power-law', summary: 'LLM-like hidden states: a shared mean of norm 4 plus variance σ_c² ∝ c^-1.5 (total 1), head N(0, 1)', ridge: 1 },
  { id: 'wide-lambda', summary: 'the iid features with a head N(0, 15²): |r_i − r_j| up to ~100, λ spanning ~40 orders of magnitude', ridge: 1 },
  { id: 'hh', summary: 'HH-RLHF harmless test responses, USE-lite 512-d unit-norm embeddings, 2312 prompts × 2 (n = 4624), zero head', ridge: 1, real: true },
  { id: 'hh-fitted', summary: 'the same HH embeddings with a head fitted by trainLinearHead (τ = 1) on all 2312 chosen−rejected labels', ridge: 1, real: true },
];

export function distribution(id: string): Distribution {
  const found = DISTRIBUTIONS.find((x) => x.id === id);
  if (!found) throw new RangeError(`unknown distribution "${id}"; expected one of ${DISTRIBUTIONS.map((x) => x.id).join(', ')}`);
  return found;
}

export interface SuiteData {
  features: Float32Array;
  promptIds: Int32Array;
  head: Float64Array<ArrayBufferLike>;
  n: number;
  d: number;
  /** Responses per prompt: prompts are contiguous runs of this many responses. */
  perPrompt: number;
  ridge: number;
}

/** Where the shared HH embeddings are; ACTIVE_RM_HH_EMBEDDINGS overrides it. */
export function hhEmbeddingsPath(): string {
  return process.env.ACTIVE_RM_HH_EMBEDDINGS ?? '/work/shared/data/hh-harmless-test.use512.responses.npy';
}

/** Why a distribution cannot run here (missing data), or undefined. */
export function unavailable(id: DistributionId): string | undefined {
  if (!distribution(id).real) return undefined;
  const path = hhEmbeddingsPath();
  return existsSync(path) ? undefined : `HH embeddings not found at ${path} (set ACTIVE_RM_HH_EMBEDDINGS)`;
}

/** Synthetic data: `prompts` prompts of `perPrompt` responses in dimension d; the seed fixes it all. */
export function generate(id: DistributionId, prompts: number, perPrompt: number, d: number, seed: number): SuiteData {
  const dist = distribution(id);
  if (dist.real) return loadHh(id === 'hh-fitted');
  const rng = new Rng(seed);
  const n = prompts * perPrompt;
  const features = new Float32Array(n * d);
  const head = new Float64Array(d);
  const promptIds = new Int32Array(n);
  for (let i = 0; i < n; i++) promptIds[i] = Math.floor(i / perPrompt);
  switch (id) {
    case 'iid':
    case 'zero-head':
    case 'wide-lambda': {
      const scale = 1 / Math.sqrt(d);
      for (let e = 0; e < features.length; e++) features[e] = rng.normal() * scale;
      const headScale = id === 'iid' ? 2 : id === 'wide-lambda' ? 15 : 0;
      for (let c = 0; c < d; c++) head[c] = rng.normal() * headScale;
      break;
    }
    case 'clustered': {
      const centre = new Float64Array(d);
      const centreScale = 14 / Math.sqrt(d);
      const spread = 5 / Math.sqrt(d);
      for (let g = 0; g < prompts; g++) {
        for (let c = 0; c < d; c++) centre[c] = rng.normal() * centreScale;
        for (let i = g * perPrompt; i < (g + 1) * perPrompt; i++) {
          for (let c = 0; c < d; c++) features[i * d + c] = centre[c]! + rng.normal() * spread;
        }
      }
      for (let c = 0; c < d; c++) head[c] = rng.normal() / Math.sqrt(d);
      break;
    }
    case 'power-law': {
      const sigma = new Float64Array(d);
      let total = 0;
      for (let c = 0; c < d; c++) total += (sigma[c] = Math.pow(c + 1, -1.5));
      for (let c = 0; c < d; c++) sigma[c] = Math.sqrt(sigma[c]! / total);
      const mean = new Float64Array(d);
      for (let c = 0; c < d; c++) mean[c] = (rng.normal() * 4) / Math.sqrt(d);
      for (let i = 0; i < n; i++) for (let c = 0; c < d; c++) features[i * d + c] = mean[c]! + rng.normal() * sigma[c]!;
      for (let c = 0; c < d; c++) head[c] = rng.normal();
      break;
    }
  }
  return { features, promptIds, head, n, d, perPrompt, ridge: dist.ridge };
}

/** The HH embeddings as 2312 prompts × (chosen, rejected); optionally with a head fitted on their labels. */
function loadHh(fitted: boolean): SuiteData {
  const why = unavailable('hh');
  if (why) throw new Error(why);
  const arr = readNpy(hhEmbeddingsPath());
  if (arr.dtype !== 'float32' || arr.shape.length !== 3 || arr.shape[1] !== 2) {
    throw new Error(`${hhEmbeddingsPath()}: expected float32 of shape (prompts, 2, d); got ${arr.dtype} (${arr.shape.join(', ')})`);
  }
  const [prompts, , d] = arr.shape as [number, number, number];
  const n = prompts * 2;
  const features = arr.data as Float32Array;
  const promptIds = new Int32Array(n);
  for (let i = 0; i < n; i++) promptIds[i] = i >> 1;
  let head: Float64Array<ArrayBufferLike> = new Float64Array(d);
  if (fitted) {
    // The fit takes seconds and every case's process needs it: kept in a temporary file named
    // after the data file's size and time, so a changed file gets a new fit.
    const stat = statSync(hhEmbeddingsPath());
    const cache = join(tmpdir(), `active-rm-bench-hh-head-${stat.size}-${Math.trunc(stat.mtimeMs)}.f64`);
    if (existsSync(cache) && statSync(cache).size === 8 * d) {
      head = new Float64Array(new Uint8Array(readFileSync(cache)).buffer);
    } else {
      const pairs = new Int32Array(n);
      for (let i = 0; i < n; i++) pairs[i] = i;  // (chosen, rejected) of each prompt: 2g, 2g + 1
      head = trainLinearHead({ features, dim: d, pairs, labels: new Float64Array(prompts).fill(1), ridge: 1 }).w;
      writeFileSync(cache, new Uint8Array(head.buffer, head.byteOffset, head.byteLength));
    }
  }
  return { features, promptIds, head, n, d, perPrompt: 2, ridge: 1 };
}
