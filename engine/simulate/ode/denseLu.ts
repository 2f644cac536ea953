/**
 * LU factorisation with partial (row) pivoting of a dense n × n matrix held
 * row-major in a Float64Array, and the triangular solves that use it: the
 * linear algebra of one Rosenbrock step (Golub & Van Loan, Matrix
 * Computations, 4th ed. 2013, Algorithm 3.4.1). Models have at most a few
 * hundred states, so a dense factorisation is the simple and fast choice.
 * The factors overwrite the matrix; nothing is allocated after construction.
 */
export class DenseLu {
  /** pivot[k]: the row swapped with row k at elimination step k. */
  private readonly pivot: Int32Array;

  constructor(private readonly n: number) {
    this.pivot = new Int32Array(n);
  }

  /**
   * Factors a in place into L (unit lower, below the diagonal) and U.
   * Returns false when a pivot is zero or the factors are not finite (the
   * matrix is singular to working precision, or held NaN or ±Infinity): the
   * caller must not solve then.
   */
  factor(a: Float64Array): boolean {
    const { n, pivot } = this;
    for (let k = 0; k < n; k++) {
      let p = k;
      let largest = Math.abs(a[k * n + k]);
      for (let i = k + 1; i < n; i++) {
        const v = Math.abs(a[i * n + k]);
        if (v > largest) {
          largest = v;
          p = i;
        }
      }
      pivot[k] = p;
      if (!(largest > 0 && largest < Infinity)) return false;
      if (p !== k) {
        const rowK = k * n;
        const rowP = p * n;
        for (let j = 0; j < n; j++) {
          const swap = a[rowK + j];
          a[rowK + j] = a[rowP + j];
          a[rowP + j] = swap;
        }
      }
      const rowK = k * n;
      const inverse = 1 / a[rowK + k];
      for (let i = k + 1; i < n; i++) {
        const rowI = i * n;
        const m = a[rowI + k] * inverse;
        a[rowI + k] = m;
        if (m !== 0) for (let j = k + 1; j < n; j++) a[rowI + j] -= m * a[rowK + j];
      }
    }
    // A NaN or infinity off the diagonal (J held one) would spoil every solve; O(n²) against the O(n³) above.
    for (let i = 0; i < n * n; i++) if (!(Math.abs(a[i]) < Infinity)) return false;
    return true;
  }

  /** Solves (LU) x = b for the factors `factor` left in lu; b is overwritten by x. */
  solve(lu: Float64Array, b: Float64Array): void {
    const { n, pivot } = this;
    for (let k = 0; k < n; k++) {
      const p = pivot[k];
      if (p !== k) {
        const swap = b[k];
        b[k] = b[p];
        b[p] = swap;
      }
    }
    for (let i = 1; i < n; i++) {
      const rowI = i * n;
      let sum = b[i];
      for (let j = 0; j < i; j++) sum -= lu[rowI + j] * b[j];
      b[i] = sum;
    }
    for (let i = n - 1; i >= 0; i--) {
      const rowI = i * n;
      let sum = b[i];
      for (let j = i + 1; j < n; j++) sum -= lu[rowI + j] * b[j];
      b[i] = sum / lu[rowI + i];
    }
  }
}
