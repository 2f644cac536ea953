import type { Trial } from '../compute/executor.js';
import { Xoshiro128 } from '../sample/random/Xoshiro128.js';
import { deriveStreamState } from '../sample/random/seedDerivation.js';
import { InferenceError } from './errors.js';
import { MultivariateNormalKernel } from './parts/kernels.js';
import { Posterior } from './Posterior.js';
import { baseConfig, completeGeneration, createRunSetup, featureRows, finishRun, makeGeneration, type RunSetup } from './runSetup.js';
import { PROPOSAL_STREAM, proposalRandom, samplePriorGeneration } from './sampleTrials.js';
import { resumeOptions, type ResumePoint } from './resumePoint.js';
import { priorBounds, regressionAdjustmentSpec, type RegressionAdjustmentOption } from './regressionAdjustment.js';
import type { AbcOptions, Generation, StopReason } from './types.js';

export interface ReplenishmentSmcAbcOptions extends AbcOptions {
  /** Particles (default 1000). */
  readonly populationSize?: number;
  /** Fraction of particles dropped (and replenished) per iteration (default 0.5). */
  readonly alpha?: number;
  /** Pilot MCMC iterations per replenished particle, from which the move rate is estimated (default 10). */
  readonly rTrial?: number;
  /** Target probability that a replenished particle is never moved (default 0.01). */
  readonly c?: number;
  /** Stop when the MCMC acceptance rate falls below this (default 0.05). */
  readonly pMin?: number;
  /** Random-walk covariance = scale × sample covariance of the kept particles (default 2). */
  readonly kernelScale?: number;
  /** Stop once every particle is within this distance (default 0). */
  readonly epsilonTarget?: number;
  /** Generations including the first, prior one (default 100). */
  readonly maxGenerations?: number;
  /** Total trials for the run (default unlimited); checked between MCMC iterations. */
  readonly maxSimulations?: number;
  /** Continue from stored generations 0 .. k (see SmcAbcOptions.resumeFrom): bit-identical to the uninterrupted run. */
  readonly resumeFrom?: ResumePoint;
  /** Adjust the final particles by local-linear regression on the statistics (Beaumont et al. 2002; default off). */
  readonly regressionAdjustment?: RegressionAdjustmentOption;
}

/** Stream of the resampling draw of slot s in generation g (never a run index, so apart from simulations). */
const RESAMPLE_STREAM = PROPOSAL_STREAM - 1;

/**
 * Replenishment SMC-ABC.
 *
 * Method: Drovandi & Pettitt (2011), "Estimation of parameters for
 * macroparasite population evolution using approximate Bayesian
 * computation", Biometrics 67:225-233, doi:10.1111/j.1541-0420.2010.01410.x.
 * Each iteration sorts the particles by distance, sets ε_t to the largest
 * distance of the best N − ⌊αN⌋, drops the others and replaces them by
 * copies of kept particles, which then move by an MCMC-ABC kernel (random
 * walk, prior ratio tested before simulating, accepted when the distance is
 * <= ε_t). R_trial pilot iterations estimate the move acceptance rate p_acc;
 * R_t = ⌈log c / log(1 − p_acc)⌉ iterations in all make a particle stay put
 * with probability about c. The run stops when p_acc < p_min or every
 * distance is <= the target. Weights stay equal.
 *
 * Move r of replenished slot k in generation g is trial i = r·⌊αN⌋ + k with
 * stream (seed, g, i): results do not depend on executor or batching.
 */
export async function replenishmentSmcAbc(options: ReplenishmentSmcAbcOptions): Promise<Posterior> {
  const setup = createRunSetup('replenishmentSmcAbc', resumeOptions(options));
  try {
    return await run(setup, options);
  } finally {
    await finishRun(setup);
  }
}

function settings(o: ReplenishmentSmcAbcOptions) {
  const s = {
    populationSize: o.populationSize ?? 1000,
    alpha: o.alpha ?? 0.5,
    rTrial: o.rTrial ?? 10,
    c: o.c ?? 0.01,
    pMin: o.pMin ?? 0.05,
    kernelScale: o.kernelScale ?? 2,
    epsilonTarget: o.epsilonTarget ?? 0,
    maxGenerations: o.maxGenerations ?? 100,
    maxSimulations: o.maxSimulations ?? Infinity,
  };
  const check = (ok: boolean, field: string, expected: string, value: number) => {
    if (!ok) throw new InferenceError(`${field}: expected ${expected}, got ${value}`);
  };
  check(Number.isSafeInteger(s.populationSize) && s.populationSize >= 4, 'populationSize', 'an integer >= 4', s.populationSize);
  check(s.alpha > 0 && s.alpha < 1 && Math.floor(s.alpha * s.populationSize) >= 1, 'alpha', 'a fraction in (0, 1) dropping at least one particle', s.alpha);
  check(Number.isSafeInteger(s.rTrial) && s.rTrial >= 1, 'rTrial', 'an integer >= 1', s.rTrial);
  check(s.c > 0 && s.c < 1, 'c', 'a probability in (0, 1)', s.c);
  check(s.pMin > 0 && s.pMin < 1, 'pMin', 'a probability in (0, 1)', s.pMin);
  check(s.epsilonTarget >= 0, 'epsilonTarget', 'a number >= 0', s.epsilonTarget);
  check(Number.isSafeInteger(s.maxGenerations) && s.maxGenerations >= 1, 'maxGenerations', 'an integer >= 1', s.maxGenerations);
  return s;
}

async function run(setup: RunSetup, options: ReplenishmentSmcAbcOptions): Promise<Posterior> {
  const s = settings(options);
  const adjustment = regressionAdjustmentSpec(options.regressionAdjustment, options.prior.dimension, priorBounds(options.prior));
  const N = s.populationSize;
  const prior = options.prior;
  const d = prior.dimension;
  const uniform = new Float64Array(N).fill(1 / N);
  const resumed = options.resumeFrom?.generations ?? [];
  let particles: Float64Array;
  let features: Float64Array;
  let distances: Float64Array;
  let f: number;
  if (resumed.length > 0) {
    // The state after generation k is its particles, statistics and distances (the weights stay uniform).
    const last = resumed[resumed.length - 1];
    particles = last.particles.slice();
    features = last.features.slice();
    distances = last.distances.slice();
    f = last.featureCount;
  } else {
    const first = await samplePriorGeneration(setup, N);
    f = first.featureCount;
    particles = first.particles;
    features = first.features;
    distances = Float64Array.from(featureRows(features, N, f), (row) => setup.distance.distance(row, setup.observed));
  }
  const record = (index: number, epsilon: number, simulations: number, acceptanceRate: number): Generation =>
    makeGeneration(setup, { index, epsilon, count: N, particles, weights: uniform, distances, features, featureCount: f, simulations, acceptanceRate });
  const generations = resumed.length > 0 ? [...resumed] : [record(0, maximum(distances), N, 1)];
  if (resumed.length === 0) await completeGeneration(setup, generations[0], N);
  let total = generations.reduce((sum, g) => sum + g.simulations, 0);
  setup.simulations = total;
  const kernel = new MultivariateNormalKernel({ scale: s.kernelScale });
  const dropped = Math.floor(s.alpha * N);
  const kept = N - dropped;
  let stopReason: StopReason | undefined;
  const resumedLast = resumed[resumed.length - 1];
  // A stored generation whose move rate fell below pMin ended the run.
  if (resumedLast && resumedLast.index > 0 && resumedLast.acceptanceRate < s.pMin) stopReason = 'minAcceptanceRate';

  for (let g = generations[generations.length - 1].index + 1; stopReason === undefined; g++) {
    if (maximum(distances) <= s.epsilonTarget) {
      stopReason = 'epsilonTarget';
      break;
    }
    if (generations.length >= s.maxGenerations) {
      stopReason = 'maxGenerations';
      break;
    }
    if (total >= s.maxSimulations) {
      stopReason = 'maxSimulations';
      break;
    }
    // Sort by distance (ties by position, so the order is deterministic) and drop the worst ⌊αN⌋.
    const order = Array.from({ length: N }, (_, i) => i).sort((a, b) => distances[a] - distances[b] || a - b);
    const take = (i: number) =>
      order[i < kept ? i : Math.floor(new Xoshiro128(deriveStreamState(setup.seed, g, i - kept, RESAMPLE_STREAM)).nextDouble() * kept)];
    const source = Array.from({ length: N }, (_, i) => take(i));
    particles = gather(particles, source, d);
    features = gather(features, source, f);
    distances = Float64Array.from(source, (i) => distances[i]);
    const epsilon = distances[kept - 1];
    // The random walk's covariance comes from the kept particles.
    const keptView: Generation = {
      ...generations[generations.length - 1],
      count: kept,
      particles: particles.slice(0, kept * d),
      weights: new Float64Array(kept).fill(1 / kept),
      distances: distances.slice(0, kept),
    };
    kernel.update({ last: keptView, epsilon });
    let moves = 0;
    let simulated = 0;
    let iterations = s.rTrial;
    let pAcc = 0;
    let done = 0;
    for (let r = 0; r < iterations; r++, done++) {
      options.signal?.throwIfAborted();
      const { accepted, trials } = await mcmcIteration(setup, kernel, { g, r, kept, dropped, epsilon, particles, features, distances, d, f });
      moves += accepted;
      simulated += trials;
      total += trials;
      if (r + 1 === s.rTrial) {
        pAcc = moves / (s.rTrial * dropped);
        iterations = pAcc >= 1 ? s.rTrial : Math.max(s.rTrial, Math.ceil(Math.log(s.c) / Math.log(1 - pAcc)));
        if (pAcc < s.pMin) iterations = s.rTrial;
      }
      setup.progress({ phase: 'sampling', generation: g, epsilon, accepted: moves, populationSize: N, acceptanceRate: moves / ((r + 1) * dropped) }, simulated);
      if (total >= s.maxSimulations) {
        done++;
        break;
      }
    }
    pAcc = moves / (done * dropped);
    const generation = record(g, epsilon, simulated, pAcc);
    generations.push(generation);
    await completeGeneration(setup, generation, N);
    if (pAcc < s.pMin) {
      stopReason = 'minAcceptanceRate';
      break;
    }
  }
  const config = {
    ...baseConfig(setup),
    populationSize: N,
    alpha: s.alpha,
    rTrial: s.rTrial,
    c: s.c,
    pMin: s.pMin,
    kernelScale: s.kernelScale,
    epsilonTarget: s.epsilonTarget,
    maxGenerations: s.maxGenerations,
    maxSimulations: Number.isFinite(s.maxSimulations) ? s.maxSimulations : null,
    regressionAdjustment: adjustment ?? null,
  };
  return new Posterior(setup.job.parameterIds, generations, config, stopReason!, total);
}

function maximum(values: Float64Array): number {
  let m = -Infinity;
  for (const v of values) if (v > m) m = v;
  return m;
}

function gather(rows: Float64Array, source: readonly number[], width: number): Float64Array {
  const out = new Float64Array(source.length * width);
  source.forEach((i, r) => out.set(rows.subarray(i * width, (i + 1) * width), r * width));
  return out;
}

interface IterationState {
  g: number;
  r: number;
  kept: number;
  dropped: number;
  epsilon: number;
  d: number;
  f: number;
  particles: Float64Array;
  features: Float64Array;
  distances: Float64Array;
}

/** One MCMC-ABC move of every replenished particle, updating the state arrays in place. */
async function mcmcIteration(setup: RunSetup, kernel: MultivariateNormalKernel, st: IterationState): Promise<{ accepted: number; trials: number }> {
  const prior = setup.options.prior;
  const trials: Trial[] = [];
  for (let k = 0; k < st.dropped; k++) {
    const slot = st.kept + k;
    const index = st.r * st.dropped + k;
    const rng = proposalRandom(setup.seed, st.g, index);
    const current = st.particles.subarray(slot * st.d, (slot + 1) * st.d);
    const proposal = new Float64Array(st.d);
    kernel.perturb(current, slot, rng, proposal);
    // Symmetric random walk: the Metropolis-Hastings ratio is the prior ratio, tested before simulating.
    const logRatio = prior.logDensity(proposal) - prior.logDensity(current);
    if (!(Math.log(rng.nextOpenDouble()) <= logRatio)) continue;
    trials.push({ index, parameters: proposal, stream: [st.g, index] });
  }
  if (trials.length === 0) return { accepted: 0, trials: 0 };
  const results = await setup.map(trials);
  const byIndex = new Map(results.map((r) => [r.index, r]));
  let accepted = 0;
  for (const trial of trials) {
    const result = byIndex.get(trial.index);
    if (!result?.features) throw new InferenceError(`no features returned for trial ${trial.index}`);
    const distance = setup.distance.distance(result.features, setup.observed);
    if (!(distance <= st.epsilon)) continue;
    const slot = st.kept + (trial.index - st.r * st.dropped);
    st.particles.set(trial.parameters, slot * st.d);
    st.features.set(result.features, slot * st.f);
    st.distances[slot] = distance;
    accepted++;
  }
  return { accepted, trials: trials.length };
}
