import { describe, expect, it } from 'vitest';
import { createIntegrator } from '../../../../engine/simulate/ode/createIntegrator';
import {
  heatEquation,
  integrate,
  maxRelativeError,
  periodicGrowth,
  ROBERTSON_1E11,
  ROBERTSON_1E5,
  ROBERTSON_40,
  robertson,
  rotation,
  VAN_DER_POL_2,
  vanDerPol,
} from './testProblems';

/** Absolute tolerances for Robertson: y2 lives near 1e-5..1e-13, y1 and y3 near 1. */
function robertsonAtol(rtol: number): Float64Array {
  return new Float64Array([rtol * 1e-6, rtol * 1e-10, rtol * 1e-6]);
}

describe('RODAS4 (method stiff)', () => {
  // Measured: rtol 1e-8 gives 2e-9 (t = 40), 1.3e-10 (t = 1e5), 2.4e-8 (t = 1e11, where y2 ~ 8e-14 is hardest);
  // the bars are 1e-6 (the brief's) at 40 and 1e5 and 1e-6 at 1e11 too, with a factor 40+ of margin.
  it.each([true, false])("matches the reference values of Robertson's problem at t = 40, 1e5 and 1e11 (rtol 1e-8, analytic Jacobian: %s)", (withJacobian) => {
    const integrator = createIntegrator(robertson(withJacobian), 'stiff', { rtol: 1e-8, atol: robertsonAtol(1e-8) });
    integrator.reset(0, new Float64Array([1, 0, 0]));
    const at = (tEnd: number): Float64Array => {
      while (integrator.t < tEnd) integrator.step(tEnd);
      expect(integrator.t).toBe(tEnd);
      return Float64Array.from(integrator.y);
    };
    expect(maxRelativeError(at(40), ROBERTSON_40)).toBeLessThan(1e-6);
    expect(maxRelativeError(at(1e5), ROBERTSON_1E5)).toBeLessThan(1e-6);
    const steps1e5 = integrator.stats.accepted;
    expect(maxRelativeError(at(1e11), ROBERTSON_1E11)).toBeLessThan(1e-6);
    // y1 + y2 + y3 = 1 is kept: a Rosenbrock method preserves a linear invariant eᵀy when eᵀf = 0 and eᵀJ = 0 (exactly for the analytic, up to rounding for the difference Jacobian).
    expect(Math.abs(integrator.y[0] + integrator.y[1] + integrator.y[2] - 1)).toBeLessThan(1e-12);
    // Stability does not limit the step: ~1,300 steps to 1e5 at rtol 1e-8 (an explicit method needs > 1e8, see the bench).
    expect(steps1e5).toBeLessThan(2000);
    // One Jacobian per step: a rejected attempt is retried from the same point with the same Jacobian.
    expect(integrator.stats.jacobianCalls).toBe(integrator.stats.accepted);
  });

  it('reaches Robertson at t = 1e5 to 1e-8 relative at rtol 1e-10 (measured 8e-13)', () => {
    const y = integrate(createIntegrator(robertson(false), 'stiff', { rtol: 1e-10, atol: robertsonAtol(1e-10) }), [1, 0, 0], 1e5);
    expect(maxRelativeError(y, ROBERTSON_1E5)).toBeLessThan(1e-8);
  });

  // Van der Pol, μ = 1000 (VDPOL of the IVP test set). Measured errors: 2.0e-5, 2.3e-7, 1.4e-9 at rtol 1e-4, 1e-6, 1e-8.
  it.each([
    [1e-4, 2e-4],
    [1e-6, 2e-6],
    [1e-8, 2e-8],
  ])('solves van der Pol with μ = 1000 at rtol %s to within %s of the test set reference', (rtol, bar) => {
    const y = integrate(createIntegrator(vanDerPol(), 'stiff', { rtol, atol: rtol }), [2, 0], 2);
    expect(maxRelativeError(y, VAN_DER_POL_2)).toBeLessThan(bar);
  });

  it('has a global error proportional to the tolerance (measured: 100x tighter rtol, 99x smaller error)', () => {
    const errors = [1e-5, 1e-7, 1e-9].map((rtol) => {
      const y = integrate(createIntegrator(rotation, 'stiff', { rtol, atol: rtol }), [1, 0], 10);
      return Math.hypot(y[0] - Math.cos(10), y[1] - Math.sin(10));
    });
    for (let k = 0; k < 2; k++) {
      const ratio = errors[k] / errors[k + 1];
      expect(ratio).toBeGreaterThan(30);
      expect(ratio).toBeLessThan(300);
    }
    expect(errors[2]).toBeLessThan(1e-8);
  });

  it('handles a non-autonomous system (∂f/∂t enters every stage): y = exp(sin t)', () => {
    const y = integrate(createIntegrator(periodicGrowth, 'stiff', { rtol: 1e-8, atol: 1e-12 }), [1], 10);
    expect(Math.abs(y[0] - Math.exp(Math.sin(10)))).toBeLessThan(1e-8);
  });

  it('gives dense output as accurate inside the steps as at their ends', () => {
    const integrator = createIntegrator(rotation, 'stiff', { rtol: 1e-8, atol: 1e-8 });
    integrator.reset(0, new Float64Array([1, 0]));
    const out = new Float64Array(2);
    let worstInside = 0;
    let worstAtSteps = 0;
    while (integrator.t < 10) {
      integrator.step(10);
      worstAtSteps = Math.max(worstAtSteps, Math.hypot(integrator.y[0] - Math.cos(integrator.t), integrator.y[1] - Math.sin(integrator.t)));
      for (let k = 0; k <= 10; k++) {
        const s = integrator.tPrevious + ((integrator.t - integrator.tPrevious) * k) / 10;
        integrator.interpolate(s, out);
        worstInside = Math.max(worstInside, Math.hypot(out[0] - Math.cos(s), out[1] - Math.sin(s)));
      }
    }
    // Measured 2.57e-8 inside vs 2.54e-8 at the step ends (233 steps): the interpolation adds ~1 %.
    expect(worstInside).toBeLessThan(1.5 * worstAtSteps);
    expect(worstInside).toBeLessThan(5e-8);
  });

  it('solves a 100-state stiff system (the heat equation by lines) with a finite-difference Jacobian', () => {
    const heat = heatEquation(100);
    const integrator = createIntegrator(heat.system, 'stiff', { rtol: 1e-6, atol: 1e-9 });
    const y = integrate(integrator, heat.initial, 0.5);
    const exact = heat.exact(0.5);
    let worst = 0;
    for (let i = 0; i < 100; i++) worst = Math.max(worst, Math.abs(y[i] - exact[i]));
    // |u| <= exp(−π² / 2) ≈ 7e-3 at t = 0.5; the error is bounded by ~atol + rtol |u| per step, summed over the steps.
    expect(worst).toBeLessThan(1e-7);
    // The fastest mode (|λ| ≈ 4e4) would hold an explicit method to h < 1e-4, ≥ 5,000 steps.
    expect(integrator.stats.accepted).toBeLessThan(200);
  });
});
