import { describe, expect, it } from 'vitest';
import { createIntegrator } from '../../../../engine/simulate/ode/createIntegrator';
import { brusselator, integrate, lotkaVolterra, maxRelativeError, periodicGrowth, rotation } from './testProblems';

describe('Dormand-Prince 5(4) (method nonstiff)', () => {
  // Measured: 3.2e-5, 3.1e-7, 3.0e-9 at rtol = atol = 1e-5, 1e-7, 1e-9 (ratios 105 and 101).
  it('has a global error proportional to the tolerance on the circle', () => {
    const errors = [1e-5, 1e-7, 1e-9].map((rtol) => {
      const y = integrate(createIntegrator(rotation, 'nonstiff', { rtol, atol: rtol }), [1, 0], 10);
      return Math.hypot(y[0] - Math.cos(10), y[1] - Math.sin(10));
    });
    for (let k = 0; k < 2; k++) {
      expect(errors[k] / errors[k + 1]).toBeGreaterThan(30);
      expect(errors[k] / errors[k + 1]).toBeLessThan(300);
    }
    expect(errors[2]).toBeLessThan(1e-8);
  });

  it('handles a non-autonomous system: y = exp(sin t)', () => {
    const y = integrate(createIntegrator(periodicGrowth, 'nonstiff', { rtol: 1e-8, atol: 1e-12 }), [1], 10);
    // Measured 4.9e-9.
    expect(Math.abs(y[0] - Math.exp(Math.sin(10)))).toBeLessThan(5e-8);
  });

  it('gives dense output as accurate inside the steps as at their ends', () => {
    const integrator = createIntegrator(rotation, 'nonstiff', { rtol: 1e-8, atol: 1e-8 });
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
    // Measured 3.05e-8 inside and at the step ends (101 steps).
    expect(worstInside).toBeLessThan(1.5 * worstAtSteps);
    expect(worstInside).toBeLessThan(5e-8);
  });

  it('agrees with RODAS4 on a non-stiff problem (Lotka-Volterra to t = 20)', () => {
    const options = { rtol: 1e-10, atol: 1e-12 };
    const explicit = integrate(createIntegrator(lotkaVolterra, 'nonstiff', options), [1, 1], 20);
    const rosenbrock = integrate(createIntegrator(lotkaVolterra, 'stiff', options), [1, 1], 20);
    // Both are within ~1e-9 of the truth at this tolerance; 1e-7 leaves room for the oscillation's error growth.
    expect(maxRelativeError(explicit, rosenbrock)).toBeLessThan(1e-7);
    expect(explicit[0]).toBeGreaterThan(0);
  });

  // Single loose-tolerance steps can look stability-limited (the estimate reaches 3.6 and 4.6 at rtol 1e-3 on these two); the 15-step rule must not fire.
  it.each([
    ['Lotka-Volterra', lotkaVolterra, [1, 1], 200],
    ['the Brusselator', brusselator, [1.5, 3], 200],
  ] as const)('does not flag %s as stiff, at loose or tight tolerances', (_name, system, y0, end) => {
    for (const rtol of [1e-2, 1e-3, 1e-6, 1e-9]) {
      const integrator = createIntegrator(system, 'auto', { rtol, atol: rtol * 1e-3 });
      integrate(integrator, [...y0], end);
      expect(integrator.stats.switchedToStiffAt).toBeNull();
      expect(integrator.stats.jacobianCalls).toBe(0);
    }
  });
});
