import { describe, expect, it } from 'vitest';
import { SimulationBudgetError } from '../../../../engine/errors';
import { createIntegrator } from '../../../../engine/simulate/ode/createIntegrator';
import { integrate, maxRelativeError, ROBERTSON_1E5, robertson, rotation } from './testProblems';

describe('method auto', () => {
  it("switches to RODAS4 early on Robertson's problem and stays accurate", () => {
    const integrator = createIntegrator(robertson(false), 'auto', { rtol: 1e-8, atol: new Float64Array([1e-14, 1e-18, 1e-14]) });
    const y = integrate(integrator, [1, 0, 0], 1e5);
    const { switchedToStiffAt, accepted, jacobianCalls } = integrator.stats;
    // The problem turns stiff within t ~ 1e-2 (|λ| ~ 1e4 while y2 settles); measured switch at t = 0.03.
    expect(switchedToStiffAt).not.toBeNull();
    expect(switchedToStiffAt!).toBeLessThan(0.1);
    expect(jacobianCalls).toBeGreaterThan(0);
    // Measured 690 steps in all; explicit alone would need ~1e8.
    expect(accepted).toBeLessThan(2000);
    expect(maxRelativeError(y, ROBERTSON_1E5)).toBeLessThan(1e-6);
  });

  it('stays stiff after reset (the next trajectory segment starts with RODAS4)', () => {
    const integrator = createIntegrator(robertson(false), 'auto', { rtol: 1e-6, atol: 1e-12 });
    integrate(integrator, [1, 0, 0], 10);
    const switchedAt = integrator.stats.switchedToStiffAt;
    const jacobians = integrator.stats.jacobianCalls;
    integrator.reset(10, Float64Array.from(integrator.y));
    integrator.step(20);
    expect(integrator.stats.switchedToStiffAt).toBe(switchedAt);
    expect(integrator.stats.jacobianCalls).toBe(jacobians + 1);
  });

  it('does not switch on a non-stiff problem and then matches nonstiff exactly', () => {
    const auto = createIntegrator(rotation, 'auto', { rtol: 1e-7, atol: 1e-9 });
    const explicit = createIntegrator(rotation, 'nonstiff', { rtol: 1e-7, atol: 1e-9 });
    const a = integrate(auto, [1, 0], 50);
    const b = integrate(explicit, [1, 0], 50);
    expect(auto.stats.switchedToStiffAt).toBeNull();
    expect(Array.from(a)).toEqual(Array.from(b));
    expect(auto.stats.accepted).toBe(explicit.stats.accepted);
  });

  it('interpolates across the switch: each step is interpolated by the method that took it', () => {
    const integrator = createIntegrator(robertson(true), 'auto', { rtol: 1e-8, atol: new Float64Array([1e-14, 1e-18, 1e-14]) });
    integrator.reset(0, new Float64Array([1, 0, 0]));
    const out = new Float64Array(3);
    while (integrator.t < 1) {
      integrator.step(1);
      integrator.interpolate(integrator.t, out);
      // θ = 1 reproduces the step's end point (up to rounding in the dense formula).
      for (let i = 0; i < 3; i++) expect(Math.abs(out[i] - integrator.y[i])).toBeLessThanOrEqual(1e-12 * Math.max(1e-6, Math.abs(integrator.y[i])));
      integrator.interpolate(integrator.tPrevious + 0.5 * (integrator.t - integrator.tPrevious), out);
      expect(out[0] + out[1] + out[2]).toBeCloseTo(1, 10);
    }
    expect(integrator.stats.switchedToStiffAt).not.toBeNull();
  });

  it('counts the steps of both methods against maxSteps', () => {
    // About 80 explicit steps come before the switch at this tolerance, so a budget of 150 runs out in the RODAS4 phase.
    const integrator = createIntegrator(robertson(false), 'auto', { rtol: 1e-8, atol: new Float64Array([1e-14, 1e-18, 1e-14]), maxSteps: 150 });
    expect(() => integrate(integrator, [1, 0, 0], 1e5)).toThrow(SimulationBudgetError);
    expect(integrator.stats.switchedToStiffAt).not.toBeNull();
    expect(integrator.stats.accepted + integrator.stats.rejected).toBe(150);
  });
});
