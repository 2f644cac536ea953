import type { CompiledNetwork } from '../../model/compile.js';
import { ZIGGURAT_F, ZIGGURAT_X } from '../../sample/random/exponentialZiggurat.js';
import { deriveStreamState } from '../../sample/random/seedDerivation.js';
import type { Simulator } from '../types.js';
import { uniformTimeGrid } from '../timeGrid.js';
import { directMethodEventsSlot, directMethodSource, stateLayout } from './directMethodSource.js';
import { eventBudget } from '../budget.js';
import { FAIL_PARAMETER, MODEL_FAILURES } from '../codegen/failures.js';

/** The generated pair (see directMethodSource): `start` fills the state array at t = 0, `advance` runs to the next output time. */
interface DirectMethodFns {
  start(x0: Float64Array, p: Float64Array, vol: number, rng: Uint32Array, state: Float64Array): void;
  /** Returns 1 once the whole grid is recorded, 0 after recording some of it. */
  advance(state: Float64Array, vol: number, rng: Uint32Array, grid: Float64Array, out: Float64Array, maxEvents: number, fired?: Float64Array): number;
}

export interface DirectMethodOptions {
  /**
   * Reaction scan order: 'frequency' (default) orders by firing counts in a
   * short pilot run with the model's own parameters; 'natural' keeps the
   * model's order. Either is exact; the order only changes which stream
   * draws map to which reaction, so keep it fixed to reproduce results.
   */
  scanOrder?: 'frequency' | 'natural';
  /**
   * Event budget per trajectory: more events throw SimulationBudgetError
   * (code EVENT_BUDGET). Default DEFAULT_MAX_EVENTS.ssa (1e9, see budget.ts).
   */
  maxEvents?: number;
  /** Events per call of the generated `advance` (default EVENTS_PER_CALL); changes no result, only speed (tests vary it). */
  eventsPerCall?: number;
}

const PILOT_EVENTS = 200_000;

/** Exact SSA, Gillespie's direct method, compiled per model (see directMethodSource). */
export class DirectMethod implements Simulator {
  readonly method = 'ssa' as const;
  readonly speciesIds: readonly string[];
  readonly parameterIds: readonly string[];
  readonly defaultParameters: Float64Array;
  readonly scanOrder: readonly number[];
  private readonly fns: DirectMethodFns;
  /** The generated functions' state between calls (one trajectory at a time; simulateInto is synchronous). */
  private readonly state: Float64Array;
  private readonly eventsSlot: number;
  readonly maxEvents: number;

  constructor(
    private readonly network: CompiledNetwork,
    options: DirectMethodOptions = {},
  ) {
    this.speciesIds = network.speciesIds;
    this.parameterIds = network.parameterIds;
    this.defaultParameters = network.parameterValues;
    this.maxEvents = eventBudget('ssa', options.maxEvents);
    const natural = network.reactions.map((_, j) => j);
    this.scanOrder = options.scanOrder === 'natural' ? natural : pilotOrder(network, natural);
    this.fns = compile(directMethodSource(network, this.scanOrder, false, options.eventsPerCall));
    this.state = new Float64Array(stateLayout(network).length);
    this.eventsSlot = directMethodEventsSlot(network);
  }

  simulateInto(out: Float64Array, grid: Float64Array, parameters: Float64Array, rng: Uint32Array): number {
    return simulate(this.fns, this.state, this.eventsSlot, this.network, parameters, rng, grid, out, this.maxEvents);
  }
}

/**
 * One trajectory: start, then advance interval by interval. Why not one
 * function for the whole trajectory: V8 would optimise its long-running loop
 * by on-stack replacement, and a worker thread's first trajectories ran up to
 * 10 times slower (and about one process in four stayed about 60% slower);
 * `advance` is called once per output interval, so it is optimised as an
 * ordinary hot function. The state between calls lives in `state` (exact
 * doubles), so trajectories are bit-identical to the single-function form.
 */
function simulate(
  fns: DirectMethodFns,
  state: Float64Array,
  eventsSlot: number,
  network: CompiledNetwork,
  parameters: Float64Array,
  rng: Uint32Array,
  grid: Float64Array,
  out: Float64Array,
  maxEvents: number,
  fired?: Float64Array,
): number {
  fns.start(network.initialState, parameters, network.volume, rng, state);
  while (fns.advance(state, network.volume, rng, grid, out, maxEvents, fired) === 0);
  return state[eventsSlot];
}

function compile(source: string): DirectMethodFns {
  // The source is generated from a validated AST: identifiers map to
  // generated local names and numbers are printed by the emitter, so no user
  // text is evaluated.
  return new Function('ZX', 'ZF', FAIL_PARAMETER, source)(ZIGGURAT_X, ZIGGURAT_F, MODEL_FAILURES) as DirectMethodFns;
}

/** Reactions sorted by how often they fire in a short pilot run (ties keep model order). */
function pilotOrder(network: CompiledNetwork, natural: number[]): number[] {
  const counting = compile(directMethodSource(network, natural, true));
  const fired = new Float64Array(natural.length);
  const end = network.time?.end ?? 100;
  const grid = uniformTimeGrid(end, 2);
  const out = new Float64Array(grid.length * network.speciesIds.length);
  try {
    const state = new Float64Array(stateLayout(network).length);
    simulate(counting, state, directMethodEventsSlot(network), network, network.parameterValues, deriveStreamState(0, 0), grid, out, PILOT_EVENTS, fired);
  } catch {
    // The pilot stops at PILOT_EVENTS or on a model error; the counts so far are enough to order by.
  }
  return [...natural].sort((x, y) => fired[y] - fired[x] || x - y);
}
