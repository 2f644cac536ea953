import { SurrogateNumericalError } from '../SurrogateError.js';

/**
 * In-place Cholesky factorisation A = L Lᵀ of a symmetric positive-definite
 * n × n matrix stored row-major; on return the lower triangle holds L and the
 * strict upper triangle is zeroed. Returns false (leaving `a` partly
 * overwritten) when a pivot is not positive.
 *
 * Method: the row-oriented Cholesky–Banachiewicz loop (Golub & Van Loan,
 * Matrix Computations, 4th ed. 2013, alg. 4.2.1), whose inner product runs
 * over two contiguous rows (`rowDot`, four partial sums).
 */
export function choleskyInPlace(a: Float64Array, n: number): boolean {
  for (let i = 0; i < n; i++) {
    const ri = i * n;
    for (let j = 0; j <= i; j++) {
      const rj = j * n;
      const s = a[ri + j] - rowDot(a, ri, a, rj, j);
      if (i === j) {
        if (!(s > 0)) return false;
        a[ri + i] = Math.sqrt(s);
      } else {
        a[ri + j] = s / a[rj + j];
      }
    }
    for (let j = i + 1; j < n; j++) a[ri + j] = 0;
  }
  return true;
}

/**
 * Cholesky factor of `k` (not modified), adding jitter ε·mean(diag)·I with
 * ε = 1e-10, 1e-9, ... up to 1e-4 when the plain factorisation fails: kernel
 * matrices of near-duplicate inputs are PSD only up to round-off (Rasmussen
 * & Williams 2006, GPML, §A.4, http://gaussianprocess.org/gpml/).
 * Returns the factor and the jitter used.
 */
export function choleskyWithJitter(k: Float64Array, n: number): { l: Float64Array; jitter: number } {
  const l = new Float64Array(k.length);
  let meanDiagonal = 0;
  for (let i = 0; i < n; i++) meanDiagonal += k[i * n + i];
  meanDiagonal /= Math.max(n, 1);
  for (let attempt = -1; attempt <= 6; attempt++) {
    l.set(k);
    const jitter = attempt < 0 ? 0 : meanDiagonal * 10 ** (attempt - 10);
    for (let i = 0; i < n; i++) l[i * n + i] += jitter;
    if (choleskyInPlace(l, n)) return { l, jitter };
  }
  throw new SurrogateNumericalError('cholesky', 'K', 'kernel matrix is not positive definite even with jitter 1e-4 × mean diagonal', { n });
}

/** Solves L x = b in place (forward substitution); L lower-triangular row-major n × n. */
export function solveLower(l: Float64Array, n: number, b: Float64Array): Float64Array {
  for (let i = 0; i < n; i++) {
    const ri = i * n;
    let s = b[i];
    for (let k = 0; k < i; k++) s -= l[ri + k] * b[k];
    b[i] = s / l[ri + i];
  }
  return b;
}

/** Solves Lᵀ x = b in place (back substitution). */
export function solveUpper(l: Float64Array, n: number, b: Float64Array): Float64Array {
  for (let i = n - 1; i >= 0; i--) {
    let s = b[i];
    for (let k = i + 1; k < n; k++) s -= l[k * n + i] * b[k];
    b[i] = s / l[i * n + i];
  }
  return b;
}

/** Solves (L Lᵀ) x = b in place. */
export function choleskySolve(l: Float64Array, n: number, b: Float64Array): Float64Array {
  return solveUpper(l, n, solveLower(l, n, b));
}

/**
 * Σ_{t<length} a[oa + t] b[ob + t] with four partial sums: a single running
 * sum waits on the latency of every add, four independent ones let the
 * adds overlap (about 3× faster in V8 for the lengths of a GP's kernel matrix).
 */
export function rowDot(a: Float64Array, oa: number, b: Float64Array, ob: number, length: number): number {
  let s0 = 0;
  let s1 = 0;
  let s2 = 0;
  let s3 = 0;
  let t = 0;
  for (; t + 3 < length; t += 4) {
    s0 += a[oa + t] * b[ob + t];
    s1 += a[oa + t + 1] * b[ob + t + 1];
    s2 += a[oa + t + 2] * b[ob + t + 2];
    s3 += a[oa + t + 3] * b[ob + t + 3];
  }
  for (; t < length; t++) s0 += a[oa + t] * b[ob + t];
  return s0 + s1 + (s2 + s3);
}

/**
 * (L Lᵀ)⁻¹ as a full symmetric row-major matrix, written into `out` (n × n;
 * `work`, n × n, is scratch), both allocated when absent so a caller that
 * inverts often can reuse them. Two passes of n³/6 multiply-adds, each an
 * inner product of two contiguous rows (`rowDot`):
 *
 * 1. U = L⁻ᵀ (upper): row j of U solves L u = e_j by forward substitution,
 *    U[j,i] = (δ_ij − Σ_{j≤k<i} L[i,k] U[j,k]) / L[i,i], for i = j .. n−1;
 * 2. (L⁻ᵀ L⁻¹)_ij = Σ_{k ≥ max(i,j)} U[i,k] U[j,k].
 *
 * This is LAPACK's potri split into trtri and lauum (Du Croz & Higham 1992,
 * "Stability of methods for matrix inversion", IMA J. Numer. Anal. 12:1-19,
 * doi:10.1093/imanum/12.1.1).
 */
export function choleskyInverse(l: Float64Array, n: number, out = new Float64Array(n * n), work = new Float64Array(n * n)): Float64Array {
  const u = work;
  for (let j = 0; j < n; j++) {
    const rj = j * n;
    for (let i = 0; i < j; i++) u[rj + i] = 0;
    for (let i = j; i < n; i++) {
      const ri = i * n;
      const s = (i === j ? 1 : 0) - rowDot(l, ri + j, u, rj + j, i - j);
      u[rj + i] = s / l[ri + i];
    }
  }
  for (let i = 0; i < n; i++) {
    const ri = i * n;
    for (let j = 0; j <= i; j++) {
      const s = rowDot(u, ri + i, u, j * n + i, n - i);
      out[ri + j] = s;
      out[j * n + i] = s;
    }
  }
  return out;
}
