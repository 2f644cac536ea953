import { describe, expect, it } from 'vitest';
import { reactionNetworkSchema, type ReactionNetworkInput } from '../../../../engine/model/index.js';
import { simulateGeneral, type GeneralSimulationOptions } from '../../../../engine/simulate/general/index.js';

/**
 * Event semantics (SBML L3 §4.12) against hand-computed trajectories. Runs
 * use rtol 1e-10 / atol 1e-12; values between events follow closed forms,
 * checked to 1e-7 relative (see closedForms.test.ts for that margin). Event
 * times are located to 1e-13 relative, so they add nothing measurable.
 */
const TIGHT: GeneralSimulationOptions = { rtol: 1e-10, atol: 1e-12 };
const model = (input: ReactionNetworkInput) => reactionNetworkSchema.parse(input);
const close = (actual: number, want: number, rel = 1e-7, abs = 1e-10) =>
  expect(Math.abs(actual - want), `${actual} vs ${want}`).toBeLessThanOrEqual(rel * Math.abs(want) + abs);

describe('simulateGeneral: events', () => {
  it('fires a time event exactly at its time; the output at that time is the state after it', () => {
    // S = 5 e^{-t}; at t = 1 S is set to 10, then decays again.
    const m = model({
      species: [{ id: 'S', initial: 5 }],
      reactions: [{ id: 'decay', reactants: { S: 1 }, propensity: 'S' }],
      events: [{ id: 'reset', trigger: 't >= 1', assignments: { S: '10' } }],
    });
    const grid = Float64Array.from([0, 0.5, 1, 2]);
    const r = simulateGeneral(m, grid, TIGHT);
    const S = r.amounts.get('S')!;
    close(S[1], 5 * Math.exp(-0.5));
    expect(S[2]).toBe(10);
    close(S[3], 10 * Math.exp(-1));
    expect(r.stats.events).toBe(1);
  });

  it('locates a state event on the dense output and fires at the crossing', () => {
    // S = 8 e^{-t} crosses 2 at t* = ln 4; the event adds 6 there. After: S = 8 e^{-(t - t*)} (until 2 t*).
    const m = model({
      species: [{ id: 'S', initial: 8 }],
      parameters: [{ id: 'when', value: 0, constant: false }],
      reactions: [{ id: 'decay', reactants: { S: 1 }, propensity: 'S' }],
      events: [{ id: 'refill', trigger: 'S < 2', assignments: { S: 'S + 6', when: 't' } }],
    });
    const grid = Float64Array.from([0, 1, 2, 2.5]);
    const r = simulateGeneral(m, grid, TIGHT);
    const tStar = Math.log(4);
    close(r.values.get('when')![3], tStar, 1e-9);
    close(r.amounts.get('S')![1], 8 * Math.exp(-1));
    close(r.amounts.get('S')![2], 8 * Math.exp(-(2 - tStar)));
  });

  it('executes a delayed event at trigger time + delay, with values from trigger time', () => {
    // Trigger at t = 1 (S = e^{-1}); execution at 1.5 sets X = S(1) (useValuesFromTriggerTime).
    // A second event uses the values at execution: Y = S(1.5).
    const m = model({
      species: [{ id: 'S', initial: 1 }],
      parameters: [
        { id: 'X', value: 0, constant: false },
        { id: 'Y', value: 0, constant: false },
      ],
      reactions: [{ id: 'decay', reactants: { S: 1 }, propensity: 'S' }],
      events: [
        { id: 'atTrigger', trigger: 't >= 1', delay: '0.5', assignments: { X: 'S' } },
        { id: 'atExecution', trigger: 't >= 1', delay: '0.5', useValuesFromTriggerTime: false, assignments: { Y: 'S' } },
      ],
    });
    const grid = Float64Array.from([0, 1.4, 1.5, 2]);
    const r = simulateGeneral(m, grid, TIGHT);
    expect(r.values.get('X')![1]).toBe(0);
    close(r.values.get('X')![2], Math.exp(-1));
    close(r.values.get('Y')![3], Math.exp(-1.5));
  });

  it('orders simultaneous executions by priority, evaluated when they are due', () => {
    // Both at t = 1, values computed at execution: "double" (priority 1) after "increment" (priority 2): (3 + 1) × 2.
    const m = model({
      species: [],
      parameters: [{ id: 'x', value: 3, constant: false }],
      reactions: [],
      events: [
        { id: 'double', trigger: 't >= 1', priority: '1', useValuesFromTriggerTime: false, assignments: { x: 'x * 2' } },
        { id: 'increment', trigger: 't >= 1', priority: '2', useValuesFromTriggerTime: false, assignments: { x: 'x + 1' } },
      ],
    });
    const r = simulateGeneral(m, Float64Array.from([0, 2]), TIGHT);
    expect(r.values.get('x')![1]).toBe(8);
    // Swapped priorities: 3 × 2 + 1.
    const swapped = model({
      species: [],
      parameters: [{ id: 'x', value: 3, constant: false }],
      reactions: [],
      events: [
        { id: 'double', trigger: 't >= 1', priority: '3', useValuesFromTriggerTime: false, assignments: { x: 'x * 2' } },
        { id: 'increment', trigger: 't >= 1', priority: '2', useValuesFromTriggerTime: false, assignments: { x: 'x + 1' } },
      ],
    });
    expect(simulateGeneral(swapped, Float64Array.from([0, 2]), TIGHT).values.get('x')![1]).toBe(7);
  });

  it('cancels a non-persistent delayed event whose trigger turns false; a persistent one still executes', () => {
    // Trigger true on [1, 1.2): both schedule at 1 + 0.5; only the persistent one executes at 1.5.
    const m = model({
      species: [],
      parameters: [
        { id: 'a', value: 0, constant: false },
        { id: 'b', value: 0, constant: false },
      ],
      reactions: [],
      events: [
        { id: 'keeps', trigger: 't >= 1 && t < 1.2', delay: '0.5', assignments: { a: '1' } },
        { id: 'drops', trigger: 't >= 1 && t < 1.2', delay: '0.5', persistent: false, assignments: { b: '1' } },
      ],
    });
    const r = simulateGeneral(m, Float64Array.from([0, 1.4, 1.6]), TIGHT);
    expect(r.values.get('a')![1]).toBe(0);
    expect(r.values.get('a')![2]).toBe(1);
    expect(r.values.get('b')![2]).toBe(0);
  });

  it('fires at t0 when initialValue is false and the trigger holds; cascades within one instant', () => {
    // start fires at t = 0 (x = 1); x > 0.5 then triggers follow (y = 2) at the same instant.
    const m = model({
      species: [],
      parameters: [
        { id: 'x', value: 0, constant: false },
        { id: 'y', value: 0, constant: false },
      ],
      reactions: [],
      events: [
        { id: 'start', trigger: 't >= 0', initialValue: false, assignments: { x: '1' } },
        { id: 'follow', trigger: 'x > 0.5', assignments: { y: '2' } },
        { id: 'never', trigger: 't >= 0', assignments: { y: '100' } },
      ],
    });
    const r = simulateGeneral(m, Float64Array.from([0, 1]), TIGHT);
    expect(r.values.get('x')![0]).toBe(1);
    expect(r.values.get('y')![0]).toBe(2);
    expect(r.values.get('y')![1]).toBe(2);
  });

  it('sets a concentration species by concentration (amount = value × size) and keeps amounts when an event resizes the compartment', () => {
    const m = model({
      compartments: [{ id: 'C', size: 2, constant: false }],
      species: [
        { id: 'S', initial: 4, compartment: 'C', amountOnly: false },
        { id: 'T', initial: 4, compartment: 'C', amountOnly: false },
      ],
      reactions: [],
      events: [
        { id: 'setS', trigger: 't >= 1', assignments: { S: '5' } },
        { id: 'grow', trigger: 't >= 2', assignments: { C: '8' } },
      ],
    });
    const r = simulateGeneral(m, Float64Array.from([0, 1, 2]), TIGHT);
    expect(r.amounts.get('S')![1]).toBe(10);
    expect(r.concentrations.get('S')![1]).toBe(5);
    expect(r.amounts.get('T')![2]).toBe(4);
    expect(r.concentrations.get('T')![2]).toBe(0.5);
  });

  it('breaks ties between equal priorities at random (SBML), not always the same way', () => {
    // Every 0.01 time units both events are due with priority 1; whichever runs first resets the clock, so the
    // other's non-persistent execution is dropped. 200 instants: each side should win about 100 times; the
    // generator's seed is fixed, so the counts are reproducible, and a fixed order would give 200 / 0.
    const m = model({
      species: [],
      parameters: ['Q', 'R', 'reset'].map((id) => ({ id, value: 0, constant: false })),
      reactions: [],
      events: [
        { id: 'Qinc', trigger: 't - reset >= 0.01', priority: '1', persistent: false, assignments: { reset: 't', Q: 'Q + 1' } },
        { id: 'Rinc', trigger: 't - reset >= 0.01', priority: '1', persistent: false, assignments: { reset: 't', R: 'R + 1' } },
      ],
    });
    const r = simulateGeneral(m, Float64Array.from([0, 2.005]), TIGHT);
    const q = r.values.get('Q')![1];
    const rr = r.values.get('R')![1];
    expect(q + rr).toBe(200);
    // Binomial(200, 1/2): sd ≈ 7; 60..140 is beyond 5 sd.
    expect(q).toBeGreaterThan(60);
    expect(q).toBeLessThan(140);
  });
});
