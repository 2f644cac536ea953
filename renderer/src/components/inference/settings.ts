/**
 * The inference settings as the form edits them, their defaults, and their
 * translation to the study's part specs (`summaries`, `distance`,
 * `algorithm`, `simulation`) and back (so a draft loaded from an example
 * study fills the form). Pure: no engine calls, no Vue.
 */

export type SummaryKind = 'time-series-features' | 'ensemble-moments' | 'identity' | 'neural-network';
export type FeatureSet = 'minimal' | 'efficient' | 'comprehensive';
export type DistanceKind = 'adaptive' | 'euclidean' | 'manhattan' | 'weighted-euclidean';
export type AlgorithmKind = 'smcAbc' | 'abcRejection' | 'replenishmentSmcAbc' | 'npe';
/** SMC-ABC perturbation kernels (engine/infer/parts/kernels.ts). */
export type KernelKind = 'multivariateNormal' | 'localCovariance' | 'nearestNeighbour';
/** The multivariate normal kernel's covariance factor: a fixed number (kernelScale) or a bandwidth rule from the effective sample size. */
export type KernelScaleRule = 'fixed' | 'silverman' | 'scott';

/**
 * The study default for regression adjustment, as engine/infer/study.ts
 * DEFAULT_STUDY_REGRESSION_ADJUSTMENT has it (copied, not imported, so the
 * renderer bundle does not pull in the study parser; a unit test keeps the
 * two equal).
 */
export const DEFAULT_REGRESSION_ADJUSTMENT = true;

export interface SummarySettings {
  kind: SummaryKind;
  set: FeatureSet;
  moments: Array<'mean' | 'variance'>;
  /** Species the statistics use; empty = all. */
  species: string[];
  /** The project's network (learn.networks id) when kind is 'neural-network'. */
  network: number | null;
}

export interface DistanceSettings {
  kind: DistanceKind;
  scale: 'mad' | 'sd';
  maxNormalisation: boolean;
  /** Comma- or space-separated weights, one per summary statistic. */
  weights: string;
}

export interface AlgorithmSettings {
  kind: AlgorithmKind;
  populationSize: number;
  maxGenerations: number;
  /** Quantile of last generation's distances that sets the next epsilon (SMC-ABC) / alpha (replenishment). */
  alpha: number;
  minAcceptanceRate: number;
  kernel: KernelKind;
  /** multivariateNormal: 'fixed' uses kernelScale; Silverman's or Scott's rule sets the factor from the effective sample size. */
  kernelScaleRule: KernelScaleRule;
  /** multivariateNormal (fixed rule), nearestNeighbour and replenishment: the covariance factor. */
  kernelScale: number;
  /** nearestNeighbour: the share of the last generation that forms each particle's neighbourhood. */
  kernelFraction: number;
  /** SMC-ABC with a budget: the fewest particles the budget's last generation ends the run with; null = engine default (half the population). */
  minFinalPopulation: number | null;
  /** Adjust the final particles by local-linear regression on the statistics (Beaumont, Zhang & Balding 2002). */
  regressionAdjustment: boolean;
  /** 0 or empty = no limit. */
  maxSimulations: number | null;
  epsilonTarget: number | null;
  /** ABC rejection: keep the nearest `quantile` of `budget` prior draws, or accept within `epsilon`. */
  rejectionMode: 'budget' | 'epsilon';
  budget: number;
  quantile: number;
  epsilon: number | null;
  pMin: number;
  /** NPE: simulations over all rounds, rounds (1 = NPE, more = sequential SNPE-C) and posterior draws kept per round. */
  simulations: number;
  rounds: number;
  posteriorSamples: number;
}

export interface SimulationSettings {
  method: 'ssa' | 'tau' | 'ode' | 'hybrid';
  runsPerTrial: number;
}

export interface InferenceSettings {
  summaries: SummarySettings;
  distance: DistanceSettings;
  algorithm: AlgorithmSettings;
  simulation: SimulationSettings;
  seed: number;
}

export function randomSeed(): number {
  return Math.floor(Math.random() * 1_000_000);
}

export function defaultSettings(): InferenceSettings {
  return {
    summaries: { kind: 'time-series-features', set: 'efficient', moments: ['mean', 'variance'], species: [], network: null },
    distance: { kind: 'adaptive', scale: 'mad', maxNormalisation: true, weights: '' },
    algorithm: {
      kind: 'smcAbc',
      populationSize: 200,
      maxGenerations: 8,
      alpha: 0.5,
      minAcceptanceRate: 0.01,
      kernel: 'multivariateNormal',
      kernelScaleRule: 'fixed',
      kernelScale: 2,
      kernelFraction: 0.25,
      minFinalPopulation: null,
      regressionAdjustment: DEFAULT_REGRESSION_ADJUSTMENT,
      maxSimulations: null,
      epsilonTarget: null,
      rejectionMode: 'budget',
      budget: 10_000,
      quantile: 0.01,
      epsilon: null,
      pMin: 0.05,
      // engine/infer/npeStudy.ts NPE_STUDY_DEFAULTS.
      simulations: 2000,
      rounds: 1,
      posteriorSamples: 1000,
    },
    simulation: { method: 'ssa', runsPerTrial: 10 },
    seed: randomSeed(),
  };
}

type Spec = { kind: string } & Record<string, unknown>;

const num = (v: unknown): number | undefined => (typeof v === 'number' && Number.isFinite(v) ? v : undefined);

export function summariesSpec(s: SummarySettings): Spec {
  // A learned network reads the species it was trained on.
  if (s.kind === 'neural-network' && s.network !== null) return { kind: 'neural-network', network: s.network };
  const species = s.species.length > 0 ? { species: [...s.species] } : {};
  if (s.kind === 'time-series-features') return { kind: s.kind, set: s.set, ...species };
  if (s.kind === 'ensemble-moments') return { kind: s.kind, moments: s.moments.length > 0 ? [...s.moments] : ['mean', 'variance'], ...species };
  return { kind: 'identity', ...species };
}

export function parseWeights(text: string): number[] {
  return text
    .split(/[\s,;]+/)
    .filter((t) => t !== '')
    .map(Number);
}

export function distanceSpec(d: DistanceSettings): Spec {
  if (d.kind === 'adaptive') return { kind: 'adaptive', scale: d.scale };
  if (d.kind === 'weighted-euclidean') return { kind: 'weighted-euclidean', weights: parseWeights(d.weights) };
  return { kind: d.kind, maxNormalisation: d.maxNormalisation };
}

/** The SMC-ABC kernel spec as engine/infer/parts/kernels.ts reads it. */
export function kernelSpec(a: Pick<AlgorithmSettings, 'kernel' | 'kernelScaleRule' | 'kernelScale' | 'kernelFraction'>): Spec {
  if (a.kernel === 'localCovariance') return { kind: 'localCovariance' };
  if (a.kernel === 'nearestNeighbour') return { kind: 'nearestNeighbour', fraction: a.kernelFraction, scale: a.kernelScale };
  return { kind: 'multivariateNormal', scale: a.kernelScaleRule === 'fixed' ? a.kernelScale : a.kernelScaleRule };
}

export function algorithmSpec(a: AlgorithmSettings): Spec {
  const limit = a.maxSimulations && a.maxSimulations > 0 ? { maxSimulations: a.maxSimulations } : {};
  const target = a.epsilonTarget !== null && a.epsilonTarget >= 0 && Number.isFinite(a.epsilonTarget) ? { epsilonTarget: a.epsilonTarget } : {};
  // Always written, so the study says what it does whatever the engine's default becomes.
  const adjustment = { regressionAdjustment: a.regressionAdjustment };
  if (a.kind === 'smcAbc') {
    // minFinalPopulation only matters for a budget's last generation; the engine rejects it above populationSize.
    const minFinal =
      limit.maxSimulations !== undefined && a.minFinalPopulation !== null && a.minFinalPopulation > 0 ? { minFinalPopulation: a.minFinalPopulation } : {};
    return {
      kind: 'smcAbc',
      populationSize: a.populationSize,
      maxGenerations: a.maxGenerations,
      minAcceptanceRate: a.minAcceptanceRate,
      epsilon: { kind: 'quantile', alpha: a.alpha },
      kernel: kernelSpec(a),
      ...limit,
      ...minFinal,
      ...target,
      ...adjustment,
    };
  }
  // Neural posterior estimation takes no ABC settings (and no regression adjustment: its samples have no distances).
  if (a.kind === 'npe') return { kind: 'npe', simulations: a.simulations, rounds: a.rounds, posteriorSamples: a.posteriorSamples };
  if (a.kind === 'replenishmentSmcAbc') {
    return {
      kind: 'replenishmentSmcAbc',
      populationSize: a.populationSize,
      maxGenerations: a.maxGenerations,
      alpha: a.alpha,
      pMin: a.pMin,
      kernelScale: a.kernelScale,
      ...limit,
      ...target,
      ...adjustment,
    };
  }
  if (a.rejectionMode === 'epsilon' && a.epsilon !== null)
    return {
      kind: 'abcRejection',
      epsilon: a.epsilon,
      populationSize: a.populationSize,
      ...(a.maxSimulations ? { maxTrials: a.maxSimulations } : {}),
      ...adjustment,
    };
  return { kind: 'abcRejection', budget: a.budget, quantile: a.quantile, ...adjustment };
}

/** Fill settings from a study's specs (as an example study or a saved draft has them); unknown fields keep defaults. */
export function settingsFromSpecs(
  base: InferenceSettings,
  specs: { summaries?: unknown; distance?: unknown; algorithm?: unknown; simulation?: unknown; seed?: unknown },
): InferenceSettings {
  const out: InferenceSettings = structuredClone(base);
  const sum = specs.summaries as Spec | undefined;
  if (sum && (sum.kind === 'time-series-features' || sum.kind === 'ensemble-moments' || sum.kind === 'identity')) {
    out.summaries.kind = sum.kind;
    if (sum.set === 'minimal' || sum.set === 'efficient' || sum.set === 'comprehensive') out.summaries.set = sum.set;
    if (Array.isArray(sum.moments)) out.summaries.moments = sum.moments.filter((m): m is 'mean' | 'variance' => m === 'mean' || m === 'variance');
    if (Array.isArray(sum.species)) out.summaries.species = sum.species.filter((s): s is string => typeof s === 'string');
  } else if (sum && sum.kind === 'neural-network' && num(sum.network) !== undefined) {
    out.summaries.kind = 'neural-network';
    out.summaries.network = num(sum.network)!;
  }
  const dist = specs.distance as Spec | undefined;
  if (dist && ['adaptive', 'euclidean', 'manhattan', 'weighted-euclidean'].includes(dist.kind)) {
    out.distance.kind = dist.kind as DistanceKind;
    if (dist.scale === 'mad' || dist.scale === 'sd') out.distance.scale = dist.scale;
    if (typeof dist.maxNormalisation === 'boolean') out.distance.maxNormalisation = dist.maxNormalisation;
    if (Array.isArray(dist.weights)) out.distance.weights = dist.weights.join(', ');
  }
  const alg = specs.algorithm as Spec | undefined;
  if (alg && alg.kind === 'npe') {
    const a = out.algorithm;
    a.kind = 'npe';
    a.simulations = num(alg.simulations) ?? a.simulations;
    a.rounds = num(alg.rounds) ?? a.rounds;
    a.posteriorSamples = num(alg.posteriorSamples) ?? a.posteriorSamples;
  } else if (alg && (alg.kind === 'smcAbc' || alg.kind === 'abcRejection' || alg.kind === 'replenishmentSmcAbc')) {
    const a = out.algorithm;
    a.kind = alg.kind;
    a.populationSize = num(alg.populationSize) ?? a.populationSize;
    a.maxGenerations = num(alg.maxGenerations) ?? a.maxGenerations;
    a.minAcceptanceRate = num(alg.minAcceptanceRate) ?? a.minAcceptanceRate;
    a.maxSimulations = num(alg.maxSimulations) ?? num(alg.maxTrials) ?? a.maxSimulations;
    a.epsilonTarget = num(alg.epsilonTarget) ?? a.epsilonTarget;
    a.alpha = num(alg.alpha) ?? num((alg.epsilon as Spec | undefined)?.alpha) ?? a.alpha;
    a.pMin = num(alg.pMin) ?? a.pMin;
    a.kernelScale = num(alg.kernelScale) ?? a.kernelScale;
    readKernel(a, alg.kernel);
    a.minFinalPopulation = num(alg.minFinalPopulation) ?? a.minFinalPopulation;
    // Absent means the study default; {kind, transform} (only settable in a study file) counts as on.
    const adjustment = alg.regressionAdjustment;
    a.regressionAdjustment = adjustment === undefined ? DEFAULT_REGRESSION_ADJUSTMENT : adjustment !== false;
    a.budget = num(alg.budget) ?? a.budget;
    a.quantile = num(alg.quantile) ?? a.quantile;
    if (num(alg.epsilon) !== undefined) {
      a.rejectionMode = 'epsilon';
      a.epsilon = num(alg.epsilon)!;
    }
  }
  const sim = specs.simulation as Partial<SimulationSettings> | undefined;
  if (sim) {
    if (sim.method === 'ssa' || sim.method === 'tau' || sim.method === 'ode' || sim.method === 'hybrid') out.simulation.method = sim.method;
    out.simulation.runsPerTrial = num(sim.runsPerTrial) ?? out.simulation.runsPerTrial;
  }
  if (num(specs.seed) !== undefined) out.seed = num(specs.seed)!;
  return out;
}

function readKernel(a: AlgorithmSettings, spec: unknown): void {
  const k = spec as Spec | undefined;
  if (!k || typeof k !== 'object') return;
  if (k.kind === 'localCovariance') a.kernel = 'localCovariance';
  else if (k.kind === 'nearestNeighbour') {
    a.kernel = 'nearestNeighbour';
    a.kernelFraction = num(k.fraction) ?? a.kernelFraction;
    a.kernelScale = num(k.scale) ?? a.kernelScale;
  } else if (k.kind === 'multivariateNormal') {
    a.kernel = 'multivariateNormal';
    if (k.scale === 'silverman' || k.scale === 'scott') a.kernelScaleRule = k.scale;
    else if (num(k.scale) !== undefined) {
      a.kernelScaleRule = 'fixed';
      a.kernelScale = num(k.scale)!;
    }
  }
}

/** A human line for the settings (shown in the run header). */
export function describeAlgorithm(a: AlgorithmSettings): string {
  if (a.kind === 'npe') return `${a.rounds > 1 ? `Sequential NPE · ${a.rounds} rounds` : 'NPE'} · ${a.simulations} simulations`;
  const adjusted = a.regressionAdjustment ? ' · regression-adjusted' : '';
  if (a.kind === 'smcAbc') return `SMC-ABC · ${a.populationSize} particles · up to ${a.maxGenerations} generations${adjusted}`;
  if (a.kind === 'replenishmentSmcAbc') return `Replenishment SMC-ABC · ${a.populationSize} particles${adjusted}`;
  return (a.rejectionMode === 'epsilon' ? `ABC rejection · epsilon ${a.epsilon}` : `ABC rejection · ${a.budget} draws, keep ${a.quantile * 100}%`) + adjusted;
}

export const ALGORITHM_LABELS: Record<string, string> = {
  smcAbc: 'SMC-ABC',
  abcRejection: 'ABC rejection',
  replenishmentSmcAbc: 'Replenishment SMC-ABC',
  npe: 'NPE',
};
