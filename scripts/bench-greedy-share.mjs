// Greedy only, through a backend's greedy() on the exhaustive cross pool of the same synthetic cases as
// bench-greedy-distributions.mjs: seconds, peak RSS, and the share of plain greedy's downdates done.
// usage: node scripts/bench-greedy-share.mjs <absolute dist dir> <case> <n> <d> <k> [native|js]
import { performance } from 'node:perf_hooks';
const [dist, kase, nS, dS, kS, backendName = 'native'] = process.argv.slice(2);
const { Rng } = await import(dist + '/index.js');
const { loadNativeBackend } = await import(dist + '/backends/native.js');
const { jsBackend } = await import(dist + '/backends/js.js');
const backend = backendName === 'js' ? jsBackend : loadNativeBackend().backend;
const n = +nS, d = +dS, k = +kS, per = 10, s = 1 / Math.sqrt(d);
const rng = new Rng(12345);
const f = new Float32Array(n * d); const head = new Float64Array(d); let ridge = 1;
if (kase === 'friendly' || kase === 'zero' || kase === 'hugehead') {
  for (let e = 0; e < f.length; e++) f[e] = rng.normal() * s;
  const hs = kase === 'friendly' ? 2 : kase === 'hugehead' ? 40 : 0;
  for (let c = 0; c < d; c++) head[c] = rng.normal() * hs;
} else if (kase === 'clustered') {
  for (let p = 0; p < n / per; p++) { const ctr = Array.from({ length: d }, () => rng.normal() * 15 * s);
    for (let r = 0; r < per; r++) for (let c = 0; c < d; c++) f[(p * per + r) * d + c] = ctr[c] + rng.normal() * 3 * s; }
  for (let c = 0; c < d; c++) head[c] = rng.normal() * s; ridge = 1e-3;
} else if (kase === 'powerlaw') {
  const mean = Array.from({ length: d }, () => rng.normal() * 3 * s);
  for (let i = 0; i < n; i++) for (let c = 0; c < d; c++) f[i * d + c] = mean[c] + rng.normal() * 2 / (c + 1);
  for (let c = 0; c < d; c++) head[c] = rng.normal() * s; ridge = 1e-3;
}
const r = new Float64Array(n); for (let i = 0; i < n; i++) { let x = 0; for (let c = 0; c < d; c++) x += f[i * d + c] * head[c]; r[i] = x; }
let m = 0; for (let i = 0; i < n; i++) m += n - (Math.floor(i / per) + 1) * per;
const pairs = new Int32Array(2 * m); const lambdas = new Float64Array(m); let p = 0;
for (let i = 0; i < n; i++) for (let j = (Math.floor(i / per) + 1) * per; j < n; j++) { pairs[2 * p] = i; pairs[2 * p + 1] = j; const sg = 1 / (1 + Math.exp(-(r[i] - r[j]))); lambdas[p++] = sg * (1 - sg); }
const factor = new Float64Array(d * d); for (let c = 0; c < d; c++) factor[c * d + c] = Math.sqrt(ridge);
const t0 = performance.now();
const res = await backend.greedy({ features: f, n, d, factor, pairs, lambdas, k, lazy: true });
const sec = (performance.now() - t0) / 1000;
const plain = (k - 1) * m - ((k - 1) * k) / 2;
let h = 0; for (const x of res.picks) h = (h * 31 + x) >>> 0;
console.log(JSON.stringify({ kase, m, k, backend: backendName, sec: +sec.toFixed(2), rssMB: Math.round(process.resourceUsage().maxRSS / 1024), share: res.downdates === undefined ? null : +(res.downdates / plain).toFixed(3), hash: h }));
