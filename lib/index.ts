export * from './types.js';
export type { Backend, InformationArgs, QuadraticArgs, GreedyArgs, GreedyResult } from './backend.js';
export { CholeskyError } from './backend.js';
