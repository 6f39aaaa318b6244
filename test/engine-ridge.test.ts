import { describe, expect, it } from 'vitest';
import { selectPairs } from '../lib/api/select-pairs.js';
import { backendInfo } from '../lib/backends/index.js';
import { trainLinearHead } from '../lib/train/linear.js';
import { METHODS, type Method } from '../lib/types.js';
import { smallProblem } from './helpers/problems.js';

const p = smallProblem(7, 12, 4, 6);
const scaled = (c: number) => p.features.map((x) => c * x);
// Unlabeled past pairs: the past-aware rules see them, the ridge stays the pool's scale.
const pastPairs = [0, 1, 4, 6, 9, 10];

// coreset is left out: its sensitivities use the paper's absolute parameter-ball radius R = 1,
// not τ, so its picks depend on the units of φ by design (Huggins et al.'s bound).
const UNIT_FREE = METHODS.filter((m) => m !== 'coreset');

describe(`ridge 'auto' (${backendInfo().active} backend)`, () => {
  it.each(UNIT_FREE as readonly Method[])('%s: multiplying φ by 10 gives the same picks before any label (τ scales by 100)', async (method) => {
    const base = { dim: p.d, promptIds: p.promptIds, head: new Float64Array(p.d), pool: 'all' as const, method, k: 8, seed: 3, past: { pairs: pastPairs } };
    const a = await selectPairs({ ...base, features: p.features });
    const b = await selectPairs({ ...base, features: scaled(10) });
    expect(a.ridgeSource).toBe('prior-scale');
    expect(b.ridge / a.ridge).toBeCloseTo(100, 9);
    expect(Array.from(b.pairs)).toEqual(Array.from(a.pairs));
  });

  it('with labeled past pairs, uses the τ that trainLinearHead({ ridge: "auto" }) chooses on them, and picks are unit-free', async () => {
    const pairs = new Int32Array([0, 1, 4, 6, 9, 10, 12, 15, 20, 22, 30, 33, 40, 41]);
    const labels = [1, 0, 1, 1, 0, 1, 0];
    const fit = trainLinearHead({ features: p.features, dim: p.d, pairs, labels, ridge: 'auto' });
    const picks: number[][] = [];
    for (const c of [1, 10]) {
      const head = fit.w.map((x) => x / c);
      const sel = await selectPairs({ features: scaled(c), dim: p.d, promptIds: p.promptIds, head, pool: 'all', method: 'past-greedy-dopt', k: 6, past: { pairs, labels } });
      expect(sel.ridgeSource).toBe('evidence');
      expect(sel.prior).toBe(fit.prior);
      // τ of the isotropic prior carries φ's units²; that of the standardized one has none.
      const units = fit.prior === 'isotropic' ? c * c : 1;
      expect(sel.ridge / (fit.ridge * units)).toBeCloseTo(1, 6);
      picks.push(Array.from(sel.pairs));
    }
    expect(picks[1]).toEqual(picks[0]);
  });

  it('a number keeps the fixed ridge and is reported as such', async () => {
    const sel = await selectPairs({ features: p.features, dim: p.d, promptIds: p.promptIds, head: p.head, pool: 'within', method: 'greedy-dopt', k: 4, ridge: 2.5 });
    expect(sel.ridge).toBe(2.5);
    expect(sel.ridgeSource).toBe('fixed');
    const again = await selectPairs({ features: p.features, dim: p.d, promptIds: p.promptIds, head: p.head, pool: 'within', method: 'greedy-dopt', k: 4, ridge: sel.ridge });
    expect(Array.from(again.pairs)).toEqual(Array.from(sel.pairs));
  });

  it("rejects a ridge string other than 'auto' with a message naming the fix", async () => {
    await expect(selectPairs({ features: p.features, dim: p.d, promptIds: p.promptIds, head: p.head, pool: 'within', method: 'greedy-dopt', k: 4, ridge: 'big' as never })).rejects.toThrow(/ridge must be a number > 0 or 'auto'/);
  });
});
