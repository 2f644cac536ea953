import type { Executor } from '../compute/executor.js';
import type { ReactionNetworkInput } from '../model/schema.js';
import type { JointPrior, RandomSource } from '../sample/priors/types.js';
import type { SimulationMethod, TrajectoryEnsemble } from '../simulate/types.js';
import type { Distance, PartSpec, SummaryStatistics } from '../stats/types.js';

/**
 * One generation (population) of an ABC run: weighted particles with their
 * distances and summary statistics. Everything later generations depend on
 * is here, so a run can be stored generation by generation and resumed.
 */
export interface Generation {
  readonly index: number;
  /** Acceptance threshold; for a generation that accepted every draw, its largest distance. */
  readonly epsilon: number;
  readonly count: number;
  readonly dimension: number;
  /** count × dimension, row-major, in the prior's parameter order. */
  readonly particles: Float64Array;
  /** Importance weights, normalised to sum to one. */
  readonly weights: Float64Array;
  readonly distances: Float64Array;
  /** count × featureCount summary statistics of the accepted simulations. */
  readonly features: Float64Array;
  readonly featureCount: number;
  /** Trials this generation needed (up to its last acceptance: independent of batching). */
  readonly simulations: number;
  /** count / simulations, or the MCMC move acceptance rate for replenishment SMC-ABC. */
  readonly acceptanceRate: number;
  /** Kish effective sample size of the weights. */
  readonly ess: number;
  /**
   * The distance's JSON after it learnt from this generation (adaptive
   * scales, running maxima): the distance the next generation uses.
   */
  readonly distance: PartSpec;
}

/** Why a run stopped. */
export type StopReason =
  | 'populationComplete'
  | 'budgetExhausted'
  | 'maxTrials'
  | 'epsilonTarget'
  | 'maxGenerations'
  | 'minAcceptanceRate'
  | 'maxSimulations'
  | 'epsilonSchedule';

export interface InferenceProgress {
  readonly algorithm: string;
  /** 'sampling' while a generation fills, 'generation' once it is complete. */
  readonly phase: 'sampling' | 'generation';
  readonly generation: number;
  readonly epsilon: number;
  readonly accepted: number;
  readonly populationSize: number;
  readonly acceptanceRate: number;
  /**
   * Trials the run has used so far: the same count on every executor (a
   * generation's trials up to its last acceptance; trials an executor call ran
   * past that point are not counted).
   */
  readonly simulations: number;
}

/** What trials simulate: a model and settings; the run fills in parameters, statistics and seed. */
export interface SimulationSettings {
  readonly model: ReactionNetworkInput;
  /** 'ssa' by default. */
  readonly method?: SimulationMethod;
  /** Output times; the model's time span by default. */
  readonly time?: readonly number[];
  /** Trajectories per trial, features averaged over them (default 1). */
  readonly runsPerTrial?: number;
}

/** Epsilon schedules see the generation about to be sampled and the last one. */
export interface EpsilonContext {
  readonly generation: number;
  readonly last: Generation;
}

/** Chooses the acceptance threshold of each generation after the first. */
export interface EpsilonSchedule {
  readonly kind: string;
  /** The next threshold; NaN or undefined ends the run (a fixed schedule ran out). */
  next(context: EpsilonContext): number | undefined;
  toJSON(): PartSpec;
}

/** What kernels adapt to: the last generation and the threshold of the next. */
export interface KernelContext {
  readonly last: Generation;
  readonly epsilon: number;
}

/** Moves a particle of the last generation to a new proposal. */
export interface PerturbationKernel {
  readonly kind: string;
  /** Adapt to the last generation (covariances); called once before each generation is sampled. */
  update?(context: KernelContext): void;
  /** Draw a proposal around `center` (particle `index` of the last generation) into `out`. */
  perturb(center: Float64Array, index: number, rng: RandomSource, out: Float64Array): void;
  /** log K(x | center), center being particle `index` of the last generation. */
  logDensity(x: Float64Array, center: Float64Array, index: number): number;
  toJSON(): PartSpec;
}

export type DistanceFunction = (features: Float64Array, observed: Float64Array) => number;
export type EpsilonFunction = (context: EpsilonContext) => number | undefined;

/** Options every ABC algorithm takes. */
export interface AbcOptions {
  readonly prior: JointPrior;
  readonly simulation: SimulationSettings;
  /** Summary statistics, as a part or its JSON; they run where the trials run. */
  readonly summaries: SummaryStatistics | PartSpec;
  /** Observed summary statistics, or observed trajectories to summarise (features averaged over runs). */
  readonly observed: Float64Array | TrajectoryEnsemble;
  /** Euclidean by default. A plain function is accepted. */
  readonly distance?: Distance | PartSpec | DistanceFunction;
  /** In-process by default. */
  readonly executor?: Executor;
  /** Run seed; random (and recorded in the result) when omitted. */
  readonly seed?: number;
  /** Trials per executor call; chosen from the acceptance rate when omitted. Results never depend on it. */
  readonly batchSize?: number;
  readonly signal?: AbortSignal;
  readonly onProgress?: (event: InferenceProgress) => void;
  /** Called once per completed generation (store it: that is what resuming needs). */
  readonly onGeneration?: (generation: Generation) => void | Promise<void>;
}
