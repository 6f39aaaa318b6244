/**
 * Dense symmetric positive-definite solve for the trainers' d×d Newton systems. Kept here (not in
 * the engine's linalg) so training never depends on selection internals and vice versa.
 */

/** In-place lower Cholesky factor of the row-major d×d matrix A. Returns false when A is not
 * positive definite (a ridge > 0 rules that out, so callers treat false as a bug or a NaN input). */
export function choleskyInPlace(A: Float64Array, d: number): boolean {
  for (let j = 0; j < d; j++) {
    const rj = j * d;
    let s = A[rj + j]!;
    for (let k = 0; k < j; k++) s -= A[rj + k]! * A[rj + k]!;
    if (!(s > 0)) return false;
    const ljj = Math.sqrt(s);
    A[rj + j] = ljj;
    for (let i = j + 1; i < d; i++) {
      const ri = i * d;
      let t = A[ri + j]!;
      for (let k = 0; k < j; k++) t -= A[ri + k]! * A[rj + k]!;
      A[ri + j] = t / ljj;
    }
    for (let k = j + 1; k < d; k++) A[rj + k] = 0;
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
