import type { SimulationMethod, Simulator } from '../types.js';
import { blackBoxSeed, BlackBoxOutputError, writeBlackBoxOutput } from './output.js';
import type { ModuleSimulatorSpec } from './spec.js';

/** What a module simulator receives. */
export interface BlackBoxInput {
  /** Every declared parameter by name (the trial's values, defaults for the others). */
  readonly parameters: Record<string, number>;
  /** 32-bit unsigned integer derived from the trial's random stream (see blackBoxSeed). */
  readonly seed: number;
  /** Output times, increasing, starting at t >= 0. */
  readonly time: Float64Array;
}

/** What a module simulator returns: species in the declared order, data species x time. */
export interface BlackBoxOutput {
  readonly species: readonly string[];
  /** Flat species-major (data[s * time.length + g]) or one row per species. */
  readonly data: Float64Array | ArrayLike<number> | ReadonlyArray<ArrayLike<number>>;
}

/**
 * The function a JS/TS module exports (by default as `simulate`):
 *
 *     export function simulate({ parameters, seed, time }) {
 *       // ... a trajectory of every declared species at every time ...
 *       return { species: ['A', 'B'], data: [[...], [...]] };
 *     }
 *
 * It must be synchronous and a deterministic function of its input (use
 * `seed` for any randomness) so that results do not depend on the executor.
 * The answer is checked: species names and count as declared, one value per
 * species and time point, finite numbers.
 */
export type BlackBoxFunction = (input: BlackBoxInput) => BlackBoxOutput;

/** A Simulator backed by a plain function (a loaded module's export, or one passed in code). */
export class ModuleSimulator implements Simulator {
  /** Not meaningful for a black box; kept for the Simulator interface. */
  readonly method: SimulationMethod = 'ssa';
  readonly speciesIds: readonly string[];
  readonly parameterIds: readonly string[];
  readonly defaultParameters: Float64Array;
  private readonly named: Record<string, number> = {};

  constructor(
    private readonly fn: BlackBoxFunction,
    spec: Pick<ModuleSimulatorSpec, 'parameters' | 'species'>,
    readonly label = 'module simulator',
  ) {
    this.speciesIds = [...spec.species];
    this.parameterIds = spec.parameters.map((p) => p.id);
    this.defaultParameters = Float64Array.from(spec.parameters, (p) => p.value);
  }

  simulateInto(out: Float64Array, grid: Float64Array, parameters: Float64Array, rng: Uint32Array): number {
    const named: Record<string, number> = { ...this.named };
    for (let k = 0; k < this.parameterIds.length; k++) named[this.parameterIds[k]] = parameters[k];
    const seed = blackBoxSeed(rng);
    let result: BlackBoxOutput;
    try {
      result = this.fn({ parameters: named, seed, time: grid.slice() });
    } catch (error) {
      throw new BlackBoxOutputError(this.label, `simulate() threw: ${error instanceof Error ? error.message : String(error)}`);
    }
    if (result === null || typeof result !== 'object')
      throw new BlackBoxOutputError(this.label, `simulate() must return { species, data }, got ${result === null ? 'null' : typeof result}`);
    if (typeof (result as { then?: unknown }).then === 'function')
      throw new BlackBoxOutputError(this.label, 'simulate() returned a Promise; it must be synchronous');
    writeBlackBoxOutput(out, this.speciesIds, grid.length, result.species, result.data, this.label);
    return 1;
  }
}
