/**
 * Dense symmetric positive-definite solve for the trainers' d×d Newton systems. Kept here (not in
 * the engine's linalg) so training never depends on selection internals and vice versa.
 */

/** In-place lower Cholesky factor of the row-major d×d matrix A. Returns false when A is not
 * positive definite (a ridge > 0 rules that out, so callers treat false as a bug or a NaN input).
 * Row by row (L[i][j] needs rows i and j only, both contiguous) with an unrolled dot product:
 * several times faster in V8 than the column-oriented textbook loop at d = 512. */
export function choleskyInPlace(A: Float64Array, d: number): boolean {
  for (let i = 0; i < d; i++) {
    const ri = i * d;
    for (let j = 0; j <= i; j++) {
      const rj = j * d;
      let s0 = 0;
      let s1 = 0;
      let s2 = 0;
      let s3 = 0;
      let k = 0;
      for (; k + 3 < j; k += 4) {
        s0 += A[ri + k]! * A[rj + k]!;
        s1 += A[ri + k + 1]! * A[rj + k + 1]!;
        s2 += A[ri + k + 2]! * A[rj + k + 2]!;
        s3 += A[ri + k + 3]! * A[rj + k + 3]!;
      }
      for (; k < j; k++) s0 += A[ri + k]! * A[rj + k]!;
      const t = A[ri + j]! - (s0 + s1 + s2 + s3);
      if (j < i) A[ri + j] = t / A[rj + j]!;
      else {
        if (!(t > 0)) return false;
        A[ri + i] = Math.sqrt(t);
      }
    }
    for (let k = i + 1; k < d; k++) A[ri + k] = 0;
  }
  return true;
}

/** Solves (L Lᵀ) x = b in place of b, with L from {@link choleskyInPlace}. */
export function choleskySolve(L: Float64Array, d: number, b: Float64Array): void {
  for (let i = 0; i < d; i++) {
    const ri = i * d;
    let s = b[i]!;
    for (let k = 0; k < i; k++) s -= L[ri + k]! * b[k]!;
    b[i] = s / L[ri + i]!;
  }
  for (let i = d - 1; i >= 0; i--) {
    let s = b[i]!;
    for (let k = i + 1; k < d; k++) s -= L[k * d + i]! * b[k]!;
    b[i] = s / L[i * d + i]!;
  }
}
