import { describe, expect, it } from 'vitest';
import { toWireError } from '../../../engine/api/wire.js';
import { prepareJob } from '../../../engine/compute/runTrial.js';
import type { SimulationJob } from '../../../engine/compute/executor.js';
import { fromThreadFailure, isDeterministicFailure, toThreadFailure } from '../../../engine/compute/pool/threadFailure.js';
import { asSimulationFailure, EngineError, SimulationError, SimulationFailedError, SimulationSettingsError } from '../../../engine/errors/index.js';
import { compileNetwork, validateModel, type ReactionNetworkInput } from '../../../engine/model/index.js';
import { createSimulator, simulateEnsemble, uniformTimeGrid, type SimulationMethod } from '../../../engine/simulate/index.js';

/**
 * A simulation the model makes fail at run time is a SimulationFailedError
 * (code SIMULATION_FAILED, a reason, the reaction/species/event named) from
 * every simulator; bad settings stay configuration errors. The models fail
 * deterministically (a constant assignment, an initial value, two events
 * that re-trigger each other), so one seed suffices.
 */

function failure(model: ReactionNetworkInput, method: SimulationMethod): EngineError {
  const simulator = createSimulator(compileNetwork(validateModel(model)), method);
  try {
    simulateEnsemble(simulator, { runs: 1, seed: 1, grid: uniformTimeGrid(5, 6) });
  } catch (error) {
    return error as EngineError;
  }
  throw new Error(`${model.name} (${method}) did not fail`);
}

const halving: ReactionNetworkInput = {
  name: 'halving',
  species: [{ id: 'X', initial: 3 }],
  reactions: [{ id: 'birth', products: { X: 1 }, rate: 1e-6 }],
  events: [{ id: 'halve', trigger: 't >= 1', assignments: { X: 'X / 2' } }],
};
const halfMolecule: ReactionNetworkInput = {
  name: 'half a molecule',
  species: [{ id: 'X', initial: 'k / 2' }],
  parameters: [{ id: 'k', value: 3 }],
  reactions: [{ id: 'birth', products: { X: 1 }, rate: 1 }],
};
const pingPong: ReactionNetworkInput = {
  name: 'ping-pong',
  species: [{ id: 'X', initial: 0 }],
  reactions: [{ id: 'birth', products: { X: 1 }, rate: 1 }],
  events: [
    { id: 'up', trigger: 'X < 1', assignments: { X: 1 } },
    { id: 'down', trigger: 'X >= 1', assignments: { X: 0 } },
  ],
};
const negative: ReactionNetworkInput = {
  name: 'negative',
  species: [{ id: 'X', initial: 5 }],
  reactions: [{ id: 'burst', reactants: { X: 1 }, propensity: '-X' }],
};

describe('SimulationFailedError from the simulators', () => {
  it.each(['ssa', 'tau'] as const)('%s: an event assigning half a molecule names the event, the value and the time', (method) => {
    const error = failure(halving, method);
    expect(error).toBeInstanceOf(SimulationFailedError);
    expect(error).toMatchObject({ code: 'SIMULATION_FAILED', runFailed: true, details: { reason: 'event-assignment', event: 'halve', value: '1.5', time: 1 } });
    expect(error.message).toBe('event halve: assigns X the value 1.5 at t=1; expected a non-negative integer count');
  });

  it.each(['ssa', 'tau'] as const)('%s: an initial assignment that is not a count names the species', (method) => {
    const error = failure(halfMolecule, method);
    expect(error).toMatchObject({ name: 'SimulationFailedError', code: 'SIMULATION_FAILED', details: { reason: 'initial-value', species: 'X', value: '1.5' } });
  });

  it.each(['ssa', 'tau', 'hybrid'] as const)('%s: events that keep triggering each other stop after 1000 rounds', (method) => {
    const error = failure(pingPong, method);
    expect(error).toBeInstanceOf(SimulationFailedError);
    expect((error as SimulationFailedError).reason).toBe('event-loop');
    expect(error.message).toMatch(/^events keep triggering each other at t=[\d.]+ \(more than 1000 rounds\)$/);
  });

  it.each(['ssa', 'tau', 'hybrid'] as const)('%s: a negative propensity is SIMULATION_FAILED (negative-rate), named', (method) => {
    const error = failure(negative, method);
    expect(error).toBeInstanceOf(SimulationFailedError);
    expect(error.code).toBe('SIMULATION_FAILED');
    expect(error.message).toMatch(/burst/);
  });

  it('a worker trial fails with the same class, and it crosses threads as one (not retried)', () => {
    const job: SimulationJob = {
      model: halving,
      method: 'ssa',
      time: [0, 1, 2],
      parameterIds: [],
      runsPerTrial: 1,
      statistics: null,
      returnTrajectories: true,
      seed: 1,
    };
    let thrown: unknown;
    try {
      prepareJob(job).run({ index: 0, parameters: new Float64Array(0), stream: [0] });
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(SimulationFailedError);
    const crossed = toThreadFailure(thrown);
    expect(isDeterministicFailure(crossed)).toBe(true);
    const revived = fromThreadFailure(crossed);
    expect(revived).toBeInstanceOf(SimulationFailedError);
    expect(revived).toMatchObject({ name: 'SimulationFailedError', reason: 'event-assignment', runFailed: true });
  });

  it('asSimulationFailure turns a RangeError of a running trajectory into SIMULATION_FAILED and leaves other errors alone', () => {
    const wrapped = asSimulationFailure(new RangeError('total propensity is -1 at t=0'));
    expect(wrapped).toBeInstanceOf(SimulationFailedError);
    expect(wrapped).toMatchObject({ message: 'total propensity is -1 at t=0', reason: 'run-time' });
    const settings = new SimulationSettingsError('points', 'expected an integer >= 2');
    expect(asSimulationFailure(settings)).toBe(settings);
  });
});

describe('toWireError: the code follows the class', () => {
  it('a simulation failure is SIMULATION_FAILED with its details; the specific failures keep their codes', () => {
    expect(toWireError(failure(negative, 'tau'))).toMatchObject({
      name: 'SimulationFailedError',
      code: 'SIMULATION_FAILED',
      details: { reason: 'negative-rate', reaction: 'burst' },
    });
    expect(toWireError(new SimulationError('RATE_NOT_FINITE', 'reaction r: propensity is NaN'))).toMatchObject({ code: 'RATE_NOT_FINITE' });
  });

  it('configuration errors are not SIMULATION_FAILED', () => {
    expect(toWireError(new SimulationSettingsError('runs', 'expected an integer >= 1, got 0'))).toMatchObject({
      name: 'SimulationSettingsError',
      code: 'SIMULATION_SETTINGS',
    });
    // A bare RangeError is a value out of range that no schema caught, not a failed simulation.
    expect(toWireError(new RangeError('truncated normal prior: [5, 6] holds no mass'))).toEqual({
      name: 'RangeError',
      code: 'OUT_OF_RANGE',
      message: 'truncated normal prior: [5, 6] holds no mass',
      details: {},
    });
  });

  it('a cancellation is CANCELLED and anything else INTERNAL', () => {
    expect(toWireError(new DOMException('This operation was aborted', 'AbortError'))).toMatchObject({ code: 'CANCELLED' });
    expect(toWireError(new TypeError('x is undefined'))).toMatchObject({ name: 'InternalError', code: 'INTERNAL' });
  });
});
