import { describe, expect, it } from 'vitest';
import { mkdtempSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeNpy } from '../lib/io/npy.js';
import { loadDataset, loadEmbeddingDir, loadPairFile } from '../lib/datasets/files.js';
import { syntheticDataset } from '../lib/datasets/synthetic.js';
import { runCampaign } from '../lib/simulate/campaign.js';
import { selectPairs } from '../lib/api/select-pairs.js';

describe('datasets', () => {
  it('the synthetic default is deterministic, clustered, with unit-variance golden rewards', () => {
    const a = syntheticDataset({ prompts: 50 });
    const b = syntheticDataset({ prompts: 50 });
    expect(a.features).toEqual(b.features);
    expect(a.golden).toEqual(b.golden);
    const mean = a.golden.reduce((x, y) => x + y, 0) / a.golden.length;
    const v = a.golden.reduce((x, y) => x + (y - mean) ** 2, 0) / a.golden.length;
    expect(mean).toBeCloseTo(0, 10);
    expect(v).toBeCloseTo(1, 10);
  });

  it('reads an embedding dump directory and runs a campaign on it', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'arm-ds-'));
    const syn = syntheticDataset({ prompts: 40, responses: 5, dim: 6 });
    writeNpy(join(dir, 'embeddings.npy'), syn.features, [40, 5, 6]);
    writeNpy(join(dir, 'rewards.npy'), Float32Array.from(syn.golden), [40, 5, 1]);
    const data = loadEmbeddingDir(dir);
    expect([data.prompts, data.responses, data.dim]).toEqual([40, 5, 6]);
    expect((await loadDataset(dir)).kind).toBe('prompts');
    const r = await runCampaign({
      data, method: 'greedy-dopt', seed: 1, rounds: 2, perRound: 4, pool: { kind: 'all', units: 10 },
      model: 'linear', ridge: 1, beta: 2, testFraction: 0.25, select: selectPairs,
    });
    expect(r.budgets).toEqual([4, 8]);
    expect(Object.keys(r.metrics)).toEqual(['spearman', 'bon@5']);
  });

  it('names the file and the expected layout on bad input', () => {
    const dir = mkdtempSync(join(tmpdir(), 'arm-ds-'));
    mkdirSync(join(dir, 'd'));
    writeNpy(join(dir, 'd', 'embeddings.npy'), new Float32Array(12), [2, 3, 2]);
    writeNpy(join(dir, 'd', 'rewards.npy'), new Float32Array(4), [2, 2]);
    expect(() => loadEmbeddingDir(join(dir, 'd'))).toThrow(/rewards\.npy.*expected \[2, 3\]/);
    expect(() => loadEmbeddingDir(dir)).toThrow(/embeddings\.npy.*missing/);
    writeNpy(join(dir, 'p.npy'), new Float32Array(24), [4, 3, 2]);
    expect(() => loadPairFile(join(dir, 'p.npy'))).toThrow(/\[pairs, 2, d\]/);
  });
});
