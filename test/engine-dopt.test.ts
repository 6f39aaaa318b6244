import { describe, expect, it } from 'vitest';
import { fisherInformation, logDet, pairScores, selectPairs } from '../lib/index.js';
import { bruteInformation, bruteLogDet, lambdaOf, pairsOf, relErr, smallProblem } from './helpers/problems.js';

describe('dopt (the paper rule)', () => {
  it('scores equal the finite-difference gradient of log det M in each candidate weight', async () => {
    const p = smallProblem(21, 5, 3, 4, 2);
    const ridge = 0.2;
    const s = await pairScores({ features: p.features, dim: p.d, promptIds: p.promptIds, head: p.head, pool: 'all', method: 'dopt', ridge });
    const pool = pairsOf(s.pairs);
    const weights = pool.map(([i, j]) => lambdaOf(p, i!, j!));
    const h = 1e-6;
    for (let t = 0; t < pool.length; t += 7) {
      const up = weights.slice();
      const down = weights.slice();
      up[t]! *= 1 + h;
      down[t]! *= 1 - h;
      // d log det / d log weight_t = weight_t · vᵀM⁻¹v = score_t
      const fd = (bruteLogDet(bruteInformation(p, pool, up, ridge)) - bruteLogDet(bruteInformation(p, pool, down, ridge))) / (2 * h);
      expect(relErr(s.scores[t]!, fd)).toBeLessThan(1e-5);
    }
  });

  it('scores sum to d as the ridge goes to 0', async () => {
    const p = smallProblem(22, 6, 4, 5, 1);
    const s = await pairScores({ features: p.features, dim: p.d, promptIds: p.promptIds, head: p.head, pool: 'within', method: 'dopt', ridge: 1e-9 });
    const total = s.scores.reduce((a, b) => a + b, 0);
    expect(total).toBeCloseTo(p.d, 5);
  });

  it('xtx uses λ ≡ 1 and picks the top-k of vᵀ(τI + Σ v vᵀ)⁻¹v', async () => {
    const p = smallProblem(23, 4, 4, 3, 3);
    const s = await pairScores({ features: p.features, dim: p.d, promptIds: p.promptIds, head: p.head, pool: 'within', method: 'xtx', ridge: 1 });
    expect(Array.from(s.lambdas).every((l) => l === 1)).toBe(true);
    const sel = await selectPairs({ features: p.features, dim: p.d, promptIds: p.promptIds, head: p.head, pool: 'within', method: 'xtx', k: 3, ridge: 1 });
    const order = Array.from(s.scores.keys()).sort((a, b) => s.scores[b]! - s.scores[a]! || a - b).slice(0, 3);
    expect(pairsOf(sel.pairs)).toEqual(order.map((t) => [s.pairs[2 * t], s.pairs[2 * t + 1]]));
  });

  it('past-dopt adds the labeled pairs to M, which lowers the scores of similar candidates', async () => {
    const p = smallProblem(24, 5, 3, 4, 1);
    const base = { features: p.features, dim: p.d, promptIds: p.promptIds, head: p.head, pool: 'within' as const, ridge: 0.1 };
    const past = { pairs: new Int32Array([0, 3, 1, 4]), labels: [1, 0] };
    const plain = await pairScores({ ...base, method: 'dopt', past });
    const aware = await pairScores({ ...base, method: 'past-dopt', past });
    expect(Array.from(aware.pairs)).toEqual(Array.from(plain.pairs));
    for (let t = 0; t < plain.scores.length; t++) expect(aware.scores[t]!).toBeLessThanOrEqual(plain.scores[t]! + 1e-12);
  });

  it('reports log det of τI + the selection with gains in pick order', async () => {
    const p = smallProblem(25, 6, 3, 4, 1);
    const ridge = 0.7;
    const sel = await selectPairs({ features: p.features, dim: p.d, promptIds: p.promptIds, head: p.head, pool: 'all', method: 'dopt', k: 6, ridge });
    const chosen = pairsOf(sel.pairs);
    const fresh = bruteLogDet(bruteInformation(p, chosen, chosen.map(([a, b]) => lambdaOf(p, a!, b!)), ridge));
    expect(relErr(sel.logDet, fresh)).toBeLessThan(1e-9);
    const firstOnly = bruteLogDet(bruteInformation(p, chosen.slice(0, 1), [lambdaOf(p, chosen[0]![0]!, chosen[0]![1]!)], ridge));
    expect(sel.gains[0]!).toBeCloseTo(firstOnly - p.d * Math.log(ridge), 10);
  });
});

describe('building blocks', () => {
  it('fisherInformation equals Σ λ v vᵀ built pair by pair', () => {
    const p = smallProblem(26, 3, 4, 5, 2);
    const pairs = [0, 1, 2, 7, 5, 11, 3, 9];
    const M = fisherInformation(p.features, pairs, p.head);
    const brute = bruteInformation(p, pairsOf(Int32Array.from(pairs)), pairsOf(Int32Array.from(pairs)).map(([i, j]) => lambdaOf(p, i!, j!)), 0);
    for (let a = 0; a < p.d; a++) for (let b = 0; b < p.d; b++) expect(M[a * p.d + b]!).toBeCloseTo(brute[a]![b]!, 12);
  });

  it('logDet matches elimination and refuses a matrix that is not positive definite', () => {
    const M = new Float64Array([4, 2, 0.5, 2, 3, 0.1, 0.5, 0.1, 2]);
    expect(logDet(M, 3)).toBeCloseTo(bruteLogDet([[4, 2, 0.5], [2, 3, 0.1], [0.5, 0.1, 2]]), 12);
    expect(() => logDet(new Float64Array([1, 2, 2, 1]), 2)).toThrow(/not positive definite/);
  });

  it('float32 and float64 features give the same picks', async () => {
    const p = smallProblem(27, 20, 5, 6, 2);
    const opts = { dim: p.d, promptIds: p.promptIds, head: p.head, pool: 'within' as const, method: 'greedy-dopt' as const, k: 20 };
    const f32 = Float32Array.from(p.features);
    const a = await selectPairs({ ...opts, features: f32 });
    const b = await selectPairs({ ...opts, features: Float64Array.from(f32) });
    expect(Array.from(a.pairs)).toEqual(Array.from(b.pairs));
  });
});
