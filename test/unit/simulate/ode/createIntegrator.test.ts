import { describe, expect, it } from 'vitest';
import { SimulationBudgetError, SimulationError, SimulationSettingsError } from '../../../../engine/errors';
import { createIntegrator } from '../../../../engine/simulate/ode/createIntegrator';
import type { IntegratorMethod, OdeSystem } from '../../../../engine/simulate/ode/integrator';
import { robertson, rotation } from './testProblems';

const METHODS: IntegratorMethod[] = ['auto', 'stiff', 'nonstiff'];

describe.each(METHODS)('createIntegrator(system, %s): the OdeIntegrator contract', (method) => {
  it('steps forward one accepted step at a time and ends exactly at tMax', () => {
    const integrator = createIntegrator(rotation, method, { rtol: 1e-6 });
    integrator.reset(2, new Float64Array([1, 0]));
    expect(integrator.t).toBe(2);
    let steps = 0;
    while (integrator.t < 3.7) {
      const before = integrator.t;
      const t = integrator.step(3.7);
      expect(t).toBe(integrator.t);
      expect(integrator.tPrevious).toBe(before);
      expect(t).toBeGreaterThan(before);
      expect(t).toBeLessThanOrEqual(3.7);
      steps++;
    }
    expect(integrator.t).toBe(3.7);
    expect(steps).toBeGreaterThan(3);
    expect(integrator.stats.accepted).toBe(steps);
    // A tMax at or before t is no step at all.
    expect(integrator.step(3.7)).toBe(3.7);
    expect(integrator.step(1)).toBe(3.7);
    expect(integrator.stats.accepted).toBe(steps);
  });

  it('interpolates the step end points exactly enough and counts the work', () => {
    const integrator = createIntegrator(rotation, method);
    integrator.reset(0, new Float64Array([1, 0]));
    const y0 = Float64Array.from(integrator.y);
    integrator.step(1);
    const out = new Float64Array(2);
    integrator.interpolate(integrator.tPrevious, out);
    expect(Math.abs(out[0] - y0[0]) + Math.abs(out[1] - y0[1])).toBeLessThan(1e-15);
    integrator.interpolate(integrator.t, out);
    expect(Math.abs(out[0] - integrator.y[0]) + Math.abs(out[1] - integrator.y[1])).toBeLessThan(1e-15);
    expect(integrator.stats.derivativeCalls).toBeGreaterThan(0);
  });

  it('throws SimulationBudgetError after maxSteps attempted steps', () => {
    const integrator = createIntegrator(rotation, method, { maxSteps: 5, rtol: 1e-10 });
    integrator.reset(0, new Float64Array([1, 0]));
    expect(() => {
      while (integrator.t < 100) integrator.step(100);
    }).toThrow(SimulationBudgetError);
    expect(integrator.stats.accepted + integrator.stats.rejected).toBe(5);
  });

  it('respects maxStep', () => {
    const integrator = createIntegrator(rotation, method, { maxStep: 0.01, rtol: 1e-3 });
    integrator.reset(0, new Float64Array([1, 0]));
    while (integrator.t < 1) {
      integrator.step(1);
      expect(integrator.t - integrator.tPrevious).toBeLessThanOrEqual(0.01 + 1e-15);
    }
  });

  it('refuses a derivative that is not finite at the current point, naming the component', () => {
    const broken: OdeSystem = {
      size: 2,
      derivative(_t, y, dydt) {
        dydt[0] = 1;
        dydt[1] = Math.log(y[1]); // NaN below 0, -Infinity at 0
      },
    };
    const integrator = createIntegrator(broken, method);
    expect(() => integrator.reset(0, new Float64Array([1, 0]))).toThrow(SimulationError);
    try {
      integrator.reset(0, new Float64Array([1, 0]));
    } catch (error) {
      expect((error as SimulationError).code).toBe('DERIVATIVE_NOT_FINITE');
      expect((error as SimulationError).details).toMatchObject({ component: 1, time: 0 });
    }
  });

  it('shrinks the step past a region where f is not finite instead of accepting NaN', () => {
    // f is finite at y >= 0 only; y' = -1 reaches y = 0 at t = 1, after which the true solution leaves the domain.
    const edge: OdeSystem = {
      size: 1,
      derivative(_t, y, dydt) {
        dydt[0] = -1 + 0 * Math.sqrt(y[0]);
      },
    };
    const integrator = createIntegrator(edge, method, { rtol: 1e-6 });
    integrator.reset(0, new Float64Array([0.5]));
    expect(() => {
      while (integrator.t < 5) integrator.step(5);
    }).toThrow(SimulationError);
    expect(integrator.t).toBeLessThanOrEqual(0.5);
    expect(integrator.y[0]).toBeGreaterThanOrEqual(0);
  });
});

describe('createIntegrator settings', () => {
  it.each([
    [{ rtol: 0 }, 'rtol'],
    [{ rtol: 1 }, 'rtol'],
    [{ atol: -1 }, 'atol'],
    [{ atol: new Float64Array([1e-9]) }, 'atol'],
    [{ atol: new Float64Array([1e-9, 1e-9, NaN]) }, 'atol'],
    [{ maxStep: 0 }, 'maxStep'],
    [{ maxSteps: 1.5 }, 'maxSteps'],
  ])('refuses %o (field %s)', (options, field) => {
    expect(() => createIntegrator(robertson(false), 'auto', options)).toThrow(SimulationSettingsError);
    try {
      createIntegrator(robertson(false), 'auto', options);
    } catch (error) {
      expect((error as SimulationSettingsError).details).toEqual({ field });
    }
  });

  it('refuses an unknown method', () => {
    expect(() => createIntegrator(rotation, 'bdf' as IntegratorMethod)).toThrow(SimulationSettingsError);
  });

  it('takes one absolute tolerance per component', () => {
    const loose = createIntegrator(robertson(false), 'stiff', { rtol: 1e-6, atol: new Float64Array([1e-6, 1e-6, 1e-6]) });
    const tight = createIntegrator(robertson(false), 'stiff', { rtol: 1e-6, atol: new Float64Array([1e-6, 1e-14, 1e-6]) });
    for (const integrator of [loose, tight]) {
      integrator.reset(0, new Float64Array([1, 0, 0]));
      while (integrator.t < 1) integrator.step(1);
    }
    // y2 ~ 3e-5: an absolute tolerance of 1e-6 on it lets the step grow, 1e-14 does not.
    expect(tight.stats.accepted).toBeGreaterThan(loose.stats.accepted);
  });
});
