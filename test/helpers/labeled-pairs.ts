/** Random labeled pairs for the training tests: m pairs of distinct responses, either orientation. */
import type { Rng } from '../../lib/math/rng.js';

/**
 * Draws i, then j ≠ i, then calls label(i, j) (which may draw from rng too), pair by pair, so a
 * caller's later draws stay where they were.
 */
export function randomLabeledPairs(rng: Rng, n: number, m: number, label: (i: number, j: number) => number): { pairs: Int32Array; labels: Float64Array } {
  const pairs = new Int32Array(2 * m);
  const labels = new Float64Array(m);
  for (let p = 0; p < m; p++) {
    const i = rng.int(n);
    let j = rng.int(n - 1);
    if (j >= i) j++;
    // Either order: labeled pairs in a campaign are not sorted.
    pairs[2 * p] = i;
    pairs[2 * p + 1] = j;
    labels[p] = label(i, j);
  }
  return { pairs, labels };
}
