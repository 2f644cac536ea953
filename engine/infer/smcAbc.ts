import type { PartSpec } from '../stats/types.js';
import { InferenceError } from './errors.js';
import { createEpsilon } from './parts/epsilon.js';
import { createKernel } from './parts/kernels.js';
import { Posterior } from './Posterior.js';
import { baseConfig, completeGeneration, createRunSetup, featureRows, finishRun, makeGeneration, recomputeDistances, type RunSetup } from './runSetup.js';
import { proposalRandom, samplePriorGeneration, sampleTrials } from './sampleTrials.js';
import { priorBounds, regressionAdjustmentSpec, type RegressionAdjustmentOption } from './regressionAdjustment.js';
import type { SampleResult } from './sampleTrials.js';
import type { AbcOptions, EpsilonFunction, EpsilonSchedule, Generation, PerturbationKernel, StopReason } from './types.js';
import { resumeOptions, type ResumePoint } from './resumePoint.js';
import { cumulativeWeights, logSumExp, pickIndex, weightsFromLog } from './weighted.js';

export interface SmcAbcOptions extends AbcOptions {
  /**
   * Particles per generation (default 1000; with a maxSimulations budget,
   * budget / 16 within 100 .. 1000, so the budget buys about five
   * generations: 313 particles for 5,000 simulations, 625 for 10,000).
   */
  readonly populationSize?: number;
  /** Threshold schedule (default: the weighted 0.5-quantile of the last generation's distances). */
  readonly epsilon?: EpsilonSchedule | PartSpec | EpsilonFunction;
  /** Perturbation kernel (default: multivariate normal with twice the weighted covariance). */
  readonly kernel?: PerturbationKernel | PartSpec;
  /** Stop once a generation is accepted at a threshold <= this (default 0). */
  readonly epsilonTarget?: number;
  /** Generations including the first, prior one (default 10; 100 with a maxSimulations budget). */
  readonly maxGenerations?: number;
  /** Stop when a generation's acceptance rate falls below this (default 0.01); a generation cut short by it ends the run as minFinalPopulation says. */
  readonly minAcceptanceRate?: number;
  /**
   * Total trials for the run (default unlimited). The run uses exactly this
   * many: the last generation takes what remains and keeps every acceptance
   * (see minFinalPopulation) instead of being abandoned.
   */
  readonly maxSimulations?: number;
  /**
   * The budget's last generation, or one cut short by minAcceptanceRate,
   * ends the run with its acceptances when it has at least this many
   * (default ⌈populationSize / 2⌉), else with this many trials nearest to
   * the observed statistics at the threshold the farthest of them sets,
   * when that is below the last generation's; otherwise the last generation
   * stays the result.
   */
  readonly minFinalPopulation?: number;
  /** Adjust the final generation by local-linear regression on the statistics (Beaumont et al. 2002; default off). */
  readonly regressionAdjustment?: RegressionAdjustmentOption;
  /** Kernel draws tried per trial to land inside the prior's support (default 10,000). */
  readonly maxProposalAttempts?: number;
  /**
   * Continue a run from its stored generations (0 .. k, as onGeneration gave
   * them) instead of starting over: generation k + 1 is sampled next, the
   * distance is rebuilt from generation k's learnt state, and onGeneration is
   * called for new generations only. With the same seed and settings the
   * result is bit-identical to the uninterrupted run (see resume.ts).
   */
  readonly resumeFrom?: ResumePoint;
}

/**
 * SMC-ABC (ABC population Monte Carlo).
 *
 * Method: Beaumont, Cornuet, Marin & Robert (2009), "Adaptive approximate
 * Bayesian computation", Biometrika 96:983-990, doi:10.1093/biomet/asp052.
 * Generation 0 is `populationSize` prior draws, all accepted (the
 * calibration sample of the adaptive scheme). Generation t > 0 picks particle
 * j of generation t − 1 with probability W_j, perturbs it with kernel K until
 * it lies in the prior's support, simulates, and accepts when the distance is
 * <= ε_t; its importance weight is π(θ) / Σ_j W_j K(θ | θ_j). ε_t is chosen
 * from the last generation (default: a quantile of its distances, Del Moral,
 * Doucet & Jasra 2012, doi:10.1007/s11222-011-9271-y). Adaptive distances
 * initialise on generation 0, update from every simulation of each later
 * generation, and the last generation's distances are measured again with
 * the updated distance before the next threshold is chosen.
 *
 * Trial i of generation g uses stream (seed, g, i), so the run is identical
 * whatever the executor or batch sizes.
 *
 * A simulation budget (maxSimulations) is spent exactly: once what remains
 * would not buy two more generations, the next one runs every remaining
 * trial and ends the run with all its acceptances (more or fewer than the
 * population size), or, when too few were accepted, with the trials nearest
 * to the observed statistics (a threshold chosen after the fact, which
 * leaves the importance weights valid: the proposal does not depend on it).
 * A generation that hits the budget unexpectedly ends the same way.
 */
export async function smcAbc(options: SmcAbcOptions): Promise<Posterior> {
  const setup = createRunSetup('smcAbc', resumeOptions(options));
  try {
    return await run(setup, options);
  } finally {
    await finishRun(setup);
  }
}

/** Generation 0: prior draws, all accepted; adaptive distances learn their scales from them. */
async function firstGeneration(setup: RunSetup, N: number): Promise<Generation> {
  const first = await samplePriorGeneration(setup, N);
  const firstDistances = Float64Array.from(featureRows(first.features, N, first.featureCount), (row) => setup.distance.distance(row, setup.observed));
  const generation = makeGeneration(setup, {
    index: 0,
    epsilon: firstDistances.reduce((m, v) => (v > m ? v : m), -Infinity),
    count: N,
    particles: first.particles,
    weights: new Float64Array(N).fill(1 / N),
    distances: firstDistances,
    features: first.features,
    featureCount: first.featureCount,
    simulations: N,
    acceptanceRate: 1,
  });
  await completeGeneration(setup, generation, N);
  return generation;
}

function settings(options: SmcAbcOptions) {
  const maxSimulations = options.maxSimulations ?? Infinity;
  const populationSize =
    options.populationSize ??
    (Number.isFinite(maxSimulations) ? Math.min(1000, Math.max(Math.min(100, maxSimulations), Math.round(maxSimulations / 16))) : 1000);
  const epsilonTarget = options.epsilonTarget ?? 0;
  // With a budget, the budget ends the run: the generation cap only guards against a threshold that never moves.
  const maxGenerations = options.maxGenerations ?? (Number.isFinite(maxSimulations) ? 100 : 10);
  const minAcceptanceRate = options.minAcceptanceRate ?? 0.01;
  const maxProposalAttempts = options.maxProposalAttempts ?? 10_000;
  const minFinalPopulation = options.minFinalPopulation ?? Math.ceil(populationSize / 2);
  if (!Number.isSafeInteger(populationSize) || populationSize < 2) throw new InferenceError(`populationSize: expected an integer >= 2, got ${populationSize}`);
  if (!(epsilonTarget >= 0)) throw new InferenceError(`epsilonTarget: expected a number >= 0, got ${epsilonTarget}`);
  if (!Number.isSafeInteger(maxGenerations) || maxGenerations < 1) throw new InferenceError(`maxGenerations: expected an integer >= 1, got ${maxGenerations}`);
  if (!(minAcceptanceRate >= 0 && minAcceptanceRate <= 1)) throw new InferenceError(`minAcceptanceRate: expected a number in [0, 1], got ${minAcceptanceRate}`);
  if (!(maxSimulations >= populationSize))
    throw new InferenceError(`maxSimulations: expected at least populationSize (${populationSize}) trials, got ${maxSimulations}`);
  if (minAcceptanceRate === 0 && maxSimulations === Infinity)
    throw new InferenceError('minAcceptanceRate = 0 needs a finite maxSimulations, or a generation could run forever');
  if (!Number.isSafeInteger(minFinalPopulation) || minFinalPopulation < 2 || minFinalPopulation > populationSize) {
    throw new InferenceError(`minFinalPopulation: expected an integer from 2 to populationSize (${populationSize}), got ${minFinalPopulation}`);
  }
  return { populationSize, epsilonTarget, maxGenerations, minAcceptanceRate, maxSimulations, maxProposalAttempts, minFinalPopulation };
}

async function run(setup: RunSetup, options: SmcAbcOptions): Promise<Posterior> {
  const s = settings(options);
  const N = s.populationSize;
  const prior = options.prior;
  const schedule = createEpsilon(options.epsilon);
  const kernel = createKernel(options.kernel);
  const d = prior.dimension;
  const adjustment = regressionAdjustmentSpec(options.regressionAdjustment, d, priorBounds(prior));
  const config = () => ({
    ...baseConfig(setup),
    populationSize: N,
    epsilon: schedule.toJSON(),
    kernel: kernel.toJSON(),
    epsilonTarget: s.epsilonTarget,
    maxGenerations: s.maxGenerations,
    minAcceptanceRate: s.minAcceptanceRate,
    maxSimulations: Number.isFinite(s.maxSimulations) ? s.maxSimulations : null,
    minFinalPopulation: s.minFinalPopulation,
    regressionAdjustment: adjustment ?? null,
  });

  const resumed = options.resumeFrom?.generations ?? [];
  const generations: Generation[] = resumed.length > 0 ? [...resumed] : [await firstGeneration(setup, N)];
  let total = generations.reduce((sum, g) => sum + g.simulations, 0);
  setup.simulations = total;
  let stopReason: StopReason;

  for (;;) {
    let last = generations[generations.length - 1];
    // A generation smaller than the population was the budget's last or cut short by the rate floor: the run ends (also when resumed from it).
    if (last.index > 0 && last.count < N) {
      stopReason = total >= s.maxSimulations ? 'maxSimulations' : 'minAcceptanceRate';
      break;
    }
    if (total >= s.maxSimulations) {
      stopReason = 'maxSimulations';
      break;
    }
    if (last.epsilon <= s.epsilonTarget) {
      stopReason = 'epsilonTarget';
      break;
    }
    if (generations.length >= s.maxGenerations) {
      stopReason = 'maxGenerations';
      break;
    }
    if (last.index > 0 && last.acceptanceRate < s.minAcceptanceRate) {
      stopReason = 'minAcceptanceRate';
      break;
    }
    options.signal?.throwIfAborted();
    const g = last.index + 1;
    // The distance learnt from the last generation after it was sampled: measure it again with what was learnt.
    if (setup.distance.update && last.index > 0) last = { ...last, distances: recomputeDistances(last, setup.distance, setup.observed) };
    const proposed = schedule.next({ generation: g, last });
    if (proposed === undefined || Number.isNaN(proposed)) {
      stopReason = 'epsilonSchedule';
      break;
    }
    const epsilon = Math.max(proposed, s.epsilonTarget);
    kernel.update?.({ last, epsilon });
    const rows = Array.from({ length: last.count }, (_, j) => last.particles.subarray(j * d, (j + 1) * d));
    const cumulative = cumulativeWeights(last.weights);
    const propose = (trial: number, out: Float64Array) => {
      const rng = proposalRandom(setup.seed, g, trial);
      for (let attempt = 0; attempt < s.maxProposalAttempts; attempt++) {
        const j = pickIndex(cumulative, rng.nextDouble());
        kernel.perturb(rows[j], j, rng, out);
        if (prior.logDensity(out) > -Infinity) return;
      }
      throw new InferenceError(`generation ${g}: ${s.maxProposalAttempts} kernel draws in a row fell outside the prior's support`);
    };
    const byRate = s.minAcceptanceRate > 0 ? Math.ceil(N / s.minAcceptanceRate) : Infinity;
    const remaining = s.maxSimulations - total;
    const final = isFinalGeneration(generations, remaining, byRate, N, s.maxGenerations);
    const maxTrials = final ? remaining : Math.min(byRate, remaining, Number.MAX_SAFE_INTEGER);
    const keepAll = setup.distance.update ? 10 * N : 0;
    const sample = await sampleTrials(setup, {
      generation: g,
      target: final ? remaining : N,
      populationSize: N,
      epsilon,
      measure: true,
      maxTrials,
      propose,
      expectedRate: last.acceptanceRate,
      keepAll,
      keepNearest: s.minFinalPopulation,
    });
    total += sample.trialsUsed;
    const kept = sample.complete && !final ? { ...sample, epsilon } : finalParticles(sample, epsilon, largest(last.distances), s.minFinalPopulation);
    if (!kept) {
      stopReason = maxTrials === byRate ? 'minAcceptanceRate' : 'maxSimulations';
      break;
    }
    // Importance weights π(θ_i) / Σ_j W_j K(θ_i | θ_j), in log space.
    const count = kept.count;
    const logWeights = new Float64Array(count);
    const terms = new Float64Array(last.count);
    const logW = Float64Array.from(last.weights, Math.log);
    for (let i = 0; i < count; i++) {
      const x = kept.particles.subarray(i * d, (i + 1) * d);
      for (let j = 0; j < last.count; j++) terms[j] = logW[j] + kernel.logDensity(x, rows[j], j);
      logWeights[i] = prior.logDensity(x) - logSumExp(terms);
    }
    // Prangle (2017, doi:10.1214/16-BA1002) scales come from every simulation of the generation, accepted or not.
    setup.distance.update?.({ features: sample.allFeatures, observed: setup.observed });
    const generation = makeGeneration(setup, {
      index: g,
      epsilon: kept.epsilon,
      count,
      particles: kept.particles,
      weights: weightsFromLog(logWeights),
      distances: kept.distances,
      features: kept.features,
      featureCount: kept.featureCount,
      simulations: sample.trialsUsed,
      acceptanceRate: count / sample.trialsUsed,
    });
    generations.push(generation);
    await completeGeneration(setup, generation, N);
  }
  return new Posterior(setup.job.parameterIds, generations, config(), stopReason, total);
}

/**
 * Whether generation g (after `generations`) is the budget's last: it then
 * runs every remaining trial and keeps every acceptance, however many. That
 * is so when it is the last the generation cap allows, or when the
 * remaining budget would not buy two more generations of N acceptances at
 * the predicted acceptance rate (the last rate times its last decline,
 * halved after the prior generation): a full generation and a stub would
 * spend the same trials on a worse final population. Never when the
 * acceptance-rate floor would stop the generation first.
 */
function isFinalGeneration(generations: readonly Generation[], remaining: number, byRate: number, N: number, maxGenerations: number): boolean {
  if (!Number.isFinite(remaining) || remaining > byRate) return false;
  if (generations.length + 1 >= maxGenerations) return true;
  const last = generations[generations.length - 1];
  const before = generations[generations.length - 2];
  const rate = last.index > 0 ? last.acceptanceRate : 1;
  const decline = before && before.index > 0 ? Math.min(1, last.acceptanceRate / before.acceptanceRate) : 0.5;
  return remaining <= (2 * N) / Math.max(rate * decline, 1e-12);
}

/**
 * The particles a generation cut short by its trial cap ends the run with:
 * its acceptances at the planned threshold when there are at least
 * `minimum`; else the `minimum` trials nearest to the observed statistics,
 * at the threshold the farthest of them sets, if that is still below the
 * last generation's largest distance (measured with the current distance);
 * else none (the last generation stays the result).
 */
function finalParticles(sample: SampleResult, epsilon: number, lastLargest: number, minimum: number) {
  if (sample.count >= minimum) return { ...sample, epsilon };
  const nearest = sample.nearest;
  if (nearest.count < minimum) return undefined;
  const threshold = nearest.distances[minimum - 1];
  if (!(threshold < lastLargest)) return undefined;
  // Trials tied at the threshold beyond `minimum` are left out by trial index: the k-nearest-neighbour form of rejection ABC.
  return {
    count: minimum,
    particles: nearest.particles,
    features: nearest.features,
    featureCount: nearest.features.length / minimum,
    distances: nearest.distances,
    epsilon: threshold,
  };
}

function largest(values: Float64Array): number {
  let m = -Infinity;
  for (const v of values) if (v > m) m = v;
  return m;
}
