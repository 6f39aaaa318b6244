/** The two shapes of data a campaign runs on. */

/** Prompts with a fixed number of responses each and a golden reward per response (synthetic
 * default, or an embedding dump). Response r of prompt p is row p·responses + r. */
export interface PromptDataset {
  kind: 'prompts';
  name: string;
  features: Float32Array | Float64Array;
  dim: number;
  prompts: number;
  responses: number;
  /** Golden reward per response (length prompts·responses). */
  golden: Float64Array;
}

/** Human-labeled pairs: pair p is rows 2p (preferred) and 2p + 1. No golden reward exists, so the
 * pool is these pairs and the metric is held-out pair accuracy. */
export interface PairDataset {
  kind: 'pairs';
  name: string;
  features: Float32Array | Float64Array;
  dim: number;
  pairs: number;
}

export type Dataset = PromptDataset | PairDataset;
