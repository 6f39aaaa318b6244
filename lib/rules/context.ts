/** What every selection rule receives (validated and normalized) and returns. */
import type { Backend, PickProgress } from '../backends/interface.js';
import type { LabeledPairs, Responses } from '../problem/normalize.js';

export interface RuleContext {
  responses: Responses;
  /** Last-layer weights w (length d). */
  head: Float64Array;
  /** r_i = wᵀφ_i. */
  rewards: Float64Array;
  /** Candidate pairs, i < j interleaved. */
  pool: Int32Array;
  /** λ_p for each candidate under the current head. */
  lambdas: Float64Array;
  past: LabeledPairs;
  /** λ for each past pair. */
  pastLambdas: Float64Array;
  ridge: number;
  k: number;
  seed: number;
  backend: Backend;
  lazy: boolean;
  samples: number;
  signal?: AbortSignal;
  /** Picks made so far, from the rules that pick one at a time (greedy-dopt, batchbald). */
  onPicks?: PickProgress;
}

export interface RuleResult {
  /** Pool positions of the picks, in pick order. */
  positions: Int32Array;
  /** What each pick was ranked by. */
  scores: Float64Array;
  /** v_pᵀ M_t⁻¹ v_p at pick time, when the rule tracked it (greedy rules); lets the caller skip re-evaluation. */
  quadratic?: Float64Array;
  /** log det of the starting matrix the quadratic forms refer to. */
  startLogDet?: number;
}
