import { describe, expect, it } from 'vitest';
import { backendInfo, selectPairs } from '../lib/index.js';
import { smallProblem } from './helpers/problems.js';

// Timing assertions: npm test runs this file on its own, after the rest of the suite, so that other
// test files do not compete for the two cores.
// A within-prompt problem big enough that one greedy selection takes a good fraction of a second
// even on the native backend; the tests repeat it to cover several seconds.
const p = smallProblem(51, 800, 10, 64, 1);
const opts = { features: Float32Array.from(p.features), dim: p.d, promptIds: p.promptIds, head: p.head, pool: 'within' as const, method: 'greedy-dopt' as const, k: 300 };

describe(`async behaviour (${backendInfo().active} backend)`, () => {
  it('keeps the event loop responsive: no timer gap over 50 ms during seconds of selection', async () => {
    // A gap counts the CPU time this process spent in it, not only the wall time: on a shared CI
    // machine the OS may take the core away for tens of milliseconds, which says nothing about
    // whether the selection yields. A loop that never yields burns its whole gap on the CPU.
    const cpuMs = (): number => {
      const u = process.cpuUsage();
      return (u.user + u.system) / 1000;
    };
    let lastWall = performance.now();
    let lastCpu = cpuMs();
    let worst = 0;
    let worstWall = 0;
    const timer = setInterval(() => {
      const wall = performance.now();
      const cpu = cpuMs();
      worst = Math.max(worst, Math.min(wall - lastWall, cpu - lastCpu));
      worstWall = Math.max(worstWall, wall - lastWall);
      lastWall = wall;
      lastCpu = cpu;
    }, 2);
    const start = performance.now();
    let runs = 0;
    try {
      while (performance.now() - start < 2500) {
        lastWall = performance.now();
        lastCpu = cpuMs();
        await selectPairs(opts);
        runs++;
      }
    } finally {
      clearInterval(timer);
    }
    expect(runs).toBeGreaterThan(0);
    expect(worst, `worst gap ${worst.toFixed(1)} ms busy (${worstWall.toFixed(1)} ms wall)`).toBeLessThan(50);
  });

  it('AbortSignal cancels a running selection within 100 ms', async () => {
    const controller = new AbortController();
    const started = performance.now();
    const run = selectPairs({ ...opts, k: 20000, pool: 'all', crossSample: 400_000, signal: controller.signal });
    await new Promise((r) => setTimeout(r, 150));
    const abortedAt = performance.now();
    controller.abort();
    const err = await run.then(() => null, (e: unknown) => e as Error);
    const latency = performance.now() - abortedAt;
    expect(err?.name).toBe('AbortError');
    expect(abortedAt - started).toBeGreaterThan(100);
    expect(latency).toBeLessThan(100);
  });
});

describe('cancelling a campaign', () => {
  it('AbortSignal stops a running campaign within 100 ms', async () => {
    const { runCampaign } = await import('../lib/simulate/campaign.js');
    const { syntheticDataset } = await import('../lib/datasets/synthetic.js');
    const data = syntheticDataset({ prompts: 400, responses: 10, dim: 16 });
    const controller = new AbortController();
    const run = runCampaign({
      data, method: 'greedy-dopt', seed: 1, rounds: 10_000, perRound: 10, pool: { kind: 'within', units: 200 },
      model: 'linear', ridge: 1, beta: 1, testFraction: 0.2, select: selectPairs, signal: controller.signal,
    });
    await new Promise((r) => setTimeout(r, 300));
    const abortedAt = performance.now();
    controller.abort();
    const err = await run.then(() => null, (e: unknown) => e as Error);
    expect(err?.name).toBe('AbortError');
    expect(performance.now() - abortedAt).toBeLessThan(100);
  });
});
