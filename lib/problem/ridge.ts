/**
 * The ridge τ of a selection: a number the caller fixed, or 'auto' (the default): the Laplace
 * evidence's choice on the labeled past pairs when there are labels (the τ a head fitted with
 * trainLinearHead({ ridge: 'auto' }) on the same labels has, so head and M are one posterior), and
 * before any label the scale-aware prior τ₀ = mean ‖v‖² over the candidate pool (the prior then
 * gives candidate margins a spread of about 1, whatever the units of φ).
 */
import type { Backend } from '../backends/interface.js';
import { priorScaleRidge } from '../train/evidence.js';
import { trainLinearHeadOn } from '../train/linear.js';
import { axisScale, divideAxes, ZERO_LABEL_PRIOR, type PriorChoice, type PriorShape } from '../train/prior-shape.js';
import type { RidgeSource } from '../types.js';
import type { LabeledPairs, Responses } from './normalize.js';
import { implicitPairsAt, type ImplicitPool } from './implicit-pool.js';

export interface ResolvedRidge {
  ridge: number;
  source: RidgeSource;
  /** The prior's shape τ goes with (train/prior-shape.ts): chosen by the evidence with 'auto'. */
  prior: PriorShape;
  /** s of the standardized shape: the rules then work on φ/s (problem/prior.ts). */
  axisScale?: Float64Array;
}

/** Pairs the prior scale is averaged over, at most: a strided sample of a big pool is as good. */
const SCALE_SAMPLE = 65_536;

export async function resolveRidge(
  ridge: number | 'auto',
  prior: PriorChoice,
  given: Float64Array | undefined,
  responses: Responses,
  pool: Int32Array | ImplicitPool,
  past: LabeledPairs,
  backend: Backend,
  signal?: AbortSignal,
): Promise<ResolvedRidge> {
  const { features, d } = responses;
  const scaleOf = (shape: PriorShape): Float64Array | undefined => (shape === 'standardized' ? (given ?? axisScale(features, d)) : undefined);
  if (ridge !== 'auto') return { ridge, source: 'fixed', prior: prior as PriorShape, axisScale: scaleOf(prior as PriorShape) };
  if (past.labels && past.labels.length > 0) {
    const fit = await trainLinearHeadOn(backend, { features, dim: d, pairs: past.pairs, labels: past.labels, ridge: 'auto', prior, axisScale: given, signal });
    return { ridge: fit.ridge, source: 'evidence', prior: fit.prior, axisScale: fit.axisScale };
  }
  const shape = prior === 'auto' ? ZERO_LABEL_PRIOR : prior;
  const s = scaleOf(shape);
  const sample = stridedSample(pool, SCALE_SAMPLE);
  return { ridge: priorScaleRidge(s ? divideAxes(features, s) : features, d, sample), source: 'prior-scale', prior: shape, axisScale: s };
}

/** The pairs at positions ⌊t·m/most⌋, t < most (all of them when m ≤ most). */
function stridedSample(pairs: Int32Array | ImplicitPool, most: number): Int32Array {
  if (!(pairs instanceof Int32Array)) {
    const m = pairs.size;
    const positions = new Float64Array(Math.min(m, most));
    for (let t = 0; t < positions.length; t++) positions[t] = m <= most ? t : Math.floor((t * m) / most);
    return implicitPairsAt(pairs, positions);
  }
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
