import type { ReactionNetworkInput } from '../model/schema.js';
import type { BlackBoxSimulatorSpec } from '../simulate/blackbox/spec.js';
import type { SimulationMethod } from '../simulate/types.js';
import type { PartSpec } from '../stats/types.js';

/**
 * The task protocol. A job is data, never a closure: it is sent once per
 * worker (thread or remote process); then batches of trials follow.
 */
export interface SimulationJob {
  /** The model as JSON (validated on the worker side too). */
  readonly model: ReactionNetworkInput;
  readonly method: SimulationMethod;
  /** Output times. */
  readonly time: readonly number[];
  /** Names of the parameters that trials set, in the order of Trial.parameters; others keep the model's values. */
  readonly parameterIds: readonly string[];
  /** Trajectories simulated per trial (features are averaged over them). */
  readonly runsPerTrial: number;
  /** Summary statistics to compute; null returns no features. */
  readonly statistics: PartSpec | null;
  /** Also return the raw trajectories (runsPerTrial × species × time). */
  readonly returnTrajectories: boolean;
  /** The run's seed; trial streams derive from (seed, ...trial.stream, run). */
  readonly seed: number;
  /**
   * A black-box simulator (JS module or external command) that replaces the
   * model: `model` then only describes its interface (see blackBoxModel) and
   * `method` is ignored. Jobs with a simulator need `prepareJobAsync`.
   */
  readonly simulator?: BlackBoxSimulatorSpec;
  /**
   * Event budget per trajectory: reaction events (ssa), leaps and exact steps
   * (tau) or accepted steps (ode). A trajectory that needs more fails the
   * trial with SimulationBudgetError (code EVENT_BUDGET). Default:
   * DEFAULT_MAX_EVENTS (engine/simulate/budget.ts: 1e9 for ssa and tau, 1e6
   * for ode). Not applied to black-box simulators.
   */
  readonly maxEvents?: number;
}

/** One parameter point to simulate. */
export interface Trial {
  /** Caller's key for the result (results may come back in any order). */
  readonly index: number;
  readonly parameters: Float64Array;
  /**
   * Stream path under the job's seed, e.g. [generation, i]: the random
   * numbers of trial i depend on nothing else, whichever executor or batch
   * runs it.
   */
  readonly stream: readonly number[];
}

export interface TrialResult {
  readonly index: number;
  readonly features: Float64Array | null;
  readonly trajectories: Float64Array | null;
  /** Reaction events (or leaps/steps) simulated. */
  readonly events: number;
}

export interface MapOptions {
  readonly signal?: AbortSignal;
  readonly onProgress?: (completed: number, total: number) => void;
}

/** Runs trials: in this process, on a pool of worker threads, or on remote nodes over SSH. */
export interface Executor {
  readonly kind: string;
  /** Number of trials that can run at once (for batch sizing). */
  readonly concurrency: number;
  /**
   * Simulate every trial; resolves with one result per trial (any order,
   * keyed by index) or rejects with the simulator's error; rejects with an
   * AbortError when the signal fires.
   */
  map(job: SimulationJob, trials: readonly Trial[], options?: MapOptions): Promise<TrialResult[]>;
  /**
   * Optional: begin starting workers (threads, connections) now, so they
   * start while the caller still prepares its job; `map` starts them anyway.
   */
  start?(): void;
  close(): Promise<void>;
}
