/** Every (rule, seed) campaign of a comparison, run one after another (each is single-threaded;
 * the kernels underneath use the machine's cores). */
import type { Method } from '../types.js';
import type { Progress } from '../report/progress.js';
import { runCampaign, type CampaignOptions, type CampaignResult } from './campaign.js';

export interface ComparisonOptions extends Omit<CampaignOptions, 'method' | 'seed' | 'onRound'> {
  methods: readonly Method[];
  seeds: readonly number[];
}

export async function runComparison(o: ComparisonOptions, progress?: Progress): Promise<Record<string, CampaignResult[]>> {
  const out: Record<string, CampaignResult[]> = {};
  for (const method of o.methods) {
    out[method] = [];
    for (const seed of o.seeds) {
      const t0 = performance.now();
      const r = await runCampaign({ ...o, method, seed, onRound: (round) => progress?.round(method, seed, round, o.rounds) });
      progress?.campaignDone(method, seed, performance.now() - t0);
      out[method].push(r);
    }
  }
  return out;
}
