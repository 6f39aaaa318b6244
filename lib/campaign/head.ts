/**
 * The one place where a campaign fits its reward head and chooses τ. It goes through the public
 * API (trainLinearHead, and selectPairs with no explicit ridge), so a better default τ in the
 * library reaches campaigns without touching them.
 */
import { DEFAULT_RIDGE } from '../problem/normalize.js';
import { trainLinearHead } from '../train/linear.js';

export interface CampaignHead {
  head: Float64Array;
  /** τ used for the head fit and for the information matrix. */
  ridge: number;
  note: string;
}

export function fitCampaignHead(features: Float64Array, dim: number, pairs: Int32Array, labels: Uint8Array): CampaignHead {
  const ridge = DEFAULT_RIDGE;
  if (labels.length === 0) {
    return { head: new Float64Array(dim), ridge, note: 'no labels yet: zero head, λ = 1/4 for every pair' };
  }
  const fit = trainLinearHead({ features, dim, pairs, labels, ridge });
  return { head: fit.w, ridge, note: `head fitted on ${labels.length} labels (τ = ${ridge}, ${fit.iterations} Newton steps${fit.converged ? '' : ', not converged'})` };
}
