import { HH_RESPONSES } from './helpers/shared-data.js';
import { describe, expect, it } from 'vitest';
import { runCampaign, type CampaignOptions } from '../lib/simulate/campaign.js';
import { syntheticDataset } from '../lib/datasets/synthetic.js';
import { loadPairFile } from '../lib/datasets/files.js';
import { selectPairs } from '../lib/api/select-pairs.js';
import { METHODS } from '../lib/types.js';

const small = syntheticDataset({ prompts: 80, responses: 6, dim: 8 });
const base: CampaignOptions = {
  data: small,
  method: 'random',
  seed: 3,
  rounds: 3,
  perRound: 8,
  pool: { kind: 'within', units: 20 },
  model: 'linear',
  ridge: 1,
  beta: 1,
  testFraction: 0.25,
  select: selectPairs,
};

describe('runCampaign', () => {
  it('runs every rule on every pool kind and reports each budget', async () => {
    for (const method of METHODS) {
      for (const kind of ['within', 'cross', 'all'] as const) {
        const r = await runCampaign({ ...base, method, pool: { kind, units: 20 } });
        expect(r.budgets).toEqual([8, 16, 24]);
        expect(Object.keys(r.metrics)).toEqual(['spearman', 'bon@5', 'bon@6']);
        for (const v of r.metrics.spearman!) expect(Number.isFinite(v) && Math.abs(v) <= 1).toBe(true);
      }
    }
  });

  it('is reproducible bit-for-bit for a fixed seed and backend, linear and MLP', async () => {
    for (const model of ['linear', 'mlp'] as const) {
      const opts: CampaignOptions = { ...base, method: 'past-greedy-dopt', model, mlp: { width: 8, epochs: 3 } };
      const a = await runCampaign(opts);
      const b = await runCampaign(opts);
      expect(a.metrics).toEqual(b.metrics);
      const c = await runCampaign({ ...opts, seed: 4 });
      expect(c.metrics).not.toEqual(a.metrics);
    }
  });

  // What the campaign is for: labels teach the model. On a world where labels are sharp (β = 5),
  // held-out Spearman after four rounds beats the first round's, for a small and a large ridge
  // alike, so the claim does not hinge on the ridge's default.
  it.each([0.1, 100])('held-out Spearman improves with labels on an easy world (ridge %s)', async (ridge) => {
    for (const method of ['random', 'greedy-dopt'] as const) {
      const r = await runCampaign({ ...base, method, ridge, beta: 5, rounds: 4, perRound: 16 });
      const s = r.metrics.spearman!;
      expect(s[3]!).toBeGreaterThan(s[0]! + 0.05);
      expect(s[3]!).toBeGreaterThan(0.6);
    }
  });

  it('the greedy D-optimal design has a larger log det than random picks from the same pool', async () => {
    const head = new Float64Array(small.dim).fill(0.2);
    const common = { features: small.features, dim: small.dim, shape: [small.prompts, small.responses, small.dim] as const, head, pool: 'within' as const, k: 30, seed: 7 };
    for (const ridge of [undefined, 0.1, 100]) {
      const greedy = await selectPairs({ ...common, ridge, method: 'greedy-dopt' });
      const random = await selectPairs({ ...common, ridge, method: 'random' });
      expect(greedy.poolSize).toBe(random.poolSize);
      expect(greedy.logDet).toBeGreaterThan(random.logDet);
    }
  });

  const hh = HH_RESPONSES;
  it('runs a short campaign on the real HH-RLHF pairs (held-out accuracy)', async () => {
    const data = loadPairFile(hh);
    const r = await runCampaign({ ...base, data, method: 'dopt', rounds: 2, perRound: 20, pool: { kind: 'within', units: 200 } });
    expect(r.budgets).toEqual([20, 40]);
    expect(Object.keys(r.metrics)).toEqual(['accuracy']);
    // Held-out pairs of real preferences: the trained head must beat a coin on them.
    for (const v of r.metrics.accuracy!) expect(v).toBeGreaterThan(0.5);
  });
});
