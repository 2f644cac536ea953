import { describe, expect, it } from 'vitest';
import { DenseLu } from '../../../../engine/simulate/ode/denseLu';
import { finiteDifferenceJacobian, finiteDifferenceTimeDerivative } from '../../../../engine/simulate/ode/finiteDifferenceJacobian';
import { robertson } from './testProblems';

/** Deterministic numbers in [-1, 1) (a 32-bit LCG; quality is irrelevant here). */
function numbers(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 31 - 1;
  };
}

describe('DenseLu', () => {
  it.each([1, 3, 10, 60])('solves a random n x n system to a residual near rounding (n = %i)', (n) => {
    const next = numbers(n);
    const a = Float64Array.from({ length: n * n }, next);
    const x = Float64Array.from({ length: n }, next);
    const b = new Float64Array(n);
    for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) b[i] += a[i * n + j] * x[j];
    const lu = new DenseLu(n);
    const factors = Float64Array.from(a);
    expect(lu.factor(factors)).toBe(true);
    const solution = Float64Array.from(b);
    lu.solve(factors, solution);
    // Backward stable with partial pivoting: the residual is ~n·u·‖A‖‖x‖; 1e-12 allows growth factors up to ~1e3 at n = 60.
    for (let i = 0; i < n; i++) {
      let residual = -b[i];
      for (let j = 0; j < n; j++) residual += a[i * n + j] * solution[j];
      expect(Math.abs(residual)).toBeLessThan(1e-12);
    }
  });

  it('pivots: a zero in the leading position is no problem', () => {
    const lu = new DenseLu(2);
    const a = new Float64Array([0, 1, 1, 0]);
    expect(lu.factor(a)).toBe(true);
    const b = new Float64Array([2, 3]);
    lu.solve(a, b);
    expect(Array.from(b)).toEqual([3, 2]);
  });

  it('reports a singular matrix or one holding NaN instead of dividing by zero', () => {
    const lu = new DenseLu(2);
    expect(lu.factor(new Float64Array([1, 2, 2, 4]))).toBe(false);
    expect(lu.factor(new Float64Array([1, NaN, 0, 1]))).toBe(false);
  });
});

describe('finite-difference derivatives', () => {
  it("match Robertson's analytic Jacobian to ~1e-7 relative", () => {
    const analytic = robertson(true);
    const y = new Float64Array([0.9, 2.5e-5, 0.1]);
    const f0 = new Float64Array(3);
    analytic.derivative(0, y, f0);
    const exact = new Float64Array(9);
    analytic.jacobian!(0, y, exact);
    const numeric = new Float64Array(9);
    const calls = finiteDifferenceJacobian(analytic, 0, y, f0, numeric, new Float64Array(3), new Float64Array([1e-12, 1e-12, 1e-12]));
    expect(calls).toBe(3);
    expect(Array.from(y)).toEqual([0.9, 2.5e-5, 0.1]);
    // Forward differences with δ = sqrt(u)·|y_j| keep about half the digits; the largest entries (1e3..1e4) to 1e-7 relative.
    for (let k = 0; k < 9; k++) expect(Math.abs(numeric[k] - exact[k])).toBeLessThanOrEqual(1e-7 * Math.max(1, Math.abs(exact[k])) + 1e-4);
  });

  it('∂f/∂t of y′ = t² y is 2 t y', () => {
    const system = { size: 1, derivative: (t: number, y: Float64Array, d: Float64Array) => void (d[0] = t * t * y[0]) };
    const y = new Float64Array([3]);
    const f0 = new Float64Array([2 * 2 * 3]);
    const dfdt = new Float64Array(1);
    finiteDifferenceTimeDerivative(system, 2, y, f0, dfdt);
    expect(dfdt[0]).toBeCloseTo(12, 6);
  });
});
