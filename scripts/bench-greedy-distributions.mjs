// Exhaustive-cross greedy-dopt selection on one synthetic or HH data distribution, end to end through
// selectPairs: prints seconds, peak RSS (MB) and a hash of the picks (equal hashes: equal picks).
// Cases: friendly (random head), zero (no head), clustered (norm ~15, tau 1e-3), powerlaw (shared mean,
// 1/c spectrum, tau 1e-3), hugehead (lambda over many orders), hh / hhhead (/work/shared/data embeddings,
// no head / 10x the mean chosen-rejected difference). n and d are ignored for hh*.
// Used for issue 12's before/after figures; the bench-suite branch's lib/bench/ generators supersede it.
// usage: node scripts/bench-greedy-distributions.mjs <absolute dist dir> <case> <n> <d> <k> <lazy 0|1> [backend] [pool]
import { performance } from 'node:perf_hooks';
const [dist, kase, nS, dS, kS, lazyS, backend = 'native', pool = 'cross'] = process.argv.slice(2);
const { selectPairs, Rng } = await import(dist + '/index.js');
let n = +nS, d = +dS; const k = +kS;
let hh = null;
if (kase.startsWith('hh')) { const { readNpy } = await import(dist + '/index.js'); hh = await readNpy('/work/shared/data/hh-harmless-test.use512.responses.npy'); n = hh.shape[0] * 2; d = 512; }
const rng = new Rng(12345);
const per = hh ? 2 : 10;
const f = new Float32Array(n * d);
const head = new Float64Array(d);
let ridge = 1;
const s = 1 / Math.sqrt(d);
if (kase === 'friendly' || kase === 'zero' || kase === 'hugehead') {
  for (let e = 0; e < f.length; e++) f[e] = rng.normal() * s;
  const hs = kase === 'friendly' ? 2 : kase === 'hugehead' ? 40 : 0;
  for (let c = 0; c < d; c++) head[c] = rng.normal() * hs;
} else if (kase === 'clustered') {
  const P = n / per;
  for (let p = 0; p < P; p++) {
    const ctr = new Float64Array(d);
    for (let c = 0; c < d; c++) ctr[c] = rng.normal() * 15 * s;
    for (let r = 0; r < per; r++) for (let c = 0; c < d; c++) f[(p * per + r) * d + c] = ctr[c] + rng.normal() * 3 * s;
  }
  for (let c = 0; c < d; c++) head[c] = rng.normal() * s;
  ridge = 1e-3;
} else if (kase === 'powerlaw') {
  const mean = new Float64Array(d);
  for (let c = 0; c < d; c++) mean[c] = rng.normal() * 3 * s;
  for (let i = 0; i < n; i++) for (let c = 0; c < d; c++) f[i * d + c] = mean[c] + rng.normal() * 2 / (c + 1);
  for (let c = 0; c < d; c++) head[c] = rng.normal() * s;
  ridge = 1e-3;
} else if (hh) {
  f.set(hh.data);
  if (kase === 'hhhead') { // a crude fitted head: 10 × the mean chosen − rejected difference
    for (let i = 0; i < n; i += 2) for (let c = 0; c < d; c++) head[c] += (f[i * d + c] - f[(i + 1) * d + c]) * 10 / (n / 2);
  }
} else throw new Error('case');
const promptIds = new Int32Array(n);
for (let i = 0; i < n; i++) promptIds[i] = Math.floor(i / per);
const t0 = performance.now();
const res = await selectPairs({ features: f, dim: d, promptIds, head, pool, method: 'greedy-dopt', k, ridge, lazy: lazyS === '1', backend });
const t1 = performance.now();
const picks = res.pairs;
let hash = 0; for (let e = 0; e < picks.length; e++) hash = (hash * 31 + picks[e]) >>> 0;
console.log(JSON.stringify({ kase, n, d, k, lazy: lazyS, backend, sec: +((t1 - t0) / 1000).toFixed(2), rssMB: Math.round(process.resourceUsage().maxRSS / 1024), hash, logDet: res.logDet, timings: res.timings }));
