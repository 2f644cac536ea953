import { inThreadCompute, type ComputeRunner } from '../../compute/thread/ComputeRunner.js';
import { initLearnBackend } from '../../learn/backend.js';
import { deriveStreamState } from '../../sample/random/seedDerivation.js';
import { InferenceError } from '../errors.js';
import { baseConfig, createRunSetup, finishRun } from '../runSetup.js';
import { PROPOSAL_STREAM, proposalRandom, sampleTrials } from '../sampleTrials.js';
import type { AbcOptions } from '../types.js';
import { validateArchitecture, type FlowArchitecture } from './maskedAutoregressiveFlow.js';
import { NeuralPosterior, type NpeRound } from './NeuralPosterior.js';
import { highDensityThreshold, sampleTruncatedPrior, validateTruncation, type TruncationOptions } from './truncatedProposal.js';
import { createFlow, resolveTrainingOptions, type FlowEpoch, type FlowTrainingResult, type FlowTrainingOptions, type TrainedFlow } from './trainFlow.js';

export interface NpeOptions extends Omit<AbcOptions, 'distance' | 'onGeneration'> {
  /** Total simulation budget, split evenly over the rounds (default 10,000). */
  readonly simulations?: number;
  /** 1: NPE on prior draws; > 1: sequential rounds, later rounds focused on x_o as `sequential` says (default 1). */
  readonly rounds?: number;
  /**
   * How rounds after the first choose their parameters (rounds > 1 only):
   * - 'truncated' (default): TSNPE (Deistler et al. 2022), the prior
   *   restricted to the current estimate's highest-density region at x_o,
   *   and maximum likelihood on all pairs: a round costs what an NPE round does.
   * - 'atomic': SNPE-C / APT (Greenberg et al. 2019), draws from q(θ | x_o)
   *   and the atomic loss (about `atoms` times the cost per epoch).
   */
  readonly sequential?: SequentialMethod;
  /** The truncation region's settings ('truncated' only). */
  readonly truncation?: Omit<TruncationOptions, 'chunk'>;
  /**
   * The flow's shape; sbi's defaults: 5 transforms of 50 hidden units, two
   * hidden layers each, tanh; here with direct linear connections too (see
   * FlowArchitecture.linear).
   */
  readonly flow?: Partial<Pick<FlowArchitecture, 'transforms' | 'hidden' | 'hiddenLayers' | 'activation' | 'linear'>>;
  /** Training settings (the loss is chosen per round: maximum likelihood in round 0 and in truncated rounds, atomic in atomic ones). */
  readonly training?: Omit<FlowTrainingOptions, 'loss' | 'seed' | 'signal' | 'onEpoch'>;
  /**
   * Where the flow trains (default: this thread). The engine behind the app
   * and `sciope serve` passes its compute threads, so its event loop stays
   * free while a round trains; the weights are the same either way.
   */
  readonly compute?: ComputeRunner;
  /** Each training epoch of each round: for live training curves. */
  readonly onEpoch?: (round: number, epoch: FlowEpoch) => void;
  /** Each completed round, with the posterior estimate after it (store it to keep the run). */
  readonly onRound?: (round: NpeRound, posterior: NeuralPosterior) => void | Promise<void>;
}

export type SequentialMethod = 'truncated' | 'atomic';
export const SEQUENTIAL_METHODS: readonly SequentialMethod[] = ['truncated', 'atomic'];

/** A 32-bit seed for a sub-task of round r (training, proposal draws) from the run seed. */
const roundSeed = (seed: number, round: number, task: number) => deriveStreamState(seed, round, PROPOSAL_STREAM, task)[0];

/**
 * Neural posterior estimation. Round 0 draws N parameter sets from the
 * prior (trial i from stream (seed, 0, i), like ABC rejection), simulates
 * them through the executor and fits a conditional density estimator
 * q(θ | x) by maximum likelihood (Papamakarios & Murray 2016,
 * arXiv:1605.06376). With rounds > 1, later rounds focus their simulations
 * on x_o. By default (`sequential: 'truncated'`, TSNPE, Deistler, Goncalves &
 * Macke 2022, arXiv:2210.04815) round r draws from the prior restricted to
 * the current q(θ | x_o)'s highest-density region (see truncatedProposal.ts)
 * and the estimator keeps training by maximum likelihood on all pairs so far.
 * With `sequential: 'atomic'` (SNPE-C / APT, Greenberg, Nonnenmacher & Macke
 * 2019, arXiv:1905.07488) round r draws from q(θ | x_o) itself, restricted to
 * the prior's support, and training continues with the atomic loss, which
 * corrects for the proposals without importance weights. Later rounds start
 * from the previous round's weights. Results are deterministic for a seed on
 * one tfjs backend, whatever the executor or batching.
 */
export async function npe(options: NpeOptions): Promise<NeuralPosterior> {
  const total = options.simulations ?? 10_000;
  const rounds = options.rounds ?? 1;
  if (!Number.isSafeInteger(rounds) || rounds < 1) throw new InferenceError(`rounds: expected an integer >= 1, got ${rounds}`, { field: 'rounds' });
  if (!Number.isSafeInteger(total) || total < 10 * rounds)
    throw new InferenceError(`simulations: expected an integer >= 10 per round (${10 * rounds}), got ${total}`, { field: 'simulations' });
  const sequential = options.sequential ?? 'truncated';
  if (!SEQUENTIAL_METHODS.includes(sequential))
    throw new InferenceError(`sequential: expected "truncated" or "atomic", got ${JSON.stringify(sequential)}`, { field: 'sequential' });
  resolveTrainingOptions(options.training);
  const truncation = options.truncation ?? {};
  validateTruncation(truncation);
  const truncated = rounds > 1 && sequential === 'truncated';
  const setup = createRunSetup(rounds > 1 ? (truncated ? 'tsnpe' : 'snpe') : 'npe', options);
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
      let region: Pick<NpeRound, 'truncationThreshold' | 'truncatedPriorMass'> = {};
      if (posterior && truncated) {
        const threshold = await highDensityThreshold(posterior, {
          quantile: truncation.quantile,
          samples: truncation.thresholdSamples,
          seed: roundSeed(setup.seed, r, 0),
        });
        const drawn = await sampleTruncatedPrior(prior, posterior, count, threshold, roundSeed(setup.seed, r, 3), { maxCandidates: truncation.maxCandidates });
        proposals = drawn.samples;
        proposalAcceptance = drawn.priorMass;
        region = { truncationThreshold: threshold, truncatedPriorMass: drawn.priorMass };
      } else if (posterior) {
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
        // A truncated prior's pairs are trained on like the prior's (maximum likelihood on all of them).
        fromPrior.push(r === 0 || truncated ? 1 : 0);
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
      const trained: FlowTrainingResult = await (options.compute ?? inThreadCompute).run(
        'trainFlow',
        {
          start: estimator,
          data,
          options: { ...options.training, loss: r === 0 || truncated ? 'maximumLikelihood' : 'atomic', seed: roundSeed(setup.seed, r, 2) },
        },
        { signal: options.signal, onProgress: (epoch) => options.onEpoch?.(r, epoch) },
      );
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
        ...region,
      };
      history.push(round);
      posterior?.dispose();
      const config = {
        ...baseConfig(setup),
        simulationsRequested: total,
        rounds,
        ...(rounds > 1 ? { sequential } : {}),
        ...(truncated ? { truncation: { ...truncation } } : {}),
        flow: estimator.architecture,
        training: { ...options.training },
      };
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
