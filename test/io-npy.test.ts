import { HH_RESPONSES } from './helpers/shared-data.js';
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execFileSync } from 'node:child_process';
import { afterAll, describe, expect, it } from 'vitest';
import { decodeNpy, encodeNpy, readNpy, writeNpy, type NpyTypedArray } from '../lib/io/npy.js';
import { halfToFloat } from '../lib/io/float16.js';
import { InputFileError } from '../lib/io/errors.js';

const FIXTURES = join(import.meta.dirname, 'fixtures');
const SHARED = HH_RESPONSES;
const expected: Record<string, { dtype: string; shape: number[]; values: number[] }> = JSON.parse(
  readFileSync(join(FIXTURES, 'expected.json'), 'utf8'),
);
const tmp = mkdtempSync(join(tmpdir(), 'active-rm-npy-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const toNumbers = (a: NpyTypedArray): number[] => Array.from(a as ArrayLike<number | bigint>, Number);

describe('readNpy against numpy-written fixtures', () => {
  for (const [name, want] of Object.entries(expected)) {
    it(`reads ${name}`, () => {
      const arr = readNpy(join(FIXTURES, name));
      expect(arr.dtype).toBe(want.dtype);
      expect(arr.shape).toEqual(want.shape);
      expect(toNumbers(arr.data)).toEqual(want.values);
    });
  }

  it('gives float16 as Float32Array and int64 as BigInt64Array', () => {
    expect(readNpy(join(FIXTURES, 'f2_2x2.npy')).data).toBeInstanceOf(Float32Array);
    expect(readNpy(join(FIXTURES, 'i8_ids.npy')).data).toBeInstanceOf(BigInt64Array);
    expect(readNpy(join(FIXTURES, 'b1_3.npy')).data).toBeInstanceOf(Uint8Array);
  });

  it.each([
    ['fortran.npy', /Fortran-order.*ascontiguousarray/],
    ['object.npy', /object arrays.*numeric array/],
    ['structured.npy', /structured/],
  ])('refuses %s with a message naming the file and the fix', (name, pattern) => {
    const path = join(FIXTURES, name);
    expect(() => readNpy(path)).toThrowError(InputFileError);
    expect(() => readNpy(path)).toThrowError(pattern);
    expect(() => readNpy(path)).toThrowError(path);
  });

  it('names missing and non-npy files', () => {
    expect(() => readNpy(join(tmp, 'nope.npy'))).toThrowError(/nope\.npy: no such file/);
    expect(() => readNpy(join(FIXTURES, 'README.md'))).toThrowError(/not a \.npy file/);
  });

  it('refuses truncated data', () => {
    const bytes = readFileSync(join(FIXTURES, 'f4_2x3.npy'));
    expect(() => decodeNpy(bytes.subarray(0, bytes.length - 4), 'cut.npy')).toThrowError(/cut\.npy: truncated/);
  });
});

describe('zero-copy reads', () => {
  it('views the file buffer when the data is aligned', () => {
    const bytes = readFileSync(join(FIXTURES, 'f4_2x3.npy'));
    const arr = decodeNpy(bytes);
    expect(arr.data.buffer).toBe(bytes.buffer);
  });

  it('copies when the data offset is misaligned', () => {
    const src = readFileSync(join(FIXTURES, 'f4_2x3.npy'));
    const shifted = new Uint8Array(src.length + 1).subarray(1);
    shifted.set(src);
    const arr = decodeNpy(shifted);
    expect(arr.data.buffer).not.toBe(shifted.buffer);
    expect(toNumbers(arr.data)).toEqual(expected['f4_2x3.npy'].values);
  });

  it('reads the shared HH embeddings (beside the checkout: ../shared/data, or ACTIVE_RM_DATA_DIR) (2312, 2, 512) float32 as a view', () => {
    const arr = readNpy(SHARED);
    expect(arr.dtype).toBe('float32');
    expect(arr.shape).toEqual([2312, 2, 512]);
    expect(arr.data).toBeInstanceOf(Float32Array);
    expect(arr.data.length).toBe(2312 * 2 * 512);
    expect(arr.data.byteOffset % 4).toBe(0);
    // The embeddings are L2-normalized: a cheap check that the bytes were decoded in the right order.
    const row = arr.data.subarray(0, 512) as Float32Array;
    expect(Math.hypot(...row)).toBeCloseTo(1, 3);
  });
});

describe('writeNpy', () => {
  it('round-trips every numeric array type', () => {
    const arrays: [NpyTypedArray, number[]][] = [
      [Float32Array.from([1, -2.5, 3, 4, 5, 6]), [2, 3]],
      [Float64Array.from([Math.PI, -1e-300]), [2]],
      [Int32Array.from([1, -2, 3]), [3]],
      [Uint8Array.from([0, 255]), [2]],
      [Int8Array.from([-1]), [1]],
      [BigInt64Array.from([1n, -(2n ** 40n)]), [2]],
      [new Float32Array(0), [0, 7]],
      [Float64Array.from([2]), []],
    ];
    for (const [data, shape] of arrays) {
      const path = join(tmp, 'rt.npy');
      writeNpy(path, data, shape);
      const back = readNpy(path);
      expect(back.shape).toEqual(shape);
      expect(back.data.constructor).toBe(data.constructor);
      expect(Array.from(back.data as ArrayLike<unknown>)).toEqual(Array.from(data as ArrayLike<unknown>));
    }
  });

  it('pads the header so the data starts on a 64-byte boundary', () => {
    const bytes = encodeNpy(new Float32Array(3), [3]);
    expect((bytes.length - 12) % 64).toBe(0);
  });

  it('refuses a shape that does not match the data', () => {
    expect(() => encodeNpy(new Float32Array(5), [2, 3])).toThrowError(RangeError);
  });

  it('writes files numpy reads back', () => {
    let python = true;
    try {
      execFileSync('python3', ['-c', 'import numpy'], { stdio: 'ignore' });
    } catch {
      python = false;
    }
    if (!python) return;
    const path = join(tmp, 'for-numpy.npy');
    writeNpy(path, Float32Array.from([1, 2, 3, 4, 5, 6]), [3, 2]);
    const out = execFileSync('python3', ['-c', `import numpy as np; a = np.load(${JSON.stringify(path)}); print(a.dtype, a.shape, a.sum())`]);
    expect(out.toString().trim()).toBe('float32 (3, 2) 21.0');
  });
});

describe('halfToFloat', () => {
  it('handles infinities, NaN, subnormals and signed zero', () => {
    expect(halfToFloat(0x7c00)).toBe(Infinity);
    expect(halfToFloat(0xfc00)).toBe(-Infinity);
    expect(halfToFloat(0x7e00)).toBeNaN();
    expect(halfToFloat(0x0001)).toBe(2 ** -24);
    expect(Object.is(halfToFloat(0x8000), -0)).toBe(true);
    expect(halfToFloat(0x3c00)).toBe(1);
  });
});

it('fixtures folder holds every file expected.json names', () => {
  const files = new Set(readdirSync(FIXTURES));
  for (const name of Object.keys(expected)) expect(files.has(name)).toBe(true);
});
