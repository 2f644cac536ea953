import { initLearnBackend } from '../../learn/backend.js';
import { deriveStreamState } from '../../sample/random/seedDerivation.js';
import { InferenceError } from '../errors.js';
import { baseConfig, createRunSetup, finishRun } from '../runSetup.js';
import { PROPOSAL_STREAM, proposalRandom, sampleTrials } from '../sampleTrials.js';
import type { AbcOptions } from '../types.js';
import { validateArchitecture, type FlowArchitecture } from './maskedAutoregressiveFlow.js';
import { NeuralPosterior, type NpeRound } from './NeuralPosterior.js';
import { createFlow, resolveTrainingOptions, trainFlow, type FlowEpoch, type FlowTrainingOptions, type TrainedFlow } from './trainFlow.js';

export interface NpeOptions extends Omit<AbcOptions, 'distance' | 'onGeneration'> {
  /** Total simulation budget, split evenly over the rounds (default 10,000). */
  readonly simulations?: number;
  /** 1: NPE on prior draws; > 1: SNPE-C, later rounds drawing from the posterior at x_o (default 1). */
  readonly rounds?: number;
  /**
   * The flow's shape; sbi's defaults: 5 transforms of 50 hidden units, two
   * hidden layers each, tanh; here with direct linear connections too (see
   * FlowArchitecture.linear).
   */
  readonly flow?: Partial<Pick<FlowArchitecture, 'transforms' | 'hidden' | 'hiddenLayers' | 'activation' | 'linear'>>;
  /** Training settings (the loss is chosen per round: maximum likelihood in round 0, atomic after). */
  readonly training?: Omit<FlowTrainingOptions, 'loss' | 'seed' | 'signal' | 'onEpoch'>;
  /** Each training epoch of each round: for live training curves. */
  readonly onEpoch?: (round: number, epoch: FlowEpoch) => void;
  /** Each completed round, with the posterior estimate after it (store it to keep the run). */
  readonly onRound?: (round: NpeRound, posterior: NeuralPosterior) => void | Promise<void>;
}

/** A 32-bit seed for a sub-task of round r (training, proposal draws) from the run seed. */
const roundSeed = (seed: number, round: number, task: number) => deriveStreamState(seed, round, PROPOSAL_STREAM, task)[0];

/**
 * Neural posterior estimation. Round 0 draws N parameter sets from the
 * prior (trial i from stream (seed, 0, i), like ABC rejection), simulates
 * them through the executor and fits a conditional density estimator
 * q(θ | x) by maximum likelihood (Papamakarios & Murray 2016,
 * arXiv:1605.06376). With rounds > 1 (SNPE-C / APT, Greenberg, Nonnenmacher
 * & Macke 2019, arXiv:1905.07488) round r draws its parameters from the
 * current q(θ | x_o), restricted to the prior's support, and the estimator
 * keeps training on all pairs so far with the atomic loss, which corrects
 * for the proposals without importance weights. Results are deterministic
 * for a seed on one tfjs backend, whatever the executor or batching.
 */
export async function npe(options: NpeOptions): Promise<NeuralPosterior> {
  const total = options.simulations ?? 10_000;
  const rounds = options.rounds ?? 1;
  if (!Number.isSafeInteger(rounds) || rounds < 1) throw new InferenceError(`rounds: expected an integer >= 1, got ${rounds}`, { field: 'rounds' });
  if (!Number.isSafeInteger(total) || total < 10 * rounds)
    throw new InferenceError(`simulations: expected an integer >= 10 per round (${10 * rounds}), got ${total}`, { field: 'simulations' });
  resolveTrainingOptions(options.training);
  const setup = createRunSetup(rounds > 1 ? 'snpe' : 'npe', options);
  try {
    const D = setup.job.parameterIds.length;
    const prior = options.prior;
    const thetas: Float64Array[] = [];
    const xs: Float64Array[] = [];
    const logPriors: number[] = [];
    const fromPrior: number[] = [];
    const history: NpeRound[] = [];
    let estimator: TrainedFlow | null = null;
    let posterior: NeuralPosterior | null = null;
    const architecture = (C: number): FlowArchitecture => ({
      kind: 'maf',
      dimension: D,
      contextDimension: C,
      transforms: 5,
      hidden: 50,
      hiddenLayers: 2,
      activation: 'tanh',
      linear: true,
      ...options.flow,
    });
    // Settings are checked before any simulation runs.
    validateArchitecture(architecture(setup.observed.length));
    await initLearnBackend();
    for (let r = 0; r < rounds; r++) {
      const count = Math.floor(total / rounds) + (r < total % rounds ? 1 : 0);
      let proposals: Float64Array | null = null;
      let proposalAcceptance = 1;
      if (posterior) {
        const drawn = await posterior.sample(count, { seed: roundSeed(setup.seed, r, 0) });
        proposals = drawn.samples;
        proposalAcceptance = drawn.acceptance;
      }
      const chosen = proposals;
      const sample = await sampleTrials(setup, {
        generation: r,
        target: count,
        epsilon: Infinity,
        measure: false,
        maxTrials: count,
        propose: (trial, out) => (chosen ? out.set(chosen.subarray(trial * D, (trial + 1) * D)) : void prior.sample(proposalRandom(setup.seed, r, trial), out)),
      });
      const C = sample.featureCount;
      if (setup.observed.length !== C) throw new InferenceError(`observed: expected ${C} statistics (what the summaries give), got ${setup.observed.length}`);
      let invalid = 0;
      for (let i = 0; i < sample.count; i++) {
        const x = sample.features.subarray(i * C, (i + 1) * C);
        if (!x.every(Number.isFinite)) {
          invalid++;
          continue;
        }
        const theta = sample.particles.subarray(i * D, (i + 1) * D);
        thetas.push(theta);
        xs.push(x);
        logPriors.push(prior.logDensity(theta));
        fromPrior.push(r === 0 ? 1 : 0);
      }
      setup.simulations += sample.trialsUsed;
      const data = {
        count: thetas.length,
        theta: pack(thetas, D),
        x: pack(xs, C),
        logPrior: Float64Array.from(logPriors),
        fromPrior: Float64Array.from(fromPrior),
      };
      if (data.count < 10) throw new InferenceError(`only ${data.count} simulations gave finite statistics; NPE needs at least 10`, { invalid });
      estimator ??= createFlow(architecture(C), data, roundSeed(setup.seed, 0, 1));
      const trained = await trainFlow(estimator, data, {
        ...options.training,
        loss: r === 0 ? 'maximumLikelihood' : 'atomic',
        seed: roundSeed(setup.seed, r, 2),
        signal: options.signal,
        onEpoch: (epoch) => options.onEpoch?.(r, epoch),
      });
      estimator = { architecture: trained.architecture, standardisation: trained.standardisation, weights: trained.weights };
      const round: NpeRound = {
        round: r,
        simulations: sample.trialsUsed,
        invalid,
        proposalAcceptance,
        trainLoss: trained.trainLoss,
        validationLoss: trained.validationLoss,
        bestEpoch: trained.bestEpoch,
        seconds: trained.seconds,
      };
      history.push(round);
      posterior?.dispose();
      const config = { ...baseConfig(setup), simulationsRequested: total, rounds, flow: estimator.architecture, training: { ...options.training } };
      delete (config as { distance?: unknown }).distance;
      posterior = new NeuralPosterior(setup.job.parameterIds, prior, setup.observed, estimator, [...history], setup.simulations, config);
      setup.progress({
        phase: 'generation',
        generation: r,
        epsilon: NaN,
        accepted: sample.count - invalid,
        populationSize: count,
        acceptanceRate: proposalAcceptance,
      });
      await options.onRound?.(round, posterior);
    }
    return posterior!;
  } finally {
    await finishRun(setup);
  }
}

function pack(rows: readonly Float64Array[], width: number): Float64Array {
  const out = new Float64Array(rows.length * width);
  rows.forEach((row, i) => out.set(row, i * width));
  return out;
}
