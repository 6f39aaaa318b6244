/**
 * Option-value parsers for commander. They throw InvalidArgumentError, which commander reports as
 * "option '--k <n>' argument 'abc' is invalid. <reason>" and which the CLI maps to exit 2.
 */
import { InvalidArgumentError } from 'commander';

/** Strict integer: rejects '1.5', '1e3x', '' and values outside [min, max]. */
export function integer(min: number, max = Number.MAX_SAFE_INTEGER): (value: string) => number {
  return (value) => {
    const v = /^[+-]?\d+$/.test(value.trim()) ? Number(value) : NaN;
    if (!Number.isSafeInteger(v) || v < min || v > max) {
      throw new InvalidArgumentError(`Expected an integer${max === Number.MAX_SAFE_INTEGER ? ` ≥ ${min}` : ` in [${min}, ${max}]`}.`);
    }
    return v;
  };
}

/** Finite number > 0 ('1e-3' and '0.5' accepted). */
export function positiveNumber(value: string): number {
  const v = value.trim() === '' ? NaN : Number(value);
  if (!Number.isFinite(v) || v <= 0) throw new InvalidArgumentError('Expected a finite number > 0.');
  return v;
}

/** A ridge: 'auto' (chosen from the data) or a finite number > 0 (fixed). */
export function ridgeValue(value: string): number | 'auto' {
  if (value.trim() === 'auto') return 'auto';
  const v = value.trim() === '' ? NaN : Number(value);
  if (!Number.isFinite(v) || v <= 0) throw new InvalidArgumentError("Expected 'auto' or a finite number > 0.");
  return v;
}
