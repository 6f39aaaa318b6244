// Child process for test/memory-estimate.test.ts: one greedy-dopt selection over an exhaustive
// cross pool, materialized or implicit (lib/problem/implicit-pool.ts); prints the estimate and the
// peak RSS growth over the process's footprint before it.
// usage: node selection-rss.mjs <dist dir> <backend> <zero|friendly> <n> <d> <k> [materialized|implicit]
const [dist, backend, kind, nS, dS, kS, mode = 'materialized'] = process.argv.slice(2);
process.env.ACTIVE_RM_IMPLICIT_POOL_MIN = mode === 'implicit' ? '0' : String(Number.MAX_SAFE_INTEGER);
const { selectPairs, Rng } = await import(`${dist}/index.js`);
const { estimateImplicitSelectionBytes, estimateSelectionBytes } = await import(`${dist}/problem/memory.js`);
const n = Number(nS);
const d = Number(dS);
const k = Number(kS);
const rng = new Rng(7);
const features = new Float32Array(n * d);
for (let e = 0; e < features.length; e++) features[e] = rng.normal() / Math.sqrt(d);
const head = new Float64Array(d);
if (kind === 'friendly') for (let c = 0; c < d; c++) head[c] = rng.normal() * 2;
const promptIds = new Int32Array(n);
for (let i = 0; i < n; i++) promptIds[i] = Math.floor(i / 10);
// Warm the code paths on a tiny problem so that lazily loaded modules count in the baseline.
await selectPairs({ features: features.subarray(0, 40 * d), dim: d, promptIds: promptIds.subarray(0, 40), head, pool: 'cross', method: 'greedy-dopt', k: 4, backend });
const before = process.memoryUsage().rss;
const sel = await selectPairs({ features, dim: d, promptIds, head, pool: 'cross', method: 'greedy-dopt', k, backend });
const peak = process.resourceUsage().maxRSS * 1024;
const size = { method: 'greedy-dopt', n, d, m: sel.poolSize, k, samples: 32 };
const estimate = mode === 'implicit' ? estimateImplicitSelectionBytes(size) : estimateSelectionBytes(size);
console.log(JSON.stringify({ before, peak, growth: peak - before, estimate, m: sel.poolSize }));
