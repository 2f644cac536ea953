/**
 * Security issue #13, bounded work: every trajectory has an event budget, and
 * a rate that turns infinite or NaN at run time stops the simulation with an
 * error naming the reaction, instead of spinning at 100% CPU.
 *
 * The models: X -> 2X at rate k·X grows exponentially, so an exact
 * simulation to t = 100 from X = 100 needs about 100·e^100 events; a
 * propensity of 1e300·X makes every waiting time about 1e-300, so the clock
 * barely moves; exp(X) overflows to Infinity once X reaches 710. Each must
 * stop well within a few seconds (the budgets below are small on purpose).
 */
import { describe, expect, it } from 'vitest';
import { prepareJob, runTrial } from '../../../engine/compute/runTrial';
import type { SimulationJob } from '../../../engine/compute/executor';
import { EngineError, SimulationBudgetError, SimulationError, SimulationFailedError, SimulationSettingsError } from '../../../engine/errors';
import { compileNetwork, validateModel, type ReactionNetworkInput } from '../../../engine/model';
import { deriveStreamState } from '../../../engine/sample';
import { createSimulator, DEFAULT_MAX_EVENTS, simulateEnsemble, uniformTimeGrid, type SimulationMethod } from '../../../engine/simulate';

/** Each test must end within a few seconds: the budgets are small, and a spinning simulation would time out. */
const FEW_SECONDS = { timeout: 5000 };
const METHODS: SimulationMethod[] = ['ssa', 'tau', 'ode'];

const explosive: ReactionNetworkInput = {
  name: 'explosive',
  species: [{ id: 'X', initial: 100 }],
  parameters: [{ id: 'k', value: 1 }],
  reactions: [{ id: 'double', reactants: { X: 1 }, products: { X: 2 }, rate: 'k' }],
  time: { end: 100, points: 11 },
};

/** The error `run` throws (fails the test if it returns). */
function errorOf(run: () => unknown): EngineError {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(EngineError);
    return error as EngineError;
  }
  throw new Error('expected the simulation to fail');
}

function simulate(model: ReactionNetworkInput, method: SimulationMethod, options: { maxEvents?: number; parameters?: number[]; end?: number } = {}) {
  const simulator = createSimulator(compileNetwork(validateModel(model)), method, { maxEvents: options.maxEvents });
  const parameters = options.parameters ? Float64Array.from(options.parameters) : simulator.defaultParameters;
  return simulateEnsemble(simulator, { runs: 1, seed: 3, grid: uniformTimeGrid(options.end ?? 100, 11), parameters });
}

describe('the event budget', FEW_SECONDS, () => {
  it.each([
    ['ssa', 100_000, 'ssa: more than 100000 events before t=100'],
    ['tau', 1000, 'tau-leaping: more than 1000 leaps and SSA steps before t=100'],
    ['ode', 100, 'ode: more than 100 steps before t=100'],
  ] as const)('%s: an explosive model stops with EVENT_BUDGET, naming the budget, the time reached and why', (method, budget, start) => {
    const started = performance.now();
    const error = errorOf(() => simulate(explosive, method, { maxEvents: budget }));
    expect(performance.now() - started).toBeLessThan(3000);
    expect(error).toBeInstanceOf(SimulationBudgetError);
    expect(error).toBeInstanceOf(SimulationError);
    expect(error.code).toBe('EVENT_BUDGET');
    expect(error.message.startsWith(start)).toBe(true);
    expect(error.message).toMatch(/stopped at t=\d/);
    expect(error.message).toContain('the model may be explosive (a rate grows without bound)');
    expect(error.message).toContain('raise maxEvents');
    const { time } = error as SimulationBudgetError;
    expect(time > 0 && time < 100).toBe(true);
    expect(error.details).toEqual({ method: error.details.method, budget, time, end: 100, setting: 'maxEvents' });
  });

  it('a clock that barely moves (waiting times of 1e-300) stops at the budget instead of spinning', () => {
    const stalled: ReactionNetworkInput = {
      species: [
        { id: 'X', initial: 1 },
        { id: 'Y', initial: 0 },
      ],
      parameters: [{ id: 'k', value: 1e300 }],
      reactions: [{ id: 'make', reactants: { X: 1 }, products: { X: 1, Y: 1 }, propensity: 'k*X' }],
    };
    const error = errorOf(() => simulate(stalled, 'ssa', { maxEvents: 100_000, end: 1 }));
    expect(error.code).toBe('EVENT_BUDGET');
    expect((error as SimulationBudgetError).time).toBeLessThan(1e-290);
  });

  it('the budget is per trajectory: a model that needs fewer events is not affected, with the same numbers', () => {
    const decay: ReactionNetworkInput = { species: [{ id: 'X', initial: 50 }], reactions: [{ id: 'decay', reactants: { X: 1 }, rate: 1 }] };
    // 50 molecules decay in exactly 50 events per trajectory: a budget of 50 is enough, 49 is not.
    const enough = simulate(decay, 'ssa', { maxEvents: 50 });
    expect(enough.events).toBe(50);
    expect(simulate(decay, 'ssa').data).toEqual(enough.data);
    expect(errorOf(() => simulate(decay, 'ssa', { maxEvents: 49 })).code).toBe('EVENT_BUDGET');
  });

  it('defaults: 1e9 events (ssa), 1e9 leaps and steps (tau), 1e6 steps (ode)', () => {
    expect(DEFAULT_MAX_EVENTS).toEqual({ ssa: 1e9, tau: 1e9, ode: 1e6, hybrid: 1e9 });
    const network = compileNetwork(validateModel(explosive));
    for (const method of METHODS) expect((createSimulator(network, method) as unknown as { maxEvents: number }).maxEvents).toBe(DEFAULT_MAX_EVENTS[method]);
  });

  it.each([0, -1, 1.5, Number.NaN, Infinity])('maxEvents %s is refused as a setting', (maxEvents) => {
    const network = compileNetwork(validateModel(explosive));
    for (const method of METHODS) {
      expect(() => createSimulator(network, method, { maxEvents })).toThrow(SimulationSettingsError);
      expect(() => createSimulator(network, method, { maxEvents })).toThrow(`${method} option maxEvents: expected an integer >= 1, got ${maxEvents}`);
    }
  });
});

describe('SimulationJob.maxEvents', FEW_SECONDS, () => {
  const job = (method: SimulationMethod, maxEvents?: number): SimulationJob => ({
    model: explosive,
    method,
    time: [0, 50, 100],
    parameterIds: ['k'],
    runsPerTrial: 2,
    statistics: null,
    returnTrajectories: true,
    seed: 1,
    ...(maxEvents === undefined ? {} : { maxEvents }),
  });
  const trial = { index: 0, parameters: Float64Array.of(1), stream: [0] };

  it.each([
    ['ssa', 500],
    ['tau', 50],
    ['ode', 20],
  ] as const)('%s: runTrial honours the job budget (%d)', (method, budget) => {
    const error = errorOf(() => runTrial(job(method, budget), trial));
    expect(error.code).toBe('EVENT_BUDGET');
    expect(error.message).toContain(`more than ${budget} `);
  });

  it('a job without maxEvents gets the default budget; a bad one is a settings error naming the field', () => {
    for (const method of METHODS) expect((prepareJob(job(method)).simulator as unknown as { maxEvents: number }).maxEvents).toBe(DEFAULT_MAX_EVENTS[method]);
    expect(() => prepareJob(job('ssa', 0))).toThrow('maxEvents: expected an integer >= 1, got 0');
  });

  it('a trial that fits its budget returns the same trajectories as without a budget', () => {
    const small = { ...job('ssa'), model: { ...explosive, time: undefined }, time: [0, 0.5, 1] };
    const free = runTrial(small, trial);
    const bounded = runTrial({ ...small, maxEvents: free.events }, trial);
    expect(bounded.trajectories).toEqual(free.trajectories);
  });
});

describe('rates that are not finite at run time', FEW_SECONDS, () => {
  const growth = (propensity: string, initial = 10): ReactionNetworkInput => ({
    species: [{ id: 'X', initial }],
    parameters: [{ id: 'k', value: 1 }],
    reactions: [{ id: 'grow', reactants: { X: 1 }, products: { X: 2 }, propensity }],
  });

  function expectRateNotFinite(error: EngineError, what: 'propensity' | 'rate constant', value: string) {
    expect(error).toBeInstanceOf(SimulationError);
    expect(error.code).toBe('RATE_NOT_FINITE');
    expect(error.message).toMatch(new RegExp(`^reaction grow: ${what} is ${value} at t=`));
    expect(error.details).toMatchObject({ reaction: 'grow', what, value });
  }

  it.each(METHODS)('%s: a parameter override that makes a propensity infinite stops at once, naming the reaction', (method) => {
    // k·X with k = 1e308 and X = 10 overflows to Infinity (validation cannot know the value a trial will use).
    expectRateNotFinite(
      errorOf(() => simulate(growth('k*X'), method, { parameters: [1e308] })),
      'propensity',
      'Infinity',
    );
    expectRateNotFinite(
      errorOf(() => simulate(growth('k*X'), method, { parameters: [Number.NaN] })),
      'propensity',
      'NaN',
    );
  });

  it.each(METHODS)('%s: an infinite or NaN mass-action rate constant stops at once, naming the reaction', (method) => {
    const model: ReactionNetworkInput = { ...explosive, reactions: [{ id: 'grow', reactants: { X: 1 }, products: { X: 2 }, rate: 'k' }] };
    expectRateNotFinite(
      errorOf(() => simulate(model, method, { parameters: [Infinity] })),
      'rate constant',
      'Infinity',
    );
    expectRateNotFinite(
      errorOf(() => simulate(model, method, { parameters: [Number.NaN] })),
      'rate constant',
      'NaN',
    );
  });

  it.each(['ssa', 'tau'] as const)('%s: a propensity that overflows during the run (exp(X) once X reaches 710) stops there', (method) => {
    const error = errorOf(() => simulate(growth('exp(X)', 1), method));
    expectRateNotFinite(error, 'propensity', 'Infinity');
  });

  it('ode: a rate that blows up in finite time stops with a clear engine error at the blow-up time, not a hang', () => {
    // dX/dt = exp(X) from X = 1 reaches infinity at t = e^-1 (e^-X = e^-1 - t); the steps shrink to nothing there.
    const error = errorOf(() => simulate(growth('exp(X)', 1), 'ode'));
    expect(error.code).toBe('SIMULATION_STEP_UNDERFLOW');
    expect(error.details.time as number).toBeCloseTo(Math.exp(-1), 6);
  });

  it('ssa: a propensity that turns NaN between output times names the reaction', () => {
    const model: ReactionNetworkInput = { species: [{ id: 'X', initial: 0 }], reactions: [{ id: 'grow', products: { X: 1 }, propensity: 'sqrt(2.5 - X)' }] };
    expectRateNotFinite(
      errorOf(() => simulate(model, 'ssa', { end: 1000 })),
      'propensity',
      'NaN',
    );
  });

  it('ssa: finite propensities whose sum overflows stop with RATE_NOT_FINITE', () => {
    const model: ReactionNetworkInput = {
      species: [{ id: 'X', initial: 1 }],
      parameters: [{ id: 'k', value: 1e308 }],
      reactions: [
        { id: 'a', reactants: { X: 1 }, products: { X: 1 }, propensity: 'k*X' },
        { id: 'b', reactants: { X: 1 }, products: { X: 1 }, propensity: 'k*X' },
      ],
    };
    const error = errorOf(() => simulate(model, 'ssa'));
    expect(error.code).toBe('RATE_NOT_FINITE');
    expect(error.message).toMatch(/^the total propensity is Infinity at t=0: the propensities are too large to add up/);
  });

  it('a negative propensity is a SimulationFailedError (SIMULATION_FAILED, not a budget or finiteness error)', () => {
    const model: ReactionNetworkInput = { species: [{ id: 'X', initial: 5 }], reactions: [{ id: 'burst', reactants: { X: 1 }, propensity: '-X' }] };
    expect(() => simulate(model, 'ssa')).toThrow(SimulationFailedError);
    const simulator = createSimulator(compileNetwork(validateModel(model)), 'tau');
    const error = errorOf(() => simulator.simulateInto(new Float64Array(2), Float64Array.of(0, 1), simulator.defaultParameters, deriveStreamState(1, 0)));
    expect(error).toBeInstanceOf(SimulationFailedError);
    expect(error).toMatchObject({ code: 'SIMULATION_FAILED', details: { reason: 'negative-rate', reaction: 'burst', value: -5 } });
    expect(error.message).toMatch(/reaction burst: propensity is -5/);
  });
});
