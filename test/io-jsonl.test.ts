import { mkdtempSync, rmSync, writeFileSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { checkPairRange, readLabeledPairs, writeJsonl } from '../lib/io/jsonl.js';

const tmp = mkdtempSync(join(tmpdir(), 'active-rm-jsonl-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));
const file = (name: string, text: string): string => {
  const path = join(tmp, name);
  writeFileSync(path, text);
  return path;
};

describe('readLabeledPairs', () => {
  it('reads labeled pairs, orders i < j and flips the label with the order', () => {
    const path = file('ok.jsonl', '{"i":0,"j":3,"label":1}\n\n{"i":5,"j":2,"label":1}\n{"i":4,"j":1,"label":false}\n');
    const { pairs, labels } = readLabeledPairs(path);
    expect(Array.from(pairs)).toEqual([0, 3, 2, 5, 1, 4]);
    expect(Array.from(labels!)).toEqual([1, 0, 1]);
  });

  it('accepts unlabeled pairs', () => {
    const got = readLabeledPairs(file('nolabel.jsonl', '{"i":0,"j":1}\n{"i":2,"j":3}'));
    expect(got.labels).toBeUndefined();
    expect(Array.from(got.pairs)).toEqual([0, 1, 2, 3]);
  });

  it.each([
    ['{"i":0,"j":1}\n{"i":0,"j":\n', /bad\.jsonl: line 2: not valid JSON/],
    ['{"i":0,"j":1}\n[1,2]\n', /line 2: expected an object/],
    ['{"j":1}\n', /line 1: missing "i"/],
    ['{"i":-1,"j":1}\n', /line 1: "i" must be a non-negative integer/],
    ['{"i":1.5,"j":1}\n', /line 1: "i" must be a non-negative integer/],
    ['{"i":2,"j":2}\n', /line 1: i and j are both 2/],
    ['{"i":0,"j":1,"label":2}\n', /line 1: "label" must be 1/],
    ['{"i":0,"j":1,"label":1}\n{"i":0,"j":2}\n', /1 of 2 lines have a "label"/],
  ])('refuses %j with a line-numbered message', (text, pattern) => {
    expect(() => readLabeledPairs(file('bad.jsonl', text))).toThrowError(pattern);
  });

  it('names a missing file', () => {
    expect(() => readLabeledPairs(join(tmp, 'none.jsonl'))).toThrowError(/none\.jsonl: no such file/);
  });

  it('checks indices against the number of responses', () => {
    expect(() => checkPairRange(Int32Array.from([0, 1, 2, 9]), 5, 'p.jsonl')).toThrowError(/pair 2 uses response 9.*0\.\.4/);
    expect(() => checkPairRange(Int32Array.from([0, 4]), 5, 'p.jsonl')).not.toThrow();
  });
});

it('writeJsonl writes one object a line', () => {
  const path = join(tmp, 'out.jsonl');
  writeJsonl(path, [{ i: 0, j: 1 }, { i: 2, j: 3 }]);
  expect(readFileSync(path, 'utf8')).toBe('{"i":0,"j":1}\n{"i":2,"j":3}\n');
});
