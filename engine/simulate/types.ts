/** The numerical method behind a Simulator. */
export type SimulationMethod = 'ssa' | 'tau' | 'ode' | 'hybrid';

/**
 * A simulator of one model. Stateless between calls: everything a
 * trajectory depends on is in the arguments, so results are a pure function
 * of (parameters, random stream state, time grid).
 */
export interface Simulator {
  readonly method: SimulationMethod;
  readonly speciesIds: readonly string[];
  readonly parameterIds: readonly string[];
  /** Default parameter values (the model's), in parameterIds order. */
  readonly defaultParameters: Float64Array;
  /**
   * Simulate one trajectory into `out`, laid out species-major:
   * out[s * grid.length + g] is species s at grid[g] (the state after all
   * events up to and including that time). `rng` is the 4-word xoshiro128**
   * state of this trajectory's stream; it is advanced in place.
   * Returns the number of reaction events (SSA), leaps (tau) or steps (ODE).
   */
  simulateInto(out: Float64Array, grid: Float64Array, parameters: Float64Array, rng: Uint32Array): number;
}

/** Trajectories of one ensemble: data[(run * species + s) * time.length + g]. */
export interface TrajectoryEnsemble {
  readonly speciesIds: readonly string[];
  readonly time: Float64Array;
  readonly runs: number;
  readonly data: Float64Array;
  /** Events (SSA), leaps (tau) or steps (ODE) summed over runs. */
  readonly events: number;
}
