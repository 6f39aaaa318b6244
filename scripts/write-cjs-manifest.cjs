// dist/cjs/package.json marks the CommonJS build (tsconfig.cjs.json) as CommonJS inside a
// "type": "module" package, so Node and TypeScript read its .js and .d.ts files as CommonJS.
const { writeFileSync } = require('node:fs');
const { join } = require('node:path');
writeFileSync(join(__dirname, '..', 'dist', 'cjs', 'package.json'), '{ "type": "commonjs" }\n');
