import { deriveStreamState } from '../sample/random/seedDerivation.js';
import { assertTimeGrid } from './timeGrid.js';
import type { Simulator, TrajectoryEnsemble } from './types.js';
import { asSimulationFailure, SimulationSettingsError } from '../errors/index.js';

export interface EnsembleOptions {
  runs: number;
  seed: number;
  grid: Float64Array;
  /** Parameter values in simulator.parameterIds order; the model's by default. */
  parameters?: Float64Array;
  /** Index of the first run: trajectory i uses stream (seed, firstRun + i). */
  firstRun?: number;
  /** Called after each trajectory with (completed, total). */
  onProgress?: (completed: number, total: number) => void;
}

/**
 * Simulate `runs` independent trajectories. Trajectory i draws from the
 * stream (seed, firstRun + i) only, so any split of the runs over batches or
 * workers reproduces the same numbers bit for bit.
 */
export function simulateEnsemble(simulator: Simulator, options: EnsembleOptions): TrajectoryEnsemble {
  const { runs, seed, grid } = options;
  if (!Number.isInteger(runs) || runs < 1) throw new SimulationSettingsError('runs', `expected an integer >= 1, got ${runs}`);
  if (!Number.isSafeInteger(seed) || seed < 0) throw new SimulationSettingsError('seed', `expected an integer in [0, 2^53), got ${seed}`);
  assertTimeGrid(grid);
  const parameters = options.parameters ?? simulator.defaultParameters;
  if (parameters.length !== simulator.parameterIds.length) {
    throw new SimulationSettingsError(
      'parameters',
      `expected ${simulator.parameterIds.length} values (${simulator.parameterIds.join(', ')}), got ${parameters.length}`,
    );
  }
  const firstRun = options.firstRun ?? 0;
  const block = simulator.speciesIds.length * grid.length;
  const data = new Float64Array(runs * block);
  let events = 0;
  for (let i = 0; i < runs; i++) {
    const out = data.subarray(i * block, (i + 1) * block);
    try {
      events += simulator.simulateInto(out, grid, parameters, deriveStreamState(seed, firstRun + i));
    } catch (error) {
      // The settings were checked above: what fails now is the model at run time.
      throw asSimulationFailure(error);
    }
    options.onProgress?.(i + 1, runs);
  }
  return { speciesIds: simulator.speciesIds, time: grid, runs, data, events };
}
