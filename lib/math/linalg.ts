/** Dense float64 linear algebra for the TypeScript backend: Cholesky, log det, triangular solves. */
import { CholeskyError } from '../backends/interface.js';
import type { FeatureArray } from '../types.js';

/**
 * Lower Cholesky factor L (M = L Lᵀ) of a symmetric d×d row-major matrix (only the lower triangle
 * is read), and log det M = 2 Σ log L_kk. Throws CholeskyError when M is not positive definite.
 */
export function cholesky(M: Float64Array, d: number): { factor: Float64Array; logDet: number } {
  const L = new Float64Array(d * d);
  let logDet = 0;
  for (let j = 0; j < d; j++) {
    const rowJ = j * d;
    let diag = M[rowJ + j]!;
    for (let k = 0; k < j; k++) diag -= L[rowJ + k]! * L[rowJ + k]!;
    if (!(diag > 0) || !Number.isFinite(diag)) {
      throw new CholeskyError(
        `Cholesky factorization failed at column ${j} (pivot ${diag}): the information matrix is not ` +
          'positive definite; increase `ridge` or check the features for huge values',
      );
    }
    const ljj = Math.sqrt(diag);
    L[rowJ + j] = ljj;
    logDet += 2 * Math.log(ljj);
    const inv = 1 / ljj;
    for (let i = j + 1; i < d; i++) {
      const rowI = i * d;
      let s = M[rowI + j]!;
      for (let k = 0; k < j; k++) s -= L[rowI + k]! * L[rowJ + k]!;
      L[rowI + j] = s * inv;
    }
  }
  return { factor: L, logDet };
}

/** log det of a symmetric positive-definite matrix (throws CholeskyError otherwise). */
export function logDet(M: Float64Array, d?: number): number {
  const dim = d ?? Math.round(Math.sqrt(M.length));
  if (!Number.isInteger(dim) || dim < 1 || dim * dim !== M.length) {
    throw new RangeError(`logDet: matrix has ${M.length} entries, not d×d for d = ${d ?? 'sqrt(length)'}; pass a square row-major matrix`);
  }
  return cholesky(M, dim).logDet;
}

/** Solves L y = b in place (forward substitution), L lower triangular row-major. */
export function forwardSolve(L: Float64Array, d: number, b: Float64Array, offset = 0): void {
  for (let i = 0; i < d; i++) {
    const row = i * d;
    let s = b[offset + i]!;
    for (let k = 0; k < i; k++) s -= L[row + k]! * b[offset + k]!;
    b[offset + i] = s / L[row + i]!;
  }
}

/** Solves Lᵀ x = b in place (back substitution). */
export function backSolve(L: Float64Array, d: number, b: Float64Array): void {
  for (let i = d - 1; i >= 0; i--) {
    let s = b[i]!;
    for (let k = i + 1; k < d; k++) s -= L[k * d + i]! * b[k]!;
    b[i] = s / L[i * d + i]!;
  }
}

/**
 * Projects every response once: y_i = L⁻¹ φ_i, so that vᵀM⁻¹v = ‖y_i − y_j‖² for any pair.
 * Only rows flagged in `used` are solved (others stay zero) when a mask is given.
 */
export function projectResponses(
  features: FeatureArray,
  n: number,
  d: number,
  L: Float64Array,
  used?: Uint8Array,
): Float64Array {
  const Y = new Float64Array(n * d);
  projectRows(features, d, L, inverseDiagonal(L, d), Y, 0, n, used);
  return Y;
}

export function inverseDiagonal(L: Float64Array, d: number): Float64Array {
  const invDiag = new Float64Array(d);
  for (let i = 0; i < d; i++) invDiag[i] = 1 / L[i * d + i]!;
  return invDiag;
}

/** Rows [start, end) of the projection (the unit the TypeScript backend yields between). */
export function projectRows(
  features: FeatureArray,
  d: number,
  L: Float64Array,
  invDiag: Float64Array,
  Y: Float64Array,
  start: number,
  end: number,
  used?: Uint8Array,
): void {
  for (let r = start; r < end; r++) {
    if (used && !used[r]) continue;
    const o = r * d;
    for (let i = 0; i < d; i++) {
      Y[o + i] = (features[o + i]! - dot(L, i * d, Y, o, i)) * invDiag[i]!;
    }
  }
}

/** Marks the responses that appear in a pair list. */
export function usedResponses(n: number, pairs: Int32Array): Uint8Array {
  const used = new Uint8Array(n);
  for (let p = 0; p < pairs.length; p++) used[pairs[p]!] = 1;
  return used;
}

/** a[ao … ao+d) · b[bo … bo+d) with four accumulators (V8 keeps them in registers; ~3× a plain loop). */
export function dot(a: ArrayLike<number>, ao: number, b: ArrayLike<number>, bo: number, d: number): number {
  let s0 = 0;
  let s1 = 0;
  let s2 = 0;
  let s3 = 0;
  let x = 0;
  for (; x + 3 < d; x += 4) {
    s0 += a[ao + x]! * b[bo + x]!;
    s1 += a[ao + x + 1]! * b[bo + x + 1]!;
    s2 += a[ao + x + 2]! * b[bo + x + 2]!;
    s3 += a[ao + x + 3]! * b[bo + x + 3]!;
  }
  for (; x < d; x++) s0 += a[ao + x]! * b[bo + x]!;
  return s0 + s1 + (s2 + s3);
}

/** out[p] = ‖x_i − x_j‖² for pairs [start, end), from the differences directly (no Gram-matrix
 * cancellation). Used for q_p over projected responses and ‖v_p‖² over raw features. */
export function pairSquaredDistances(
  rows: ArrayLike<number>,
  d: number,
  pairs: Int32Array,
  out: Float64Array,
  start = 0,
  end = pairs.length >> 1,
): Float64Array {
  for (let p = start; p < end; p++) {
    const oi = pairs[2 * p]! * d;
    const oj = pairs[2 * p + 1]! * d;
    let acc = 0;
    for (let x = 0; x < d; x++) {
      const diff = rows[oi + x]! - rows[oj + x]!;
      acc += diff * diff;
    }
    out[p] = acc;
  }
  return out;
}
