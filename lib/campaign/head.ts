/**
 * The one place where a campaign fits its reward head and chooses τ. It goes through the public
 * API (trainLinearHead with the library's default ridge, then selectPairs with the head's τ), so
 * head and design share one posterior and a better default τ reaches campaigns untouched.
 */
import { DEFAULT_RIDGE } from '../problem/normalize.js';
import { trainLinearHead } from '../train/linear.js';
import type { PriorShape } from '../types.js';

export interface CampaignHead {
  head: Float64Array;
  /** τ of the head fit, handed to selectPairs; before any label, the library's default (resolved there). */
  ridge: number | 'auto';
  /** The prior shape of the head fit and its s (undefined before any label: selectPairs' default). */
  prior?: PriorShape;
  axisScale?: Float64Array;
  note: string;
}

export function fitCampaignHead(features: Float64Array, dim: number, pairs: Int32Array, labels: Uint8Array): CampaignHead {
  if (labels.length === 0) {
    return { head: new Float64Array(dim), ridge: DEFAULT_RIDGE, note: 'no labels yet: zero head, λ = 1/4 for every pair' };
  }
  const fit = trainLinearHead({ features, dim, pairs, labels, ridge: DEFAULT_RIDGE });
  const how = DEFAULT_RIDGE === 'auto' ? 'chosen by the Laplace evidence' : 'fixed';
  return {
    head: fit.w,
    ridge: fit.ridge,
    prior: fit.prior,
    axisScale: fit.axisScale,
    note: `head fitted on ${labels.length} labels (τ = ${fit.ridge.toPrecision(3)}, ${fit.prior} prior, ${how}; ${fit.iterations} Newton steps${fit.converged ? '' : ', not converged'})`,
  };
}
