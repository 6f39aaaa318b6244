/**
 * The footprint estimate behind `maxMemoryBytes` against what a selection really takes: a child
 * process runs one exhaustive-cross greedy selection (2M pairs materialized, or 18M pairs
 * enumerated implicitly) and reports its peak RSS growth.
 * Needs the compiled package (dist/, built by `npm test`) and, for the native half, the addon.
 */
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { loadNativeBackend } from '../lib/backends/native.js';

const root = fileURLToPath(new URL('..', import.meta.url));
const dist = `${root}dist`;
const built = existsSync(`${dist}/index.js`);
if (!built) console.warn('memory-estimate tests skipped: dist/ is not built (run `npm run build`)');
const nativeLoads = Boolean(loadNativeBackend().backend) || process.env.ACTIVE_RM_BACKEND === 'native';
if (!nativeLoads) console.warn('memory-estimate native case skipped: the addon did not load');

function measure(backend: string, kind: string, mode: 'materialized' | 'implicit'): { growth: number; estimate: number } {
  const n = mode === 'implicit' ? '6000' : '2000';
  const out = execFileSync(process.execPath, [`${root}test/helpers/selection-rss.mjs`, dist, backend, kind, n, '64', '128', mode], { encoding: 'utf8' });
  return JSON.parse(out.trim().split('\n').pop()!) as { growth: number; estimate: number };
}

describe('maxMemoryBytes estimate', () => {
  for (const backend of ['js', 'native']) {
    for (const kind of ['zero', 'friendly']) {
      it.skipIf(!built || (backend === 'native' && !nativeLoads))(`is within 25 % of the measured peak RSS growth (${backend}, ${kind} head, 2M pairs)`, () => {
        const { growth, estimate } = measure(backend, kind, 'materialized');
        expect(Math.abs(estimate - growth) / growth).toBeLessThan(0.25);
      }, 120_000);
      it.skipIf(!built || (backend === 'native' && !nativeLoads))(`is within 25 % of the measured peak RSS growth (${backend}, ${kind} head, 18M pairs implicit)`, () => {
        const { growth, estimate } = measure(backend, kind, 'implicit');
        expect(Math.abs(estimate - growth) / growth).toBeLessThan(0.25);
      }, 120_000);
    }
  }
});
