export * from './types.js';
export type { Backend, InformationArgs, QuadraticArgs, GreedyArgs, GreedyResult } from './backends/interface.js';
export { CholeskyError } from './backends/interface.js';
export { selectPairs } from './api/select-pairs.js';
export { backendInfo } from './backends/index.js';
export { DEFAULT_RIDGE } from './problem/normalize.js';
export { logDet, cholesky, forwardSolve, projectResponses } from './math/linalg.js';
export { Rng } from './math/rng.js';
export { fisherInformation, pairScores, type PoolScores, type ScoreMethod } from './api/pair-scores.js';
export { readNpy, writeNpy, decodeNpy, encodeNpy, type NpyArray, type NpyDtype, type NpyTypedArray } from './io/npy.js';
export { readLabeledPairs, writeJsonl, formatJsonl } from './io/jsonl.js';
export { InputFileError } from './io/errors.js';
export { trainLinearHead, type LinearRunOptions, type LinearTrainOptions, type LinearTrainResult } from './train/linear.js';
export { Mlp, trainLinearHeadAsync } from './api/train.js';

