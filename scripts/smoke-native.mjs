// Loads an installed active-rm, requires its native backend, and checks that a greedy D-optimal
// selection on it picks exactly what the TypeScript reference picks. Run by the platform checks
// (scripts/check-debian11.sh, check-wine.sh, check-qemu-arm64.sh) with the target's own Node:
//   node smoke-native.mjs <folder holding node_modules/active-rm>
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import { join } from 'node:path';

const where = process.argv[2] ?? process.cwd();
const entry = createRequire(join(where, 'package.json')).resolve('active-rm');
// Windows needs a file: URL for an absolute path.
const { selectPairs, backendInfo } = await import(pathToFileURL(entry).href);

const info = backendInfo();
console.log(`smoke: node ${process.version} ${process.platform}-${process.arch}; native: ${JSON.stringify(info.native)}`);
console.log(`smoke: cuda: ${info.cuda.reason ?? 'available'}`);
if (!info.native.available) throw new Error(`the native backend did not load: ${info.native.reason}`);
if (!/prebuilds/.test(info.native.path ?? '')) throw new Error(`native loaded from ${info.native.path}, not from prebuilds/`);

const prompts = 40, responses = 6, dim = 24;
const features = new Float64Array(prompts * responses * dim);
let s = 12345;
for (let i = 0; i < features.length; i++) {
  s = (Math.imul(s, 1103515245) + 12345) >>> 0;
  features[i] = s / 2 ** 32 - 0.5;
}
const options = { features, dim, shape: [prompts, responses, dim], head: new Float64Array(dim), pool: 'within', method: 'greedy-dopt', k: 30, seed: 0 };
const native = await selectPairs({ ...options, backend: 'native' });
const js = await selectPairs({ ...options, backend: 'js' });
const same = native.pairs.length === js.pairs.length && native.pairs.every((v, i) => v === js.pairs[i]);
if (!same) throw new Error(`native picks differ from the TypeScript reference:\n native ${native.pairs}\n js     ${js.pairs}`);
console.log(`smoke: ok, ${native.pairs.length / 2} pairs picked on native = TypeScript (first ${Array.from(native.pairs.slice(0, 6))})`);
