/**
 * The generated direct method runs a trajectory as a series of calls of
 * `advance` (at most EVENTS_PER_CALL events each, and ending after each
 * recorded output time), keeping every local in a state array between calls
 * (see directMethodSource). Where the calls split the run must change
 * nothing: trajectories, event counts and the generator's final state are
 * the same bit for bit whether a call may fire 1, 7, 64 or a billion events,
 * for models with rules, state events, time events and parameter changes.
 */
import { describe, expect, it } from 'vitest';
import { compileNetwork, getExample, validateModel, type ReactionNetworkInput } from '../../../engine/model';
import { deriveStreamState } from '../../../engine/sample/random/seedDerivation';
import { DirectMethod } from '../../../engine/simulate/ssa/DirectMethod';
import { EVENTS_PER_CALL } from '../../../engine/simulate/ssa/directMethodSource';
import { uniformTimeGrid } from '../../../engine/simulate/timeGrid';

const dimerisationWithReset: ReactionNetworkInput = {
  name: 'dimerisation-reset',
  species: [
    { id: 'P', initial: 100 },
    { id: 'P2', initial: 0 },
    { id: 'R', initial: 0 },
  ],
  parameters: [
    { id: 'k1', value: 0.001 },
    { id: 'k2', value: 0.01 },
  ],
  reactions: [
    { id: 'dimerisation', reactants: { P: 2 }, products: { P2: 1 }, rate: 'k1/2' },
    { id: 'dissociation', reactants: { P2: 1 }, products: { P: 2 }, rate: 'k2' },
  ],
  // A state event (resets, counted in R) and a time event changing a rate constant.
  events: [
    { id: 'reset', trigger: 'P2 > 30', assignments: { P: 100, P2: 0, R: 'R + 1' } },
    { id: 'faster', trigger: 't >= 20', assignments: { k1: 0.002 } },
  ],
  time: { end: 50, points: 51 },
};

const immigrationDeathWithTimedReset: ReactionNetworkInput = {
  name: 'immigration-death-reset',
  species: [{ id: 'X', initial: 0 }],
  parameters: [
    { id: 'alpha', value: 100 },
    { id: 'mu', value: 0.1 },
  ],
  reactions: [
    { id: 'immigration', products: { X: 1 }, rate: 'alpha' },
    { id: 'death', reactants: { X: 1 }, rate: 'mu' },
  ],
  // A strict trigger exactly at an output time: recorded before the event fires.
  events: [{ id: 'reset', trigger: 't > 25', assignments: { X: 2000 } }],
  time: { end: 50, points: 11 },
};

function run(model: ReactionNetworkInput, eventsPerCall: number, runs: number) {
  const network = compileNetwork(validateModel(model));
  const simulator = new DirectMethod(network, { eventsPerCall });
  const grid = uniformTimeGrid(model.time!.end, model.time!.points);
  const out = new Float64Array(runs * grid.length * network.speciesIds.length);
  const events: number[] = [];
  const finalStreams: number[] = [];
  for (let r = 0; r < runs; r++) {
    const rng = deriveStreamState(99, r);
    const view = out.subarray(r * grid.length * network.speciesIds.length, (r + 1) * grid.length * network.speciesIds.length);
    events.push(simulator.simulateInto(view, grid, network.parameterValues, rng));
    finalStreams.push(...rng);
  }
  return { out, events, finalStreams };
}

describe('direct method: splitting a trajectory into calls changes nothing', () => {
  it('the default is a small cap (long calls let V8 keep slower on-stack-replacement code)', () => {
    expect(EVENTS_PER_CALL).toBeGreaterThanOrEqual(16);
    expect(EVENTS_PER_CALL).toBeLessThanOrEqual(256);
  });

  it.each([
    ['dimerisation with a state and a time event', dimerisationWithReset, 20],
    ['immigration-death with a strict time event', immigrationDeathWithTimedReset, 20],
    ['toggle-switch', getExample('toggle-switch')!, 20],
    ['vilar', getExample('vilar')!, 1],
  ] as const)('%s: identical for 1, 7, 64 and 1e9 events per call', (_name, model, runs) => {
    const reference = run(model, 1e9, runs);
    expect(reference.events.every((e) => e > 0)).toBe(true);
    for (const cap of [1, 7, 64]) {
      const split = run(model, cap, runs);
      expect(Buffer.compare(Buffer.from(split.out.buffer), Buffer.from(reference.out.buffer)), `${cap} events per call`).toBe(0);
      expect(split.events).toEqual(reference.events);
      expect(split.finalStreams).toEqual(reference.finalStreams);
    }
  });

  it('the events really fired (the models exercise what the state array carries)', () => {
    const { out } = run(dimerisationWithReset, 7, 20);
    const points = 51;
    // R counts resets: its last value summed over runs is positive.
    let resets = 0;
    for (let r = 0; r < 20; r++) resets += out[r * points * 3 + 2 * points + points - 1];
    expect(resets).toBeGreaterThan(0);
    const timed = run(immigrationDeathWithTimedReset, 7, 5).out;
    // t = 25 is recorded before the strict trigger fires; t = 30 is after the jump to 2000 (then decays by at most ~40%).
    for (let r = 0; r < 5; r++) {
      expect(timed[r * 11 + 5]).toBeLessThan(1200);
      expect(timed[r * 11 + 6]).toBeGreaterThan(1200);
    }
  });
});
