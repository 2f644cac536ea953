import { deriveStreamState } from '../sample/random/seedDerivation.js';
import type { NeuralPosteriorJSON, NpeOptions } from './npe/index.js';
import type { FlowEpoch } from './npe/trainFlow.js';
import { Posterior } from './Posterior.js';
import { PROPOSAL_STREAM } from './sampleTrials.js';
import type { Generation, InferenceProgress } from './types.js';

/** A study's `{"kind": "npe", ...}` algorithm, as study.ts validated it. */
export interface NpeAlgorithmSettings {
  readonly kind: 'npe';
  /** Total simulations over all rounds. */
  readonly simulations?: number;
  /** 1: NPE on prior draws; more: sequential rounds, each focused on x_o by the last estimate. */
  readonly rounds?: number;
  /** With rounds > 1: 'truncated' (TSNPE, the default) or 'atomic' (SNPE-C / APT); see NpeOptions.sequential. */
  readonly sequential?: NpeOptions['sequential'];
  /** Draws from q(θ | x_o) kept per round as that round's generation. */
  readonly posteriorSamples?: number;
  readonly flow?: { readonly transforms?: number; readonly hidden?: number; readonly hiddenLayers?: number; readonly activation?: 'tanh' | 'relu' };
  /** As the study file spells them (see trainFlow's FlowTrainingOptions). */
  readonly training?: NpeOptions['training'];
}

/**
 * Study defaults: a budget a desktop trains in about a minute (2,000
 * simulations; npe() itself defaults to sbibm's 10,000), one round, and
 * 1,000 posterior draws per round, as many particles as the plots and the
 * posterior predictive check need.
 */
export const NPE_STUDY_DEFAULTS = { simulations: 2000, rounds: 1, posteriorSamples: 1000 } as const;

export function withNpeDefaults<T extends NpeAlgorithmSettings>(
  settings: T,
): T & Required<Pick<NpeAlgorithmSettings, 'simulations' | 'rounds' | 'posteriorSamples'>> {
  return {
    ...settings,
    simulations: settings.simulations ?? NPE_STUDY_DEFAULTS.simulations,
    rounds: settings.rounds ?? NPE_STUDY_DEFAULTS.rounds,
    posteriorSamples: settings.posteriorSamples ?? NPE_STUDY_DEFAULTS.posteriorSamples,
  };
}

/** Where the run's estimator and training curves go (the run manager stores them and sends them to the app). */
export interface NpeStudyHooks {
  readonly onGeneration?: (generation: Generation) => void | Promise<void>;
  /** Every training epoch of every round (round from 0), for live loss curves. */
  readonly onTrainingEpoch?: (round: number, epoch: FlowEpoch) => void;
  /** After each round: the whole estimator (NeuralPosterior.toJSON(): weights, standardisation, per-round loss curves). */
  readonly onEstimator?: (estimator: NeuralPosteriorJSON) => void | Promise<void>;
}

/** Seeds of each round's posterior draws: a stream of the run seed apart from npe()'s own (PROPOSAL_STREAM, tasks 0-2) and replenishment's (−1). */
const POSTERIOR_SAMPLE_STREAM = PROPOSAL_STREAM - 2;

/**
 * A study's NPE run: npe() over the study's executor (so the simulations go
 * to the worker pool, SSH nodes or SLURM like any ABC run), and after each
 * round `posteriorSamples` draws from q(θ | x_o) as one equally weighted
 * generation, so a stored NPE run reads like any other: summaries, plots,
 * posterior predictive checks and CSV export take it unchanged. The
 * estimator itself goes to `onEstimator` after each round. Not resumable: a
 * stopped run starts again.
 */
export async function runNpeStudy(
  options: Omit<NpeOptions, 'simulations' | 'rounds' | 'flow' | 'training' | 'onEpoch' | 'onRound'>,
  settings: NpeAlgorithmSettings,
  hooks: NpeStudyHooks = {},
): Promise<Posterior> {
  const { simulations, rounds, posteriorSamples } = withNpeDefaults(settings);
  const generations: Generation[] = [];
  let config: Record<string, unknown> = {};
  // npe() reports a round complete before its posterior draws exist; the event is held back until the
  // generation is stored, so a viewer that fetches the generation on that event finds it.
  let heldBack: InferenceProgress | null = null;
  const onProgress = options.onProgress && ((event: InferenceProgress) => (event.phase === 'generation' ? (heldBack = event) : options.onProgress!(event)));
  // Loaded on demand: TensorFlow.js stays out of every process that never runs NPE (ABC runs, the CLI's other commands, workers).
  const { npe } = await import('./npe/index.js');
  const neural = await npe({
    ...options,
    onProgress,
    simulations,
    rounds,
    ...(settings.sequential ? { sequential: settings.sequential } : {}),
    ...(settings.flow ? { flow: settings.flow } : {}),
    ...(settings.training ? { training: settings.training } : {}),
    onEpoch: hooks.onTrainingEpoch,
    onRound: async (round, posterior) => {
      const seed = Number(posterior.config.seed);
      const sampled = await posterior.toPosterior(posteriorSamples, { seed: deriveStreamState(seed, round.round, POSTERIOR_SAMPLE_STREAM)[0] });
      // Per round (the stored run adds its generations' simulations up), not npe()'s running total.
      const generation = { ...sampled.generations[0], index: round.round, simulations: round.simulations };
      generations.push(generation);
      config = sampled.config;
      await hooks.onEstimator?.(posterior.toJSON());
      await hooks.onGeneration?.(generation);
      if (heldBack) options.onProgress?.(heldBack);
      heldBack = null;
    },
  });
  const total = neural.simulations;
  neural.dispose();
  // Each round's draws had their own seed (derived above); the last round's alone would mislead.
  const shared: Record<string, unknown> = { ...config, posteriorSamples };
  delete shared.sampleSeed;
  return new Posterior([...neural.parameterNames], generations, shared, 'budgetExhausted', total);
}
