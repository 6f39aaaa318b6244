// Paired final-metric difference between two simulate reports run on the same seeds (same split,
// pools and label coins per seed): A − B per rule, mean and 95 % t-interval over seeds.
// Usage: node scripts/paired-reports.mjs DIR_A DIR_B
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

const T975 = [12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228, 2.201, 2.179, 2.16, 2.145, 2.131, 2.12, 2.11, 2.101, 2.093];
const [a, b] = process.argv.slice(2).map((dir) => JSON.parse(readFileSync(join(dir, 'report.json'), 'utf8')));
if (JSON.stringify(a.config.seeds) !== JSON.stringify(b.config.seeds)) throw new Error('the two reports ran different seeds; pairing needs the same');
console.log(`| rule | A final | B final | A − B [95%] |`);
console.log('|---|---|---|---|');
for (const rule of Object.keys(a.rules)) {
  const ra = a.rules[rule];
  const rb = b.rules[rule];
  if (!rb) continue;
  const d = ra.finalBySeed.map((x, i) => x - rb.finalBySeed[i]);
  const n = d.length;
  const mean = d.reduce((s, x) => s + x, 0) / n;
  const sd = Math.sqrt(d.reduce((s, x) => s + (x - mean) ** 2, 0) / (n - 1));
  const h = ((T975[n - 2] ?? 1.96) * sd) / Math.sqrt(n);
  const f = (x) => `${x >= 0 ? '+' : ''}${x.toFixed(3)}`;
  console.log(`| ${rule} | ${ra.spearman.mean.at(-1).toFixed(3)} | ${rb.spearman.mean.at(-1).toFixed(3)} | ${f(mean)} [${f(mean - h)}, ${f(mean + h)}] |`);
}
