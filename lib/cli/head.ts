/**
 * The head w when --head is not given: fitted on --past labels (ridge logistic Bradley–Terry with
 * the same τ as the information matrix, so head and M describe one Laplace posterior; with ridge
 * 'auto' the labels' evidence chooses that τ), or zeros,
 * which make every λ = 1/4 (the OLS design) until there is a model.
 */
import { trainLinearHead } from '../train/linear.js';
import type { FeatureArray, PriorChoice, PriorShape } from '../types.js';

export interface HeadChoice {
  head: FeatureArray;
  /** What was done, for a note on stderr; undefined when the user gave the head. */
  note?: string;
  /** The τ of the fitted head (chosen by the evidence with ridge 'auto'); undefined for the zero head. */
  ridge?: number;
  /** Its prior's shape (chosen with τ by the evidence with prior 'auto') and, if standardized, s. */
  prior?: PriorShape;
  axisScale?: Float64Array;
}

const fmtTau = (tau: number): string => Number(tau.toPrecision(4)).toString();

export function defaultHead(
  features: FeatureArray,
  d: number,
  ridge: number | 'auto',
  prior: PriorChoice | undefined,
  past?: { pairs: Int32Array; labels?: Uint8Array },
): HeadChoice {
  if (past?.labels && past.labels.length > 0) {
    const fit = trainLinearHead({ features, dim: d, pairs: past.pairs, labels: past.labels, ridge, prior });
    const status = fit.converged ? 'converged' : `not converged, ‖∇‖ = ${fit.gradientNorm.toExponential(2)}`;
    return {
      head: fit.w,
      ridge: fit.ridge,
      prior: fit.prior,
      axisScale: fit.axisScale,
      note: `no --head: fitted a ridge logistic Bradley–Terry head on the ${past.labels.length} labeled --past pairs (τ = ${fmtTau(fit.ridge)}${ridge === 'auto' ? ', chosen by the Laplace evidence of the labels' : ''}, ${fit.prior} prior; ${fit.iterations} Newton steps, ${status})`,
    };
  }
  return {
    head: new Float64Array(d),
    note: 'no --head and no labeled --past pairs: using a zero head, so λ = 1/4 for every pair (the OLS design); pass --head w.npy once a reward model exists',
  };
}
