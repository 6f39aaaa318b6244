/**
 * The embedded default dataset, generated in code from a fixed seed so it needs no download and is
 * identical on every machine. Prompts are clusters in feature space (a prompt center plus
 * per-response variation), and the golden reward is a fixed random teacher network — nonlinear, so
 * a linear head on these features is misspecified, as a reward model on real embeddings is.
 *
 * The sizes follow the paper's protocol at a smaller scale (10 responses per prompt; see
 * docs/simulate.md); the generator was written once and not adjusted to favour any rule.
 */
import { Rng } from '../math/rng.js';
import type { PromptDataset } from './types.js';

export interface SyntheticOptions {
  prompts?: number;
  responses?: number;
  dim?: number;
  /** Hidden width of the teacher network. */
  teacherWidth?: number;
  seed?: number;
}

export const SYNTHETIC_DEFAULTS = { prompts: 1500, responses: 10, dim: 24, teacherWidth: 32, seed: 20250713 } as const;

export function syntheticDataset(opts: SyntheticOptions = {}): PromptDataset {
  const P = opts.prompts ?? SYNTHETIC_DEFAULTS.prompts;
  const R = opts.responses ?? SYNTHETIC_DEFAULTS.responses;
  const d = opts.dim ?? SYNTHETIC_DEFAULTS.dim;
  const h = opts.teacherWidth ?? SYNTHETIC_DEFAULTS.teacherWidth;
  const rng = new Rng(opts.seed ?? SYNTHETIC_DEFAULTS.seed);

  // Responses of one prompt share a center but differ about as much as prompts do along a few
  // directions: the within-prompt spread is what a within-prompt ranking has to resolve.
  const features = new Float32Array(P * R * d);
  for (let p = 0; p < P; p++) {
    const center = Array.from({ length: d }, () => rng.normal());
    for (let r = 0; r < R; r++) {
      const row = (p * R + r) * d;
      for (let k = 0; k < d; k++) features[row + k] = center[k]! + 0.8 * rng.normal();
    }
  }

  // Teacher: r*(x) = aᵀ tanh(W x / √d + b) + cᵀx / √d, scaled to unit standard deviation so that
  // β (the label sharpness) has one meaning across datasets: P(i ≻ j) = σ(β Δr*) in reward-SD units.
  const W = Float64Array.from({ length: h * d }, () => rng.normal());
  const b = Float64Array.from({ length: h }, () => 0.5 * rng.normal());
  const a = Float64Array.from({ length: h }, () => rng.normal() / Math.sqrt(h));
  const c = Float64Array.from({ length: d }, () => 0.5 * rng.normal());
  const n = P * R;
  const golden = new Float64Array(n);
  const s = 1 / Math.sqrt(d);
  for (let i = 0; i < n; i++) {
    const row = i * d;
    let r = 0;
    for (let u = 0; u < h; u++) {
      let z = b[u]!;
      for (let k = 0; k < d; k++) z += W[u * d + k]! * features[row + k]! * s;
      r += a[u]! * Math.tanh(z);
    }
    for (let k = 0; k < d; k++) r += c[k]! * features[row + k]! * s;
    golden[i] = r;
  }
  let mean = 0;
  for (let i = 0; i < n; i++) mean += golden[i]!;
  mean /= n;
  let v = 0;
  for (let i = 0; i < n; i++) v += (golden[i]! - mean) ** 2;
  const sd = Math.sqrt(v / n);
  for (let i = 0; i < n; i++) golden[i] = (golden[i]! - mean) / sd;

  return { kind: 'prompts', name: 'synthetic', features, dim: d, prompts: P, responses: R, golden };
}
