import { InferenceError } from './errors.js';
import { Posterior } from './Posterior.js';
import { baseConfig, completeGeneration, createRunSetup, featureRows, finishRun, makeGeneration, type RunSetup } from './runSetup.js';
import { proposalRandom, sampleTrials } from './sampleTrials.js';
import { priorBounds, regressionAdjustmentSpec, type RegressionAdjustmentOption } from './regressionAdjustment.js';
import type { AbcOptions, StopReason } from './types.js';

export interface AbcRejectionOptions extends AbcOptions {
  /** Epsilon mode: accept prior draws whose distance is <= epsilon until `populationSize` are accepted. */
  readonly epsilon?: number;
  /** Particles wanted in epsilon mode (default 1000). */
  readonly populationSize?: number;
  /** Epsilon mode never simulates more than this many trials (default 1,000,000); it returns what it accepted. */
  readonly maxTrials?: number;
  /** Budget mode (no epsilon): simulate this many prior draws (default 10,000) and keep the nearest. */
  readonly budget?: number;
  /** Budget mode: keep this fraction of the budget (default 0.01), unless `k` is set. */
  readonly quantile?: number;
  /** Budget mode: keep the k nearest draws. */
  readonly k?: number;
  /**
   * Epsilon mode: prior-predictive trials that initialise the distance before
   * sampling (default 1000 for adaptive or max-normalised distances, else 0).
   */
  readonly calibration?: number;
  /** Adjust the accepted particles by local-linear regression on the statistics (Beaumont et al. 2002; default off). */
  readonly regressionAdjustment?: RegressionAdjustmentOption;
}

function positiveInteger(name: string, value: number): number {
  if (!Number.isSafeInteger(value) || value < 1) throw new InferenceError(`${name}: expected an integer >= 1, got ${value}`);
  return value;
}

/**
 * ABC rejection: draw parameters from the prior, simulate, keep the draws
 * whose summary statistics lie within epsilon of the observed ones (Pritchard
 * et al. 1999, doi:10.1093/oxfordjournals.molbev.a026091), or keep the
 * nearest quantile / k of a fixed simulation budget. Trial i draws its
 * parameters from stream (seed, 0, i): the result does not depend on the
 * executor or on batching.
 */
export async function abcRejection(options: AbcRejectionOptions): Promise<Posterior> {
  adjustmentOf(options); // a bad option fails before any simulation
  const setup = createRunSetup('abcRejection', options);
  try {
    return options.epsilon !== undefined ? await byEpsilon(setup, options, options.epsilon) : await byBudget(setup, options);
  } finally {
    await finishRun(setup);
  }
}

function nonNegativeInteger(name: string, value: number): number {
  if (!Number.isSafeInteger(value) || value < 0) throw new InferenceError(`${name}: expected an integer >= 0, got ${value}`);
  return value;
}

/** Distances whose scales are learnt from simulations (adaptive, running-max normalised) need a calibration sample. */
function learnsScales(spec: { kind: string; [key: string]: unknown }): boolean {
  return spec.kind === 'adaptive' || spec.maxNormalisation === true;
}

const drawFromPrior = (setup: RunSetup, generation: number) => (trial: number, out: Float64Array) => {
  setup.options.prior.sample(proposalRandom(setup.seed, generation, trial), out);
};

async function byEpsilon(setup: RunSetup, options: AbcRejectionOptions, epsilon: number): Promise<Posterior> {
  if (!(epsilon >= 0)) throw new InferenceError(`epsilon: expected a number >= 0, got ${epsilon}`);
  const populationSize = positiveInteger('populationSize', options.populationSize ?? 1000);
  const maxTrials = positiveInteger('maxTrials', options.maxTrials ?? 1_000_000);
  const learns = setup.distance.initialize !== undefined && learnsScales(setup.distance.toJSON());
  const calibration = options.calibration !== undefined ? nonNegativeInteger('calibration', options.calibration) : learns ? 1000 : 0;
  let used = 0;
  if (calibration > 0 && setup.distance.initialize) {
    // Stream generation 1 holds the calibration draws, apart from the accepted ones (generation 0).
    const sample = await sampleTrials(setup, {
      generation: 1,
      target: calibration,
      epsilon: Infinity,
      measure: false,
      maxTrials: calibration,
      propose: drawFromPrior(setup, 1),
    });
    setup.distance.initialize!({ features: featureRows(sample.features, sample.count, sample.featureCount), observed: setup.observed });
    used += sample.trialsUsed;
    setup.simulations += sample.trialsUsed;
  }
  const sample = await sampleTrials(setup, {
    generation: 0,
    target: populationSize,
    epsilon,
    measure: true,
    maxTrials,
    propose: drawFromPrior(setup, 0),
    expectedRate: 0.01,
  });
  if (sample.count === 0) {
    throw new InferenceError(
      `no trial came within epsilon = ${epsilon} of the observed statistics in ${maxTrials} trials; raise epsilon or maxTrials, or use a budget`,
      { epsilon, maxTrials },
    );
  }
  const stopReason: StopReason = sample.complete ? 'populationComplete' : 'maxTrials';
  const generation = makeGeneration(setup, {
    index: 0,
    epsilon,
    count: sample.count,
    particles: sample.particles,
    weights: new Float64Array(sample.count).fill(1 / sample.count),
    distances: sample.distances,
    features: sample.features,
    featureCount: sample.featureCount,
    simulations: sample.trialsUsed,
    acceptanceRate: sample.count / sample.trialsUsed,
  });
  await completeGeneration(setup, generation, populationSize);
  const config = { ...baseConfig(setup), mode: 'epsilon', epsilon, populationSize, maxTrials, calibration, regressionAdjustment: adjustmentOf(options) };
  return new Posterior(setup.job.parameterIds, [generation], config, stopReason, used + sample.trialsUsed);
}

async function byBudget(setup: RunSetup, options: AbcRejectionOptions): Promise<Posterior> {
  const budget = positiveInteger('budget', options.budget ?? 10_000);
  const keep = options.k !== undefined ? positiveInteger('k', options.k) : Math.max(1, Math.round(budget * (options.quantile ?? 0.01)));
  if (options.k === undefined && !((options.quantile ?? 0.01) > 0 && (options.quantile ?? 0.01) <= 1))
    throw new InferenceError(`quantile: expected a number in (0, 1], got ${options.quantile}`);
  if (keep > budget) throw new InferenceError(`k: cannot keep ${keep} of a budget of ${budget} trials`);
  const sample = await sampleTrials(setup, {
    generation: 0,
    target: budget,
    epsilon: Infinity,
    measure: false,
    maxTrials: budget,
    propose: drawFromPrior(setup, 0),
  });
  const rows = featureRows(sample.features, sample.count, sample.featureCount);
  setup.distance.initialize?.({ features: rows, observed: setup.observed });
  const all = Float64Array.from(rows, (row) => setup.distance.distance(row, setup.observed));
  // Nearest first; NaN distances last; ties by trial index (a stable sort), so the choice is deterministic.
  const order = Array.from({ length: sample.count }, (_, i) => i).sort(
    (a, b) => (Number.isNaN(all[a]) ? 1 : 0) - (Number.isNaN(all[b]) ? 1 : 0) || all[a] - all[b] || a - b,
  );
  const chosen = order.slice(0, keep);
  const d = setup.job.parameterIds.length;
  const f = sample.featureCount;
  const particles = new Float64Array(keep * d);
  const features = new Float64Array(keep * f);
  chosen.forEach((i, r) => {
    particles.set(sample.particles.subarray(i * d, (i + 1) * d), r * d);
    features.set(sample.features.subarray(i * f, (i + 1) * f), r * f);
  });
  const distances = Float64Array.from(chosen, (i) => all[i]);
  const generation = makeGeneration(setup, {
    index: 0,
    epsilon: distances[keep - 1],
    count: keep,
    particles,
    weights: new Float64Array(keep).fill(1 / keep),
    distances,
    features,
    featureCount: f,
    simulations: budget,
    acceptanceRate: keep / budget,
  });
  await completeGeneration(setup, generation, keep);
  const config = { ...baseConfig(setup), mode: 'budget', budget, keep, regressionAdjustment: adjustmentOf(options) };
  return new Posterior(setup.job.parameterIds, [generation], config, 'budgetExhausted', budget);
}

/** The stored regression-adjustment spec (null when off). */
function adjustmentOf(options: AbcRejectionOptions) {
  return regressionAdjustmentSpec(options.regressionAdjustment, options.prior.dimension, priorBounds(options.prior)) ?? null;
}
