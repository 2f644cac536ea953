import type { PartSpec } from '../stats/types.js';
import { InferenceError } from './errors.js';
import { createEpsilon } from './parts/epsilon.js';
import { createKernel } from './parts/kernels.js';
import { Posterior } from './Posterior.js';
import { baseConfig, completeGeneration, createRunSetup, featureRows, finishRun, makeGeneration, recomputeDistances, type RunSetup } from './runSetup.js';
import { proposalRandom, samplePriorGeneration, sampleTrials } from './sampleTrials.js';
import type { AbcOptions, EpsilonFunction, EpsilonSchedule, Generation, PerturbationKernel, StopReason } from './types.js';
import { resumeOptions, type ResumePoint } from './resumePoint.js';
import { cumulativeWeights, logSumExp, pickIndex, weightsFromLog } from './weighted.js';

export interface SmcAbcOptions extends AbcOptions {
  /** Particles per generation (default 1000). */
  readonly populationSize?: number;
  /** Threshold schedule (default: the weighted 0.5-quantile of the last generation's distances). */
  readonly epsilon?: EpsilonSchedule | PartSpec | EpsilonFunction;
  /** Perturbation kernel (default: multivariate normal with twice the weighted covariance). */
  readonly kernel?: PerturbationKernel | PartSpec;
  /** Stop once a generation is accepted at a threshold <= this (default 0). */
  readonly epsilonTarget?: number;
  /** Generations including the first, prior one (default 10). */
  readonly maxGenerations?: number;
  /** Stop when a generation's acceptance rate falls below this (default 0.01); a generation that cannot reach it is abandoned. */
  readonly minAcceptanceRate?: number;
  /** Total trials for the run (default unlimited); a generation that would exceed it is abandoned. */
  readonly maxSimulations?: number;
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
  const populationSize = options.populationSize ?? 1000;
  const epsilonTarget = options.epsilonTarget ?? 0;
  const maxGenerations = options.maxGenerations ?? 10;
  const minAcceptanceRate = options.minAcceptanceRate ?? 0.01;
  const maxSimulations = options.maxSimulations ?? Infinity;
  const maxProposalAttempts = options.maxProposalAttempts ?? 10_000;
  if (!Number.isSafeInteger(populationSize) || populationSize < 2) throw new InferenceError(`populationSize: expected an integer >= 2, got ${populationSize}`);
  if (!(epsilonTarget >= 0)) throw new InferenceError(`epsilonTarget: expected a number >= 0, got ${epsilonTarget}`);
  if (!Number.isSafeInteger(maxGenerations) || maxGenerations < 1) throw new InferenceError(`maxGenerations: expected an integer >= 1, got ${maxGenerations}`);
  if (!(minAcceptanceRate >= 0 && minAcceptanceRate <= 1)) throw new InferenceError(`minAcceptanceRate: expected a number in [0, 1], got ${minAcceptanceRate}`);
  if (!(maxSimulations >= populationSize)) throw new InferenceError(`maxSimulations: expected at least populationSize (${populationSize}) trials, got ${maxSimulations}`);
  if (minAcceptanceRate === 0 && maxSimulations === Infinity) throw new InferenceError('minAcceptanceRate = 0 needs a finite maxSimulations, or a generation could run forever');
  return { populationSize, epsilonTarget, maxGenerations, minAcceptanceRate, maxSimulations, maxProposalAttempts };
}

async function run(setup: RunSetup, options: SmcAbcOptions): Promise<Posterior> {
  const s = settings(options);
  const N = s.populationSize;
  const prior = options.prior;
  const schedule = createEpsilon(options.epsilon);
  const kernel = createKernel(options.kernel);
  const d = prior.dimension;
  const config = () => ({
    ...baseConfig(setup),
    populationSize: N,
    epsilon: schedule.toJSON(),
    kernel: kernel.toJSON(),
    epsilonTarget: s.epsilonTarget,
    maxGenerations: s.maxGenerations,
    minAcceptanceRate: s.minAcceptanceRate,
    maxSimulations: Number.isFinite(s.maxSimulations) ? s.maxSimulations : null,
  });

  const resumed = options.resumeFrom?.generations ?? [];
  const generations: Generation[] = resumed.length > 0 ? [...resumed] : [await firstGeneration(setup, N)];
  let total = generations.reduce((sum, g) => sum + g.simulations, 0);
  setup.simulations = total;
  let stopReason: StopReason;

  for (;;) {
    let last = generations[generations.length - 1];
    if (last.epsilon <= s.epsilonTarget) { stopReason = 'epsilonTarget'; break; }
    if (generations.length >= s.maxGenerations) { stopReason = 'maxGenerations'; break; }
    if (last.index > 0 && last.acceptanceRate < s.minAcceptanceRate) { stopReason = 'minAcceptanceRate'; break; }
    if (total >= s.maxSimulations) { stopReason = 'maxSimulations'; break; }
    options.signal?.throwIfAborted();
    const g = last.index + 1;
    // The distance learnt from the last generation after it was sampled: measure it again with what was learnt.
    if (setup.distance.update && last.index > 0) last = { ...last, distances: recomputeDistances(last, setup.distance, setup.observed) };
    const proposed = schedule.next({ generation: g, last });
    if (proposed === undefined || Number.isNaN(proposed)) { stopReason = 'epsilonSchedule'; break; }
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
    const maxTrials = Math.min(byRate, s.maxSimulations - total, Number.MAX_SAFE_INTEGER);
    const keepAll = setup.distance.update ? 10 * N : 0;
    const sample = await sampleTrials(setup, { generation: g, target: N, epsilon, measure: true, maxTrials, propose, expectedRate: last.acceptanceRate, keepAll });
    total += sample.trialsUsed;
    if (!sample.complete) {
      stopReason = maxTrials === byRate ? 'minAcceptanceRate' : 'maxSimulations';
      break;
    }
    // Importance weights π(θ_i) / Σ_j W_j K(θ_i | θ_j), in log space.
    const logWeights = new Float64Array(N);
    const terms = new Float64Array(last.count);
    const logW = Float64Array.from(last.weights, Math.log);
    for (let i = 0; i < N; i++) {
      const x = sample.particles.subarray(i * d, (i + 1) * d);
      for (let j = 0; j < last.count; j++) terms[j] = logW[j] + kernel.logDensity(x, rows[j], j);
      logWeights[i] = prior.logDensity(x) - logSumExp(terms);
    }
    // Prangle (2017, doi:10.1214/16-BA1002) scales come from every simulation of the generation, accepted or not.
    setup.distance.update?.({ features: sample.allFeatures, observed: setup.observed });
    const generation = makeGeneration(setup, {
      index: g,
      epsilon,
      count: N,
      particles: sample.particles,
      weights: weightsFromLog(logWeights),
      distances: sample.distances,
      features: sample.features,
      featureCount: sample.featureCount,
      simulations: sample.trialsUsed,
      acceptanceRate: N / sample.trialsUsed,
    });
    generations.push(generation);
    await completeGeneration(setup, generation, N);
  }
  return new Posterior(setup.job.parameterIds, generations, config(), stopReason, total);
}
