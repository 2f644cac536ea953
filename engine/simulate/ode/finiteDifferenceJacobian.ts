import type { OdeSystem } from './integrator.js';

/**
 * ∂f/∂y by forward differences, one column per extra evaluation of f, with
 * the increment of Hairer & Wanner's radau5.f and rodas.f,
 * δ_j = sqrt(u · max(1e-5, |y_j|)) with u the unit roundoff (Solving ODEs II,
 * 2nd ed. 1996, §IV.8): about half the digits of f survive, which is plenty
 * for a Jacobian that only enters the W-matrix of a Rosenbrock step.
 */
const ROUNDOFF = Number.EPSILON / 2;
const SQRT_ROUNDOFF = Math.sqrt(ROUNDOFF);

/**
 * Writes ∂f/∂y at (t, y) into jac (row-major, jac[i * n + j] = ∂f_i/∂y_j).
 * f0 must hold f(t, y); y is perturbed in place and restored; scratch (length
 * n) receives the perturbed derivatives. Returns the number of f calls.
 */
export function finiteDifferenceJacobian(
  system: OdeSystem,
  t: number,
  y: Float64Array,
  f0: Float64Array,
  jac: Float64Array,
  scratch: Float64Array,
  atol: Float64Array,
): number {
  const n = system.size;
  for (let j = 0; j < n; j++) {
    const saved = y[j];
    const delta = SQRT_ROUNDOFF * Math.max(Math.abs(saved), atol[j]);
    y[j] = saved + delta;
    // The increment actually representable, so the quotient is exact in its denominator.
    const step = y[j] - saved;
    system.derivative(t, y, scratch);
    y[j] = saved;
    for (let i = 0; i < n; i++) jac[i * n + j] = (scratch[i] - f0[i]) / step;
  }
  return n;
}

/**
 * ∂f/∂t at (t, y) by a forward difference with δ = sqrt(u · max(1e-5, |t|))
 * (rodas.f), into dfdt; f0 must hold f(t, y). One call of f.
 */
export function finiteDifferenceTimeDerivative(system: OdeSystem, t: number, y: Float64Array, f0: Float64Array, dfdt: Float64Array): void {
  const delta = Math.sqrt(ROUNDOFF * Math.max(1e-5, Math.abs(t)));
  const step = t + delta - t;
  system.derivative(t + step, y, dfdt);
  for (let i = 0; i < dfdt.length; i++) dfdt[i] = (dfdt[i] - f0[i]) / step;
}
