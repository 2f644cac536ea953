import { SurrogateNumericalError } from '../SurrogateError.js';

/**
 * In-place Cholesky factorisation A = L Lᵀ of a symmetric positive-definite
 * n × n matrix stored row-major; on return the lower triangle holds L and the
 * strict upper triangle is zeroed. Returns false (leaving `a` partly
 * overwritten) when a pivot is not positive.
 *
 * Method: the row-oriented Cholesky–Banachiewicz loop (Golub & Van Loan,
 * Matrix Computations, 4th ed. 2013, alg. 4.2.1), whose inner product runs
 * over two contiguous rows so V8 keeps it in a tight loop.
 */
export function choleskyInPlace(a: Float64Array, n: number): boolean {
  for (let i = 0; i < n; i++) {
    const ri = i * n;
    for (let j = 0; j <= i; j++) {
      const rj = j * n;
      let s = a[ri + j];
      for (let k = 0; k < j; k++) s -= a[ri + k] * a[rj + k];
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
 * (L Lᵀ)⁻¹ as a full symmetric row-major matrix: first X = L⁻¹ row by row
 * (X[i,:] = (e_i − Σ_{k<i} L[i,k] X[k,:]) / L[i,i], contiguous row updates),
 * then its transpose U = L⁻ᵀ, so that (L⁻ᵀ L⁻¹)_ij = Σ_{k ≥ max(i,j)} U[i,k] U[j,k]
 * is a dot product of two contiguous rows; about n³/2 multiply-adds in all.
 */
export function choleskyInverse(l: Float64Array, n: number): Float64Array {
  const x = new Float64Array(n * n); // L⁻¹, lower triangle
  for (let i = 0; i < n; i++) {
    const ri = i * n;
    for (let k = 0; k < i; k++) {
      const lik = l[ri + k];
      if (lik === 0) continue;
      const rk = k * n;
      for (let j = 0; j <= k; j++) x[ri + j] -= lik * x[rk + j];
    }
    x[ri + i] += 1;
    const inv = 1 / l[ri + i];
    for (let j = 0; j <= i; j++) x[ri + j] *= inv;
  }
  const u = new Float64Array(n * n);
  for (let i = 0; i < n; i++) for (let k = i; k < n; k++) u[i * n + k] = x[k * n + i];
  const out = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j <= i; j++) {
      let s = 0;
      const ri = i * n;
      const rj = j * n;
      for (let k = i; k < n; k++) s += u[ri + k] * u[rj + k];
      out[ri + j] = s;
      out[rj + i] = s;
    }
  }
  return out;
}
