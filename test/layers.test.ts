/**
 * The layering lib/ keeps: rules and training depend on the Backend contract (backends/interface.ts)
 * and on nothing else under backends/, so a kernel is reached through the backend a caller chose.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const lib = resolve(__dirname, '..', 'lib');
const contract = join(lib, 'backends', 'interface.ts');

function imports(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  const found: string[] = [];
  for (const m of text.matchAll(/(?:import|export)\s[^'"]*?from\s+['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)/g)) found.push((m[1] ?? m[2])!);
  return found;
}

describe('lib/ layers', () => {
  it.each(['rules', 'train'])('lib/%s imports nothing from lib/backends/ but interface.ts', (folder) => {
    const dir = join(lib, folder);
    const files = readdirSync(dir).filter((f) => f.endsWith('.ts'));
    expect(files.length).toBeGreaterThan(0);
    const offending: string[] = [];
    for (const f of files) {
      for (const spec of imports(join(dir, f))) {
        if (!spec.startsWith('.')) continue;
        const target = resolve(dir, spec).replace(/\.js$/, '.ts');
        if (target.startsWith(join(lib, 'backends')) && target !== contract) offending.push(`${folder}/${f} → ${relative(lib, target)}`);
      }
    }
    expect(offending).toEqual([]);
  });

  it('the check sees a forbidden import (it would fail on one)', () => {
    expect(imports(join(lib, 'api', 'prepare.ts'))).toContain('../backends/index.js');
  });
});
