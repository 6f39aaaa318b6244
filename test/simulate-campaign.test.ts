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
        for (const v of r.metrics.spearman!) expect(v).toBeGreaterThanOrEqual(-1);
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

  const hh = HH_RESPONSES;
  it('runs a short campaign on the real HH-RLHF pairs (held-out accuracy)', async () => {
    const data = loadPairFile(hh);
    const r = await runCampaign({ ...base, data, method: 'dopt', rounds: 2, perRound: 20, pool: { kind: 'within', units: 200 } });
    expect(r.budgets).toEqual([20, 40]);
    expect(Object.keys(r.metrics)).toEqual(['accuracy']);
    for (const v of r.metrics.accuracy!) expect(v).toBeGreaterThan(0.4);
  });
});
