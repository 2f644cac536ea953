import { describe, expect, it } from 'vitest';
import { SimulationBudgetError, SimulationError, SimulationSettingsError } from '../../../../engine/errors/index.js';
import { reactionNetworkSchema, type ReactionNetworkInput } from '../../../../engine/model/index.js';
import { simulateGeneral } from '../../../../engine/simulate/general/index.js';

/** Refusals name the construct (rule, reaction, event, variable) and, at run time, the time. */
const model = (input: ReactionNetworkInput) => reactionNetworkSchema.parse(input);
const grid = Float64Array.from([0, 1, 2]);

function failure(run: () => unknown): Error {
  try {
    run();
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected the simulation to fail');
}

describe('simulateGeneral: refusals', () => {
  it('names the cycle of initial assignments that depend on each other', () => {
    const m = model({
      species: [],
      parameters: [
        { id: 'a', value: 0 },
        { id: 'b', value: 0 },
      ],
      reactions: [],
      rules: [{ type: 'rate', variable: 'a', expression: '1' }],
      initialAssignments: [
        { variable: 'a', expression: 'b + 1' },
        { variable: 'b', expression: 'a * 2' },
      ],
    });
    const error = failure(() => simulateGeneral(m, grid));
    expect(error).toBeInstanceOf(SimulationError);
    expect(error.message).toMatch(/cycle: (a -> b -> a|b -> a -> b)/);
  });

  it('names an algebraic rule that determines no variable', () => {
    const m = model({
      species: [{ id: 'A', initial: 1 }],
      parameters: [{ id: 'k', value: 1, constant: true }],
      reactions: [{ id: 'decay', reactants: { A: 1 }, propensity: 'k * A' }],
      rules: [{ type: 'algebraic', expression: 'A + k - 3' }],
    });
    const error = failure(() => simulateGeneral(m, grid));
    expect(error).toBeInstanceOf(SimulationError);
    expect(error.message).toContain('algebraic rule 1 (0 = A + k - 3) determines no variable');
  });

  it('names an algebraic rule without a solution (Newton cannot converge)', () => {
    // 0 = x² + 1 has no real root.
    const m = model({
      species: [],
      parameters: [{ id: 'x', value: 1, constant: false }],
      reactions: [],
      rules: [{ type: 'algebraic', expression: 'x^2 + 1' }],
    });
    const error = failure(() => simulateGeneral(m, grid));
    expect(error).toBeInstanceOf(SimulationError);
    expect(error.message).toContain('algebraic rule 1 (0 = x^2 + 1)');
  });

  it('names the reaction whose rate blows up, with the time', () => {
    // The rate 1/(1 - t) blows up at t = 1: the step size underflows just before.
    const m = model({
      species: [{ id: 'X', initial: 0 }],
      reactions: [{ id: 'blowup', products: { X: 1 }, propensity: '1 / (1 - t)' }],
    });
    const error = failure(() => simulateGeneral(m, grid, { method: 'nonstiff' }));
    expect(error).toBeInstanceOf(SimulationError);
    expect(error.message).toMatch(/step size underflow at t=0\.99.*the largest rate there is reaction blowup's/);
  });

  it('names the reaction whose rate is not finite at the start', () => {
    const m = model({
      species: [{ id: 'X', initial: 0 }],
      reactions: [{ id: 'logarithmic', products: { X: 1 }, propensity: 'log(X)' }],
    });
    const error = failure(() => simulateGeneral(m, grid));
    expect(error).toBeInstanceOf(SimulationError);
    expect(error.message).toBe('reaction logarithmic: the rate (kinetic law) is -Infinity at t=0');
  });

  it('names an event that assigns a value that is not finite', () => {
    const m = model({
      species: [],
      parameters: [{ id: 'x', value: 0, constant: false }],
      reactions: [],
      events: [{ id: 'bad', trigger: 't >= 1', assignments: { x: 'log(x)' } }],
    });
    const error = failure(() => simulateGeneral(m, grid));
    expect(error.message).toBe('event bad: assigns x the value -Infinity at t=1');
  });

  it('stops at maxSteps and at an aborted signal instead of running on', () => {
    const stiff = model({
      species: [{ id: 'X', initial: 1 }],
      reactions: [{ id: 'fast', reactants: { X: 1 }, propensity: '1e6 * X' }],
    });
    expect(failure(() => simulateGeneral(stiff, Float64Array.from([0, 100]), { method: 'nonstiff', maxSteps: 1000 }))).toBeInstanceOf(SimulationBudgetError);
    const controller = new AbortController();
    controller.abort();
    expect(failure(() => simulateGeneral(stiff, grid, { signal: controller.signal })).name).toBe('AbortError');
  });

  it('refuses output times before t0 and overrides of rule-determined variables', () => {
    const m = model({
      species: [],
      parameters: [{ id: 'x', value: 0, constant: false }],
      reactions: [],
      rules: [{ variable: 'x', expression: 't' }],
    });
    expect(failure(() => simulateGeneral(m, Float64Array.from([-1, 0])))).toBeInstanceOf(SimulationSettingsError);
    expect(failure(() => simulateGeneral(m, grid, { overrides: new Map([['x', 2]]) })).message).toContain('overrides.x');
  });
});
