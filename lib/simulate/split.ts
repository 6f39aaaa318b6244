/** Seeded train/test split of prompts (or labeled pairs): the units a campaign samples from. */
import { Rng } from '../math/rng.js';
import { mixSeed, PURPOSE } from './seeds.js';

export interface Split {
  train: Int32Array;
  test: Int32Array;
}

export function splitUnits(units: number, testFraction: number, seed: number): Split {
  if (!(testFraction > 0 && testFraction < 1)) throw new RangeError(`testFraction must be in (0, 1) (got ${testFraction})`);
  const nTest = Math.max(1, Math.min(units - 1, Math.round(units * testFraction)));
  const order = Int32Array.from({ length: units }, (_, i) => i);
  const rng = new Rng(mixSeed(seed, PURPOSE.split));
  for (let t = units - 1; t > 0; t--) {
    const s = rng.int(t + 1);
    const tmp = order[t]!;
    order[t] = order[s]!;
    order[s] = tmp;
  }
  return { test: order.slice(0, nTest).sort(), train: order.slice(nTest).sort() };
}

/** k distinct elements of `from`, uniformly, in a seeded order. */
export function sampleWithout(from: ArrayLike<number>, k: number, rng: Rng): number[] {
  const a = Array.from(from);
  const take = Math.min(k, a.length);
  for (let t = 0; t < take; t++) {
    const s = t + rng.int(a.length - t);
    [a[t], a[s]] = [a[s]!, a[t]!];
  }
  return a.slice(0, take);
}
