// npm run test:native: the whole suite on the native backend (ACTIVE_RM_BACKEND=native makes a
// missing addon a failure inside the tests). Where no addon loads at all (no compiler at install
// and no prebuild for this platform) the suite is skipped with a banner saying why, unless
// ACTIVE_RM_REQUIRE_NATIVE=1 (set by .ci/run) makes that an error.
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(join(root, 'package.json'));

function loadError() {
  try {
    const override = process.env.ACTIVE_RM_NATIVE_ADDON;
    if (override) require(override);
    else require('node-gyp-build')(root);
    return undefined;
  } catch (err) {
    return (err instanceof Error ? err.message : String(err)).split('\n')[0];
  }
}

const error = loadError();
if (error) {
  const required = process.env.ACTIVE_RM_REQUIRE_NATIVE === '1';
  const line = '='.repeat(100);
  console.error(`${line}\nactive-rm: NATIVE TEST SUITE ${required ? 'REQUIRED BUT' : 'SKIPPED:'} no native addon loads (${error}).\n` +
    (required
      ? 'ACTIVE_RM_REQUIRE_NATIVE=1 makes this an error: build it with npm run build:native (needs cmake and a C++17 compiler).'
      : 'Only the TypeScript backend was tested. Build the addon (npm run build:native: cmake and a C++17 compiler) to run it;\nACTIVE_RM_REQUIRE_NATIVE=1 turns this skip into a failure.') +
    `\n${line}`);
  process.exit(required ? 1 : 0);
}

const vitest = join(root, 'node_modules', 'vitest', 'vitest.mjs');
const env = { ...process.env, ACTIVE_RM_BACKEND: 'native' };
// engine-async measures event-loop gaps: alone, so other files' kernels do not share its cores.
for (const args of [['run', '--exclude', 'test/engine-async.test.ts', ...process.argv.slice(2)], ['run', 'test/engine-async.test.ts']]) {
  const run = spawnSync(process.execPath, [vitest, ...args], { cwd: root, env, stdio: 'inherit' });
  if (run.status !== 0) process.exit(run.status ?? 1);
}
