// Summarizes scripts/ridge-campaigns.sh's unseen-world runs: per world, β and rule, the final
// Spearman with --ridge auto and its paired difference (same seeds) to each fixed τ. HH-RLHF rows
// (runs hh, hh-rauto-iso, hh-rTAU; β = the human labels; metric: held-out accuracy) when present.
// Usage: node scripts/ridge-worlds-table.mjs OUT_DIR
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const out = process.argv[2];
const T975 = [12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228, 2.201, 2.179, 2.16, 2.145, 2.131, 2.12, 2.11, 2.101, 2.093];
// auto-iso: ridge 'auto' with the prior's shape forced isotropic (the evidence chooses τ only).
const fixed = ['auto-iso', '0.1', '1', '10', '100'];
const label = (t) => (t === 'auto-iso' ? 'auto(isotropic)' : `τ=${t}`);
const read = (name) => {
  const f = join(out, name, 'report.json');
  return existsSync(f) ? JSON.parse(readFileSync(f, 'utf8')) : undefined;
};
const paired = (a, b) => {
  const d = a.map((x, i) => x - b[i]);
  const n = d.length;
  const mean = d.reduce((s, x) => s + x, 0) / n;
  const sd = Math.sqrt(d.reduce((s, x) => s + (x - mean) ** 2, 0) / (n - 1));
  const h = (T975[n - 2] ?? 1.96) * sd / Math.sqrt(n);
  return `${mean >= 0 ? '+' : ''}${mean.toFixed(3)} ± ${h.toFixed(3)}`;
};
console.log(`| world | β | rule | auto: final (τ, std. prior) | ${fixed.map((t) => `auto − ${label(t)}`).join(' | ')} |`);
console.log(`|---|---|---|---|${fixed.map(() => '---').join('|')}|`);
const runs = [];
for (const world of ['clustered', 'anisotropic', 'unitnorm', 'heldout']) {
  for (const beta of ['1', '4']) runs.push({ world, beta, name: (t) => `world-${world}-b${beta}-r${t}` });
}
runs.push({ world: 'HH-RLHF', beta: 'human', name: (t) => (t === 'auto' ? 'hh' : `hh-r${t}`) });
for (const { world, beta, name } of runs) {
  const auto = read(name('auto'));
  if (!auto) continue;
  const metric = auto.target.metric;
  for (const rule of Object.keys(auto.rules)) {
    const a = auto.rules[rule];
    const cells = fixed.map((t) => {
      const r = read(name(t))?.rules[rule];
      return r ? paired(a.finalBySeed, r.finalBySeed) : 'n/a';
    });
    const share = a.standardized ? `, ${Math.round(100 * a.standardized.at(-1))} %` : '';
    console.log(`| ${world} | ${beta} | ${rule} | ${a[metric].mean.at(-1).toFixed(3)} (${Number(a.ridge.at(-1).toPrecision(3))}${share}) | ${cells.join(' | ')} |`);
  }
}
