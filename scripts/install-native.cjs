// The package's install script. Says in one line which native binary loads, or why it compiles
// one, or why it falls back to the TypeScript backend; never fails the install and never prints a
// stack trace. ACTIVE_RM_BUILD_FROM_SOURCE=1 skips the prebuilt binaries and compiles.
const { spawnSync } = require('node:child_process');
const { join, relative } = require('node:path');

const root = join(__dirname, '..');
const say = (message) => console.log(`active-rm: ${message}`);
const target = `${process.platform}-${process.arch}${process.platform === 'linux' ? ' (glibc)' : ''}`;

function loadable() {
  try {
    const nodeGypBuild = require('node-gyp-build');
    const path = nodeGypBuild.resolve(root);
    require(path);
    return { path: relative(root, path) };
  } catch (err) {
    return { error: String(err instanceof Error ? err.message : err).split('\n')[0] };
  }
}

const fromSource = process.env.ACTIVE_RM_BUILD_FROM_SOURCE === '1';
const found = fromSource ? { error: 'ACTIVE_RM_BUILD_FROM_SOURCE=1' } : loadable();
if (found.path) {
  say(`using the native addon ${found.path}${found.path.startsWith('prebuilds') ? ' (prebuilt)' : ''}`);
  process.exit(0);
}

const why = fromSource ? 'ACTIVE_RM_BUILD_FROM_SOURCE=1' : /No native build was found/.test(found.error) ? `no prebuilt binary for ${target}` : `the prebuilt binary does not load (${found.error})`;
say(`${why}; compiling the native addon from source (cmake-js: needs cmake and a C++17 compiler)…`);
const cmakeJs = require.resolve('cmake-js/bin/cmake-js');
const compile = spawnSync(process.execPath, [cmakeJs, 'compile'], { cwd: root, stdio: 'inherit' });
const built = compile.status === 0 ? loadable() : undefined;
if (built?.path) {
  say(`compiled and using the native addon ${built.path}`);
} else {
  const reason = compile.status !== 0 ? 'the compile failed (see above; cmake and a C++17 compiler are needed)' : `the compiled addon does not load (${built?.error})`;
  say(`${reason}; the TypeScript backend will be used (same results, slower). \`npx active-rm info\` shows the backends.`);
}
