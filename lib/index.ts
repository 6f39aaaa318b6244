export * from './types.js';
export type { Backend, InformationArgs, QuadraticArgs, GreedyArgs, GreedyResult } from './backend.js';
export { CholeskyError } from './backend.js';
export { selectPairs } from './select.js';
export { backendInfo } from './backends/index.js';
export { DEFAULT_RIDGE } from './problem.js';
export { logDet, cholesky, forwardSolve, projectResponses } from './linalg.js';
export { Rng } from './rng.js';
export { fisherInformation, pairScores, type PoolScores, type ScoreMethod } from './scores.js';
