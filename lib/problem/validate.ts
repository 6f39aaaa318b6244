/**
 * Input checks at the API boundary (scikit-learn style): every message names the argument and
 * says how to fix it. Backends receive only validated, normalized inputs.
 */
import type { FeatureArray } from '../types.js';

export function isFeatureArray(x: unknown): x is FeatureArray {
  return x instanceof Float32Array || x instanceof Float64Array;
}

export function requireFeatureArray(x: unknown, name: string): FeatureArray {
  if (!isFeatureArray(x)) {
    throw new TypeError(`${name} must be a Float32Array or Float64Array (row-major); got ${describe(x)}. Convert with Float32Array.from(…)`);
  }
  return x;
}

export function requireInteger(x: unknown, name: string, min: number, max = Number.MAX_SAFE_INTEGER): number {
  if (typeof x !== 'number' || !Number.isInteger(x)) {
    throw new TypeError(`${name} must be an integer; got ${describe(x)}`);
  }
  if (x < min || x > max) {
    const range = max === Number.MAX_SAFE_INTEGER ? `≥ ${min}` : `between ${min} and ${max}`;
    throw new RangeError(`${name} must be ${range}; got ${x}`);
  }
  return x;
}

export function requirePositive(x: unknown, name: string): number {
  if (typeof x !== 'number' || !Number.isFinite(x)) {
    throw new TypeError(`${name} must be a finite number; got ${describe(x)}`);
  }
  if (!(x > 0)) throw new RangeError(`${name} must be > 0; got ${x}`);
  return x;
}

/** Throws a RangeError naming the first non-finite entry (row and column when d is given). */
export function requireFinite(x: ArrayLike<number>, name: string, d?: number): void {
  for (let t = 0; t < x.length; t++) {
    const v = x[t]!;
    if (v - v !== 0) {
      const where = d ? `row ${Math.floor(t / d)}, column ${t % d}` : `index ${t}`;
      throw new RangeError(`${name} must be finite: ${name} has ${v} at ${where}; clean or drop that row upstream`);
    }
  }
}

/** A numeric array (typed array or plain array of numbers) as a Float64Array copy-free when possible. */
export function toFloat64(x: unknown, name: string): Float64Array {
  if (x instanceof Float64Array) return x;
  if (x instanceof Float32Array || Array.isArray(x) || ArrayBuffer.isView(x)) {
    const arr = x as ArrayLike<number>;
    const out = new Float64Array(arr.length);
    for (let t = 0; t < arr.length; t++) {
      const v = arr[t];
      if (typeof v !== 'number') throw new TypeError(`${name} must hold numbers; got ${describe(v)} at index ${t}`);
      out[t] = v;
    }
    return out;
  }
  throw new TypeError(`${name} must be a Float64Array, Float32Array or array of numbers; got ${describe(x)}`);
}

/** Integer array (Int32Array, other typed array or plain array) as an Int32Array, checking each entry. */
export function toInt32(x: unknown, name: string): Int32Array {
  if (!(Array.isArray(x) || ArrayBuffer.isView(x)) || x instanceof DataView) {
    throw new TypeError(`${name} must be an Int32Array or array of integers; got ${describe(x)}`);
  }
  const arr = x as ArrayLike<number | bigint>;
  if (x instanceof Int32Array) return x;
  const out = new Int32Array(arr.length);
  for (let t = 0; t < arr.length; t++) {
    const v = Number(arr[t]);
    if (!Number.isInteger(v) || v < -2147483648 || v > 2147483647) {
      throw new RangeError(`${name} must hold 32-bit integers; got ${String(arr[t])} at index ${t}`);
    }
    out[t] = v;
  }
  return out;
}

export function describe(x: unknown): string {
  if (x === null) return 'null';
  if (x === undefined) return 'undefined';
  if (Array.isArray(x)) return `an Array of length ${x.length}`;
  if (ArrayBuffer.isView(x)) return `a ${x.constructor.name}`;
  if (typeof x === 'object') return `an object (${x.constructor?.name ?? 'Object'})`;
  return `${typeof x} ${JSON.stringify(x)}`;
}
