import type { CompiledNetwork } from '../../model/compile.js';
import { ZIGGURAT_F, ZIGGURAT_X } from '../../sample/random/exponentialZiggurat.js';
import { deriveStreamState } from '../../sample/random/seedDerivation.js';
import type { Simulator } from '../types.js';
import { uniformTimeGrid } from '../timeGrid.js';
import { directMethodSource } from './directMethodSource.js';
import { eventBudget } from '../budget.js';
import { FAIL_PARAMETER, MODEL_FAILURES } from '../codegen/failures.js';

type DirectMethodFn = (
  x0: Float64Array,
  p: Float64Array,
  vol: number,
  rng: Uint32Array,
  grid: Float64Array,
  out: Float64Array,
  maxEvents: number,
  fired?: Float64Array,
) => number;

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
}

const PILOT_EVENTS = 200_000;

/** Exact SSA, Gillespie's direct method, compiled per model (see directMethodSource). */
export class DirectMethod implements Simulator {
  readonly method = 'ssa' as const;
  readonly speciesIds: readonly string[];
  readonly parameterIds: readonly string[];
  readonly defaultParameters: Float64Array;
  readonly scanOrder: readonly number[];
  private readonly run: DirectMethodFn;
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
    this.run = compile(directMethodSource(network, this.scanOrder));
  }

  simulateInto(out: Float64Array, grid: Float64Array, parameters: Float64Array, rng: Uint32Array): number {
    return this.run(this.network.initialState, parameters, this.network.volume, rng, grid, out, this.maxEvents);
  }
}

function compile(source: string): DirectMethodFn {
  // The source is generated from a validated AST: identifiers map to
  // generated local names and numbers are printed by the emitter, so no user
  // text is evaluated.
  return new Function('ZX', 'ZF', FAIL_PARAMETER, source)(ZIGGURAT_X, ZIGGURAT_F, MODEL_FAILURES) as DirectMethodFn;
}

/** Reactions sorted by how often they fire in a short pilot run (ties keep model order). */
function pilotOrder(network: CompiledNetwork, natural: number[]): number[] {
  const counting = compile(directMethodSource(network, natural, true));
  const fired = new Float64Array(natural.length);
  const end = network.time?.end ?? 100;
  const grid = uniformTimeGrid(end, 2);
  const out = new Float64Array(grid.length * network.speciesIds.length);
  try {
    counting(network.initialState, network.parameterValues, network.volume, deriveStreamState(0, 0), grid, out, PILOT_EVENTS, fired);
  } catch {
    // The pilot stops at PILOT_EVENTS or on a model error; the counts so far are enough to order by.
  }
  return [...natural].sort((x, y) => fired[y] - fired[x] || x - y);
}
