/**
 * The prior of a selection, τ and shape (train/prior-shape.ts). τ: a number the caller fixed, or
 * 'auto' (the default): the Laplace evidence's choice on the labeled past pairs when there are
 * labels (the τ a head fitted with trainLinearHead({ ridge: 'auto' }) on the same labels has, so
 * head and M are one posterior), and before any label the scale-aware prior τ₀ = mean ‖v‖² over
 * the candidate pool (the prior then gives candidate margins a spread of about 1, whatever the
 * units of φ). Shape: the caller's, or with 'auto' the one with the higher evidence (before any
 * label, ZERO_LABEL_SHAPE). The standardized shape's per-axis scales come from the labeled pairs
 * (as trainLinearHead takes them), or from the candidate pool before any label.
 */
import type { Backend } from '../backends/interface.js';
import { priorScaleRidge } from '../train/evidence.js';
import { trainLinearHeadOn } from '../train/linear.js';
import { axisScales, ZERO_LABEL_SHAPE, type PriorChoice, type PriorShape } from '../train/prior-shape.js';
import type { RidgeSource } from '../types.js';
import type { LabeledPairs, Responses } from './normalize.js';

export interface ResolvedRidge {
  ridge: number;
  source: RidgeSource;
  prior: PriorShape;
  /** With the standardized shape: per-axis scales s (M = τ·diag(s²) + Σ λ v vᵀ). */
  scale?: Float64Array;
}

/** Pairs the prior scale is averaged over, at most: a strided sample of a big pool is as good. */
const SCALE_SAMPLE = 65_536;

export async function resolveRidge(
  ridge: number | 'auto',
  prior: PriorChoice,
  responses: Responses,
  pool: Int32Array,
  past: LabeledPairs,
  backend: Backend,
  signal?: AbortSignal,
): Promise<ResolvedRidge> {
  const { features, d } = responses;
  const source: RidgeSource = ridge === 'auto' ? 'evidence' : 'fixed';
  if (past.labels && past.labels.length > 0) {
    if (ridge !== 'auto' && prior === 'isotropic') return { ridge, source, prior };
    const fit = await trainLinearHeadOn(backend, { features, dim: d, pairs: past.pairs, labels: past.labels, ridge, prior, signal });
    return { ridge: fit.ridge, source, prior: fit.prior, scale: fit.priorScale };
  }
  const shape = prior === 'auto' ? ZERO_LABEL_SHAPE : prior;
  const sample = stridedSample(pool, SCALE_SAMPLE);
  const scale = shape === 'standardized' ? axisScales(features, d, sample) : undefined;
  if (ridge !== 'auto') return { ridge, source, prior: shape, scale };
  // τ₀ of the shape's features: mean ‖v / s‖² (= d when standardized on this very sample).
  return { ridge: priorScaleRidge(features, d, sample, scale), source: 'prior-scale', prior: shape, scale };
}

function stridedSample(pairs: Int32Array, most: number): Int32Array {
  const m = pairs.length / 2;
  if (m <= most) return pairs;
  const out = new Int32Array(2 * most);
  for (let t = 0; t < most; t++) {
    const p = Math.floor((t * m) / most);
    out[2 * t] = pairs[2 * p]!;
    out[2 * t + 1] = pairs[2 * p + 1]!;
  }
  return out;
}
