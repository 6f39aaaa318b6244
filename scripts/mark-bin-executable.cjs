// tsc writes dist/cli/main.js without the executable bit. npm sets it when the package is installed
// as a dependency, but in a clone `npx active-rm` runs the package's own bin in place and the shell
// refuses it ("Permission denied"), so the build sets it for every bin in package.json.
const { chmodSync, readFileSync } = require('node:fs');
const { join } = require('node:path');
const root = join(__dirname, '..');
const { bin } = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
for (const file of Object.values(typeof bin === 'string' ? { main: bin } : bin)) chmodSync(join(root, file), 0o755);
