/**
 * Revealed labels. For a golden reward: Bernoulli(σ(β(r*_i − r*_j))), with the uniform draw keyed by
 * (seed, i, j) so a pair gets the same label whichever rule picks it. For labeled pairs: the human
 * label (row 2p was preferred over 2p + 1).
 */
import { Rng } from '../math/rng.js';
import type { Dataset } from '../datasets/types.js';
import { sigmoid } from '../train/logistic.js';
import { mixSeed, PURPOSE } from './seeds.js';

export function revealLabel(data: Dataset, i: number, j: number, beta: number, seed: number): number {
  if (data.kind === 'pairs') {
    if (Math.floor(i / 2) !== Math.floor(j / 2)) throw new RangeError(`pair (${i}, ${j}) has no human label: it is not one of the file's pairs`);
    return i % 2 === 0 ? 1 : 0;
  }
  const a = Math.min(i, j);
  const b = Math.max(i, j);
  const u = new Rng(mixSeed(seed, PURPOSE.label, a, b)).next();
  const pa = sigmoid(beta * (data.golden[a]! - data.golden[b]!));
  const aWins = u < pa ? 1 : 0;
  return i === a ? aWins : 1 - aWins;
}
