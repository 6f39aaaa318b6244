import { describe, expect, it } from 'vitest';
import { cholesky, fisherInformation, forwardSolve, logDet, selectPairs } from '../lib/index.js';
import { relErr, smallProblem } from './helpers/problems.js';

describe('numerics over long selections', () => {
  it('after 10,000 rank-1 updates, log det and scores match a fresh factorization within 1e-6', async () => {
    const p = smallProblem(41, 40, 5, 8, 1);
    const ridge = 1e-3;
    const k = 10_000;
    const sel = await selectPairs({ features: p.features, dim: p.d, promptIds: p.promptIds, head: p.head, pool: 'all', method: 'greedy-dopt', k, ridge });
    const design = (count: number): Float64Array => {
      const M = fisherInformation(p.features, sel.pairs.subarray(0, 2 * count), p.head);
      for (let x = 0; x < p.d; x++) M[x * p.d + x] += ridge;
      return M;
    };
    expect(relErr(sel.logDet, logDet(design(k), p.d))).toBeLessThan(1e-6);
    for (const t of [1000, 5000, k - 1]) {
      // Fresh λ vᵀ M_t⁻¹ v for pick t, from a new Cholesky factor of M_t.
      const { factor } = cholesky(design(t), p.d);
      const i = sel.pairs[2 * t]!;
      const j = sel.pairs[2 * t + 1]!;
      const v = new Float64Array(p.d);
      for (let x = 0; x < p.d; x++) v[x] = p.features[i * p.d + x]! - p.features[j * p.d + x]!;
      const lambda = fisherInformation(p.features, [i, j], p.head)[0]! / (v[0]! * v[0]!);
      forwardSolve(factor, p.d, v);
      const q = v.reduce((a, b) => a + b * b, 0);
      expect(relErr(sel.scores[t]!, lambda * q)).toBeLessThan(1e-6);
    }
  });

  it('is deterministic: the same seed gives identical results, run after run', async () => {
    const p = smallProblem(42, 50, 6, 6, 1);
    for (const method of ['greedy-dopt', 'random', 'coreset', 'batchbald'] as const) {
      const opts = { features: p.features, dim: p.d, promptIds: p.promptIds, head: p.head, pool: 'all' as const, crossSample: 2000, method, k: 15, seed: 7, samples: 8 };
      const a = await selectPairs(opts);
      const b = await selectPairs(opts);
      expect(Array.from(a.pairs)).toEqual(Array.from(b.pairs));
      expect(Array.from(a.scores)).toEqual(Array.from(b.scores));
      expect(a.logDet).toBe(b.logDet);
    }
  });

  it('16 simultaneous selections give the same answers as sequential ones', async () => {
    const p = smallProblem(43, 200, 6, 16, 1);
    const methods = ['greedy-dopt', 'dopt', 'past-greedy-dopt', 'entropy'] as const;
    const opts = (t: number) => ({
      features: p.features, dim: p.d, promptIds: p.promptIds, head: p.head, pool: 'within' as const, method: methods[t % 4]!, k: 40 + t, seed: t,
      past: { pairs: new Int32Array([0, 1, 6, 7]), labels: [1, 0] },
    });
    const sequential: Awaited<ReturnType<typeof selectPairs>>[] = [];
    for (let t = 0; t < 16; t++) sequential.push(await selectPairs(opts(t)));
    const concurrent = await Promise.all(Array.from({ length: 16 }, (_, t) => selectPairs(opts(t))));
    concurrent.forEach((c, t) => {
      expect(Array.from(c.pairs)).toEqual(Array.from(sequential[t]!.pairs));
      expect(c.logDet).toBe(sequential[t]!.logDet);
    });
  });
});
