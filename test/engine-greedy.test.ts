import { describe, expect, it } from 'vitest';
import { selectPairs } from '../lib/index.js';
import { bruteInformation, bruteLogDet, lambdaOf, pairsOf, relErr, smallProblem } from './helpers/problems.js';

/** Greedy by exhaustive re-evaluation of log det(M + λ v vᵀ) for every candidate at every step. */
function bruteGreedy(p: ReturnType<typeof smallProblem>, pool: number[][], k: number, ridge: number, start: number[][] = []) {
  const chosen: number[][] = [...start];
  const picks: number[] = [];
  for (let t = 0; t < k; t++) {
    let best = -1;
    let bestVal = -Infinity;
    pool.forEach(([i, j], idx) => {
      if (picks.includes(idx)) return;
      const design = [...chosen, [i!, j!]];
      const val = bruteLogDet(bruteInformation(p, design, design.map(([a, b]) => lambdaOf(p, a!, b!)), ridge));
      if (val > bestVal + 1e-12) {
        bestVal = val;
        best = idx;
      }
    });
    picks.push(best);
    chosen.push(pool[best]!);
  }
  return { picks, logDet: bruteLogDet(bruteInformation(p, chosen, chosen.map(([a, b]) => lambdaOf(p, a!, b!)), ridge)) };
}

describe('greedy-dopt', () => {
  for (const seed of [1, 2, 3]) {
    it(`matches exhaustive log-det re-evaluation at every step (seed ${seed})`, async () => {
      const p = smallProblem(seed, 4, 3, 5, 2);
      const ridge = 0.5;
      const sel = await selectPairs({ features: p.features, dim: p.d, promptIds: p.promptIds, head: p.head, pool: 'all', method: 'greedy-dopt', k: 8, ridge });
      const poolAll: number[][] = [];
      for (let i = 0; i < p.n; i++) for (let j = i + 1; j < p.n; j++) poolAll.push([i, j]);
      const brute = bruteGreedy(p, poolAll, 8, ridge);
      expect(pairsOf(sel.pairs)).toEqual(brute.picks.map((idx) => poolAll[idx]));
      expect(relErr(sel.logDet, brute.logDet)).toBeLessThan(1e-6);
      // Gains add up to log det M(S) − log det τI.
      const sum = sel.gains.reduce((a, b) => a + b, 0);
      expect(relErr(sum + p.d * Math.log(ridge), sel.logDet)).toBeLessThan(1e-9);
    });
  }

  it('lazy greedy returns exactly the plain greedy picks and log det', async () => {
    const p = smallProblem(7, 30, 6, 8, 3);
    const base = { features: p.features, dim: p.d, promptIds: p.promptIds, head: p.head, pool: 'all' as const, method: 'greedy-dopt' as const, k: 60, ridge: 0.1 };
    const lazy = await selectPairs({ ...base, lazy: true });
    const plain = await selectPairs({ ...base, lazy: false });
    expect(Array.from(lazy.pairs)).toEqual(Array.from(plain.pairs));
    expect(lazy.logDet).toBe(plain.logDet);
    expect(Array.from(lazy.scores)).toEqual(Array.from(plain.scores));
  });

  it('past-greedy-dopt starts from the labeled pairs and never proposes them', async () => {
    const p = smallProblem(4, 3, 4, 4, 1);
    const past = [[0, 1], [4, 5], [0, 6]];
    const ridge = 0.3;
    const sel = await selectPairs({
      features: p.features, dim: p.d, promptIds: p.promptIds, head: p.head, pool: 'all', method: 'past-greedy-dopt', k: 5, ridge,
      past: past.map(([i, j]) => ({ i: i!, j: j!, label: 1 })),
    });
    const pool: number[][] = [];
    for (let i = 0; i < p.n; i++) for (let j = i + 1; j < p.n; j++) if (!past.some(([a, b]) => a === i && b === j)) pool.push([i, j]);
    const brute = bruteGreedy(p, pool, 5, ridge, past);
    expect(pairsOf(sel.pairs)).toEqual(brute.picks.map((idx) => pool[idx]));
    expect(relErr(sel.logDet, brute.logDet)).toBeLessThan(1e-6);
  });

  it('reports log det equal to a fresh factorization after many picks', async () => {
    const p = smallProblem(11, 40, 5, 6, 2);
    const sel = await selectPairs({ features: p.features, dim: p.d, promptIds: p.promptIds, head: p.head, pool: 'within', method: 'greedy-dopt', k: 300, ridge: 0.01 });
    const chosen = pairsOf(sel.pairs);
    const fresh = bruteLogDet(bruteInformation(p, chosen, chosen.map(([a, b]) => lambdaOf(p, a!, b!)), 0.01));
    expect(relErr(sel.logDet, fresh)).toBeLessThan(1e-6);
  });

  it('avoids redundant pairs: a duplicate direction gains less than a fresh one', async () => {
    // Responses 0..5 in R²: pairs (0,1) and (2,3) have the same difference vector; (4,5) is orthogonal and a bit shorter.
    const features = new Float64Array([0, 0, 2, 0, 5, 5, 7, 5, 9, 0, 9, 1.8]);
    const sel = await selectPairs({ features, dim: 2, head: [0, 0], pool: [0, 1, 2, 3, 4, 5], method: 'greedy-dopt', k: 2, ridge: 0.01 });
    expect(pairsOf(sel.pairs)).toEqual([[0, 1], [4, 5]]);
  });
});
