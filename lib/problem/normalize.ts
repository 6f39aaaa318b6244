/** Turns user options into one validated, normalized problem description. */
import { PRIOR_SHAPES, type PriorChoice } from '../train/prior-shape.js';
import { METHODS, type FeatureArray, type Method, type Past, type SelectOptions } from '../types.js';
import {
  describe,
  requireFeatureArray,
  requireFinite,
  requireInteger,
  requirePositive,
  toFloat64,
  toInt32,
} from './validate.js';

/**
 * Default ridge: 'auto', chosen from the data (see ridge.ts): the labels' Laplace evidence once
 * there are labels, the candidate pool's scale before. A fixed τ = 1 ignored the features' units
 * and, on the embedded world's features, let a head fitted on a few labels overfit.
 */
export const DEFAULT_RIDGE = 'auto';
export const DEFAULT_SEED = 0;

export interface Responses {
  features: FeatureArray;
  n: number;
  d: number;
  /** Dense 0-based prompt index per response, when known. */
  promptOf?: Int32Array;
}

export interface LabeledPairs {
  /** i < j, interleaved. */
  pairs: Int32Array;
  /** 1 when the first response of the (normalized) pair was preferred; undefined when unlabeled. */
  labels?: Uint8Array;
}

export function normalizeResponses(o: Pick<SelectOptions, 'features' | 'dim' | 'shape' | 'promptIds'>): Responses {
  const features = requireFeatureArray(o.features, 'features');
  const d = requireInteger(o.dim, 'dim', 1);
  let n: number;
  let promptOf: Int32Array | undefined;
  if (o.shape !== undefined) {
    if (!Array.isArray(o.shape) || o.shape.length !== 3) {
      throw new TypeError(`shape must be [prompts, responsesPerPrompt, dim]; got ${describe(o.shape)}`);
    }
    const prompts = requireInteger(o.shape[0], 'shape[0] (prompts)', 1);
    const per = requireInteger(o.shape[1], 'shape[1] (responses per prompt)', 1);
    if (o.shape[2] !== d) throw new RangeError(`shape[2] (${String(o.shape[2])}) must equal dim (${d})`);
    if (features.length !== prompts * per * d) {
      throw new RangeError(`features has ${features.length} values but shape ${JSON.stringify(o.shape)} needs ${prompts * per * d}`);
    }
    if (o.promptIds !== undefined) throw new TypeError('pass either shape (3-D features) or promptIds (2-D features), not both');
    n = prompts * per;
    promptOf = new Int32Array(n);
    for (let i = 0; i < n; i++) promptOf[i] = Math.floor(i / per);
  } else {
    if (features.length === 0 || features.length % d !== 0) {
      throw new RangeError(`features length (${features.length}) must be a positive multiple of dim (${d}): n×dim row-major`);
    }
    n = features.length / d;
    if (o.promptIds !== undefined) promptOf = densePromptIds(toInt32(o.promptIds, 'promptIds'), n);
  }
  requireFinite(features, 'features', d);
  return { features, n, d, promptOf };
}

/** Maps arbitrary non-negative prompt ids to 0..P−1 in order of first appearance. */
function densePromptIds(ids: Int32Array, n: number): Int32Array {
  if (ids.length !== n) {
    throw new RangeError(`promptIds must have one id per response: length ${ids.length}, but features has ${n} rows`);
  }
  const map = new Map<number, number>();
  const out = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const id = ids[i]!;
    if (id < 0) throw new RangeError(`promptIds must be ≥ 0; got ${id} at index ${i}`);
    let dense = map.get(id);
    if (dense === undefined) {
      dense = map.size;
      map.set(id, dense);
    }
    out[i] = dense;
  }
  return out;
}

export function normalizeHead(head: unknown, d: number): Float64Array {
  if (head === undefined || head === null) {
    throw new TypeError('head (last-layer weights w, length dim) is required; pass zeros when there is no model yet (λ = 1/4)');
  }
  const w = toFloat64(head, 'head');
  if (w.length !== d) throw new RangeError(`head has length ${w.length} but dim is ${d}; pass the last layer's weights for these features`);
  requireFinite(w, 'head');
  return w;
}

export function normalizeMethod(method: unknown): Method {
  if (typeof method !== 'string' || !(METHODS as readonly string[]).includes(method)) {
    throw new TypeError(`method must be one of ${METHODS.join(', ')}; got ${describe(method)}`);
  }
  return method as Method;
}

export function normalizeRidge(ridge: unknown): number | 'auto' {
  if (ridge === undefined || ridge === 'auto') return 'auto';
  if (typeof ridge === 'string') throw new TypeError(`ridge must be a number > 0 or 'auto'; got ${describe(ridge)}`);
  return requirePositive(ridge, 'ridge');
}

/**
 * The prior's shape (train/prior-shape.ts). Default: 'auto' (the evidence chooses) with ridge
 * 'auto'; 'isotropic' with a fixed τ, which keeps a number's meaning as before.
 */
export function normalizePrior(prior: unknown, ridge: number | 'auto'): PriorChoice {
  if (prior === undefined) return ridge === 'auto' ? 'auto' : 'isotropic';
  if (prior !== 'auto' && !(PRIOR_SHAPES as readonly unknown[]).includes(prior)) {
    throw new TypeError(`prior must be 'auto', 'isotropic' or 'standardized'; got ${describe(prior)}`);
  }
  if (prior === 'auto' && ridge !== 'auto') {
    throw new TypeError(`prior 'auto' lets the labels' evidence choose the shape together with τ and needs ridge 'auto' (got ridge ${ridge}); with a fixed ridge give prior 'isotropic' or 'standardized'`);
  }
  return prior as PriorChoice;
}

/** The s of the standardized prior when the caller fixes it (e.g. a head's axisScale); d entries > 0. */
export function normalizeAxisScale(raw: unknown, d: number, prior: PriorChoice): Float64Array | undefined {
  if (raw === undefined) return undefined;
  if (prior === 'isotropic') throw new TypeError("axisScale is the standardized prior's per-axis scale; it has no use with prior 'isotropic' (drop it, or give prior 'standardized' or 'auto')");
  const s = toFloat64(raw, 'axisScale');
  if (s.length !== d) throw new RangeError(`axisScale must have one entry per feature axis (dim = ${d}); got length ${s.length}`);
  for (let k = 0; k < d; k++) if (!(s[k]! > 0 && Number.isFinite(s[k]!))) throw new RangeError(`axisScale[${k}] = ${s[k]}; every axis scale must be a finite number > 0`);
  return s;
}

/** Validates pair indices against n and returns them with i < j. Name is used in messages. */
export function normalizePairs(raw: unknown, n: number, name: string): Int32Array {
  const src = toInt32(raw, name);
  if (src.length % 2 !== 0) throw new RangeError(`${name} must hold i, j interleaved (even length); got length ${src.length}`);
  const out = new Int32Array(src.length);
  for (let p = 0; p < src.length; p += 2) {
    const a = src[p]!;
    const b = src[p + 1]!;
    if (a < 0 || a >= n || b < 0 || b >= n) {
      throw new RangeError(`${name}: pair ${p / 2} = (${a}, ${b}) is out of range; indices must be in [0, ${n})`);
    }
    if (a === b) throw new RangeError(`${name}: pair ${p / 2} = (${a}, ${b}) compares a response with itself; drop it`);
    out[p] = Math.min(a, b);
    out[p + 1] = Math.max(a, b);
  }
  return out;
}

export function normalizePast(past: Past | undefined, n: number): LabeledPairs {
  if (past === undefined) return { pairs: new Int32Array(0) };
  let rawPairs: unknown;
  let rawLabels: unknown;
  if (Array.isArray(past)) {
    const flat = new Array<number>(past.length * 2);
    let labeled = past.length > 0;
    past.forEach((e, t) => {
      if (typeof e !== 'object' || e === null) throw new TypeError(`past[${t}] must be {i, j, label?}; got ${describe(e)}`);
      flat[2 * t] = e.i;
      flat[2 * t + 1] = e.j;
      if (e.label === undefined) labeled = false;
    });
    rawPairs = flat;
    rawLabels = labeled ? past.map((e) => e.label) : undefined;
  } else if (typeof past === 'object' && past !== null && 'pairs' in past) {
    rawPairs = past.pairs;
    rawLabels = past.labels;
  } else {
    throw new TypeError(`past must be {pairs, labels?} or an array of {i, j, label?}; got ${describe(past)}`);
  }
  const src = toInt32(rawPairs, 'past.pairs');
  const pairs = normalizePairs(src, n, 'past.pairs');
  if (rawLabels === undefined) return { pairs };
  const labelsIn = toFloat64(rawLabels, 'past.labels');
  if (labelsIn.length !== pairs.length / 2) {
    throw new RangeError(`past.labels must have one label per pair: ${labelsIn.length} labels for ${pairs.length / 2} pairs`);
  }
  const labels = new Uint8Array(labelsIn.length);
  for (let t = 0; t < labels.length; t++) {
    const l = labelsIn[t]!;
    if (l !== 0 && l !== 1) throw new RangeError(`past.labels must be 0 or 1 (1 = i preferred); got ${l} at index ${t}`);
    // A pair given as (j, i) was flipped to i < j: flip its label with it.
    labels[t] = src[2 * t]! < src[2 * t + 1]! ? l : 1 - l;
  }
  return { pairs, labels };
}
