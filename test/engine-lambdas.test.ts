import { describe, expect, it } from 'vitest';
import { bernoulliVariance, pairLambdas } from '../lib/math/fisher.js';
import { Rng } from '../lib/math/rng.js';

/** Every pair (i < j) of n responses, plus a few repeated and reversed ones. */
function allPairs(n: number): Int32Array {
  const out: number[] = [];
  for (let i = 0; i < n; i++) for (let j = i + 1; j < n; j++) out.push(i, j);
  out.push(n - 1, 0, 0, n - 1);
  return Int32Array.from(out);
}

function reference(r: Float64Array, pairs: Int32Array): Float64Array {
  const out = new Float64Array(pairs.length >> 1);
  for (let p = 0; p < out.length; p++) out[p] = bernoulliVariance(r[pairs[2 * p]!]! - r[pairs[2 * p + 1]!]!);
  return out;
}

/** Largest |a − b| / b, with a and b both zero (or both NaN) counted as equal. */
function worstRelErr(a: Float64Array, b: Float64Array): number {
  let worst = 0;
  for (let t = 0; t < a.length; t++) {
    if (Object.is(a[t], b[t])) continue;
    worst = Math.max(worst, Math.abs(a[t]! - b[t]!) / Math.abs(b[t]!));
  }
  return worst;
}

describe('pair weights λ = σ(Δ)(1 − σ(Δ))', () => {
  it('match bernoulliVariance within 1e-15 when r_i − r_j is exact, at every reward scale', () => {
    const rng = new Rng(3);
    // Rewards on a 1/64 grid, so the reference's r_i − r_j does not round; offsets exercise the
    // uncentred range, centring on the smallest and on the largest reward.
    for (const [offset, spread] of [[0, 6], [0, 600], [-340, 680], [500, 300], [-800, 350], [1e4, 200], [-1e4, 349]] as const) {
      const r = Float64Array.from({ length: 60 }, () => offset + rng.int(spread * 64) / 64);
      const pairs = allPairs(r.length);
      expect(worstRelErr(pairLambdas(r, pairs), reference(r, pairs))).toBeLessThan(1e-15);
    }
  });

  it('stay within a few ulps plus the rounding of r_i − r_j for arbitrary rewards', () => {
    const rng = new Rng(4);
    for (const scale of [1e-6, 1, 10, 100]) {
      const r = Float64Array.from({ length: 80 }, () => scale * rng.normal());
      const pairs = allPairs(r.length);
      const fast = pairLambdas(r, pairs);
      const slow = reference(r, pairs);
      let worst = 0;
      for (let p = 0; p < fast.length; p++) {
        const gap = Math.abs(r[pairs[2 * p]!]! - r[pairs[2 * p + 1]!]!);
        worst = Math.max(worst, Math.abs(fast[p]! - slow[p]!) / slow[p]! / (1e-15 + gap * 2.3e-16));
      }
      expect(worst).toBeLessThan(1);
    }
  });

  it('equal rewards give exactly 1/4', () => {
    for (const x of [0, 1e-300, 3.7, -349.9, 812.5, -1e6]) {
      const r = new Float64Array([x, x, x]);
      expect(Array.from(pairLambdas(r, allPairs(3)))).toEqual([0.25, 0.25, 0.25, 0.25, 0.25]);
    }
  });

  it('extreme and non-finite rewards give the reference values exactly', () => {
    const cases = [
      [800, -800, 0, 1, -1],
      [700, -10, 5, 400, 350.5],
      [1e300, -1e300, 0, 1, 2],
      [Infinity, 0, 1, 2, 3],
      [NaN, 0, 1, 2, 3],
      [-Infinity, Infinity, 0, 1, 2],
    ];
    for (const values of cases) {
      const r = Float64Array.from(values);
      const pairs = allPairs(r.length);
      const fast = pairLambdas(r, pairs);
      const slow = reference(r, pairs);
      for (let p = 0; p < fast.length; p++) expect(Object.is(fast[p], slow[p])).toBe(true);
    }
  });

  it('fewer pairs than responses take the reference formula', () => {
    const r = Float64Array.from({ length: 50 }, (_, i) => Math.sin(i) * 7);
    const pairs = new Int32Array([0, 1, 2, 49, 10, 20]);
    expect(Array.from(pairLambdas(r, pairs))).toEqual(Array.from(reference(r, pairs)));
    expect(pairLambdas(r, new Int32Array(0)).length).toBe(0);
  });
});
