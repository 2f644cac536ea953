import type { TrajectoryEnsemble } from '../simulate/types.js';

/**
 * Parts of an inference run are data as well as behaviour: each has a
 * `kind` and `toJSON()`, and a registry maps the JSON back to a part, so a
 * run can be stored, resumed and rebuilt inside a worker (pyABC's design).
 */
export interface PartSpec {
  readonly kind: string;
  readonly [option: string]: unknown;
}

/** Trajectories → a named feature vector. */
export interface SummaryStatistics {
  readonly kind: string;
  /** Feature names for this species list and time grid, e.g. `A:mean`, `A:autocorrelation_lag2`. */
  featureNames(speciesIds: readonly string[], time: Float64Array): string[];
  /**
   * Features of one parameter point's trajectories into `out`
   * (length featureNames().length). With several runs the features are
   * averaged over them, as Sciope does for ensembles. NaN-safe: a feature
   * that is undefined for a trajectory (constant series) is NaN, never a throw.
   */
  compute(ensemble: TrajectoryEnsemble, out: Float64Array): void;
  toJSON(): PartSpec;
}

/** What adaptive distances learn from: features simulated in the last generation (n rows of d). */
export interface DistanceContext {
  readonly features: readonly Float64Array[];
  readonly observed: Float64Array;
}

/** Distance between simulated and observed features. */
export interface Distance {
  readonly kind: string;
  /** Before the first generation, with prior-predictive features. */
  initialize?(context: DistanceContext): void;
  /** After each generation (adaptive scales, running maxima). */
  update?(context: DistanceContext): void;
  distance(features: Float64Array, observed: Float64Array): number;
  toJSON(): PartSpec;
}
