#!/usr/bin/env bash
# CommonJS and ESM consumers of a fresh `npm pack` tarball (installed with --ignore-scripts):
# require('active-rm') and require('active-rm/simulate') run a selection and load the linux-x64
# prebuild (when the tarball has one), import does the same, and TypeScript typechecks a .cts and a .mts consumer against the
# shipped declarations (NodeNext resolution: the require and import conditions each).
#   scripts/check-commonjs.sh
set -euo pipefail
cd "$(dirname "$0")/.."
repo=$PWD
work=$(mktemp -d /tmp/active-rm-commonjs.XXXXXX)
trap 'rm -rf "$work"' EXIT
bash scripts/install-packed.sh "$work"
cd "$work"

cat >consumer.cjs <<'JS'
const assert = require('node:assert');
const { selectPairs, backendInfo } = require('active-rm');
const simulate = require('active-rm/simulate');
assert.equal(typeof simulate.runCampaign, 'function');
const dim = 4, features = Float64Array.from({ length: 3 * 2 * dim }, (_, i) => Math.sin(i));
selectPairs({ features, dim, shape: [3, 2, dim], head: new Float64Array(dim), pool: 'all', method: 'greedy-dopt', k: 2, backend: 'js' }).then((sel) => {
  assert.equal(sel.pairs.length, 4);
  const native = backendInfo().native;
  console.log(`check-commonjs: require: ${sel.pairs.length / 2} pairs; native ${native.available ? 'loaded from ' + native.path : 'not loaded: ' + native.reason}`);
  const prebuilt = require('node:fs').existsSync(require('node:path').join(__dirname, 'node_modules/active-rm/prebuilds/linux-x64'));
  if (prebuilt && process.platform === 'linux' && process.arch === 'x64') assert.match(native.path ?? '', /prebuilds\/linux-x64/);
});
JS
cat >consumer.mjs <<'JS'
import assert from 'node:assert';
import { selectPairs } from 'active-rm';
import { runCampaign } from 'active-rm/simulate';
assert.equal(typeof runCampaign, 'function');
const dim = 4, features = Float64Array.from({ length: 3 * 2 * dim }, (_, i) => Math.sin(i));
const sel = await selectPairs({ features, dim, shape: [3, 2, dim], head: new Float64Array(dim), pool: 'all', method: 'greedy-dopt', k: 2 });
assert.equal(sel.pairs.length, 4);
console.log('check-commonjs: import: ok');
JS
cat >types.cts <<'TS'
import activeRm = require('active-rm');
import simulate = require('active-rm/simulate');
const select: typeof activeRm.selectPairs = activeRm.selectPairs;
const campaign: typeof simulate.runCampaign = simulate.runCampaign;
export = [select, campaign];
TS
cat >types.mts <<'TS'
import { selectPairs, type SelectOptions } from 'active-rm';
import { runCampaign } from 'active-rm/simulate';
export const used: [typeof selectPairs, typeof runCampaign, SelectOptions | undefined] = [selectPairs, runCampaign, undefined];
TS
node consumer.cjs
node consumer.mjs
"$repo/node_modules/.bin/tsc" --noEmit --strict --module nodenext --moduleResolution nodenext --skipLibCheck \
  --typeRoots "$repo/node_modules/@types" --types node types.cts types.mts
echo "check-commonjs: types for require and import: ok"
