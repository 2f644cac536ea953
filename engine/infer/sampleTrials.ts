import type { Trial } from '../compute/executor.js';
import { Xoshiro128 } from '../sample/random/Xoshiro128.js';
import { deriveStreamState } from '../sample/random/seedDerivation.js';
import { InferenceError } from './errors.js';
import { featureRows, type RunSetup } from './runSetup.js';

/**
 * Proposals of trial i in generation g draw from the stream
 * (seed, g, i, PROPOSAL_STREAM); its simulations from (seed, g, i, run). The
 * proposal stream index is never a run index, so the two never meet.
 */
export const PROPOSAL_STREAM = Number.MAX_SAFE_INTEGER;

export function proposalRandom(seed: number, generation: number, trial: number): Xoshiro128 {
  return new Xoshiro128(deriveStreamState(seed, generation, trial, PROPOSAL_STREAM));
}

export interface SampleRequest {
  readonly generation: number;
  /** Acceptances wanted. */
  readonly target: number;
  /** Accept distance <= epsilon. */
  readonly epsilon: number;
  /** false: accept every trial, distances left NaN for the caller (adaptive distances initialise first). */
  readonly measure: boolean;
  /** Never simulate more trials than this in the generation. */
  readonly maxTrials: number;
  /** Parameters of trial i into `out`: a pure function of (generation, i). */
  propose(trial: number, out: Float64Array): void;
  /** Guess of the acceptance rate, to size the first executor call. */
  readonly expectedRate?: number;
  /** Total acceptances reported in progress events (default target). */
  readonly populationSize?: number;
  /** Also return the features of every trial up to the last acceptance, rejected ones too (at most this many rows; default 0). */
  readonly keepAll?: number;
  /**
   * Also keep the this many trials nearest to the observed statistics,
   * accepted or not (default 0): a generation cut short by `maxTrials` can
   * then still end with that many particles. Ties go to the lower trial
   * index; when the sample is incomplete every trial 0 .. maxTrials − 1 ran,
   * so the choice does not depend on batching.
   */
  readonly keepNearest?: number;
}

/** Trials kept by `keepNearest`, nearest first. */
export interface NearestTrials {
  readonly count: number;
  readonly particles: Float64Array;
  readonly features: Float64Array;
  readonly distances: Float64Array;
  readonly trialIndices: Int32Array;
}

export interface SampleResult {
  readonly count: number;
  readonly particles: Float64Array;
  readonly features: Float64Array;
  readonly featureCount: number;
  readonly distances: Float64Array;
  /** Trial index of each acceptance. */
  readonly trialIndices: Int32Array;
  /** Trials up to the last acceptance when complete, else all trials run: independent of batching. */
  readonly trialsUsed: number;
  readonly complete: boolean;
  /** Features of trials 0 .. trialsUsed − 1 (first `keepAll` of them), accepted or not: adaptive distances learn from these. */
  readonly allFeatures: Float64Array[];
  /** The `keepNearest` trials nearest to the observed statistics among those run (empty without keepNearest). */
  readonly nearest: NearestTrials;
}

/**
 * Simulate trials 0, 1, 2, ... of a generation in executor calls until
 * `target` of them are accepted (in trial order) or `maxTrials` ran. The
 * accepted set is the first `target` acceptances by trial index, so it does
 * not depend on how trials were batched or which executor ran them.
 */
export async function sampleTrials(setup: RunSetup, request: SampleRequest): Promise<SampleResult> {
  const d = setup.job.parameterIds.length;
  const { target, epsilon, measure, maxTrials } = request;
  const particles: Float64Array[] = [];
  const features: Float64Array[] = [];
  const distances: number[] = [];
  const indices: number[] = [];
  const all: Float64Array[] = [];
  const keepAll = request.keepAll ?? 0;
  const nearest = new NearestKeeper(request.keepNearest ?? 0);
  const minimumRound = Math.max(8, 4 * setup.executor.concurrency);
  let next = 0;
  let trialsUsed = 0;
  while (particles.length < target && next < maxTrials) {
    setup.options.signal?.throwIfAborted();
    const remaining = target - particles.length;
    const rate = next > 0 ? Math.max(particles.length, 1) / next : (request.expectedRate ?? 1);
    const automatic = Math.min(Math.max(Math.ceil((1.2 * remaining) / Math.max(rate, 1e-6)), minimumRound), Math.max(minimumRound, 4 * target), 20_000);
    const size = Math.min(setup.options.batchSize ?? automatic, maxTrials - next);
    const trials: Trial[] = new Array(size);
    for (let k = 0; k < size; k++) {
      const parameters = new Float64Array(d);
      request.propose(next + k, parameters);
      trials[k] = { index: next + k, parameters, stream: [request.generation, next + k] };
    }
    const results = await setup.map(trials);
    const ordered = new Array<(typeof results)[number]>(size);
    for (const r of results) ordered[r.index - next] = r;
    for (let k = 0; k < size && particles.length < target; k++) {
      const result = ordered[k];
      if (!result) throw new InferenceError(`executor ${setup.executor.kind} returned no result for trial ${next + k}`);
      if (!result.features) throw new InferenceError('the summary statistics returned no features; set "summaries"');
      if (all.length < keepAll) all.push(result.features);
      const distance = measure ? setup.distance.distance(result.features, setup.observed) : NaN;
      nearest.offer(distance, next + k, trials[k].parameters, result.features);
      if (measure && !(distance <= epsilon)) continue;
      particles.push(trials[k].parameters);
      features.push(result.features);
      distances.push(distance);
      indices.push(next + k);
      trialsUsed = next + k + 1;
    }
    next += size;
    setup.progress(
      {
        phase: 'sampling',
        generation: request.generation,
        epsilon,
        accepted: particles.length,
        populationSize: request.populationSize ?? target,
        acceptanceRate: particles.length / (particles.length < target ? next : trialsUsed),
      },
      particles.length < target ? next : trialsUsed,
    );
  }
  const complete = particles.length >= target;
  const featureCount = features[0]?.length ?? 0;
  const packedFeatures = new Float64Array(particles.length * featureCount);
  features.forEach((row, i) => packedFeatures.set(row, i * featureCount));
  const packedParticles = new Float64Array(particles.length * d);
  particles.forEach((row, i) => packedParticles.set(row, i * d));
  return {
    count: particles.length,
    particles: packedParticles,
    features: packedFeatures,
    featureCount,
    distances: Float64Array.from(distances),
    trialIndices: Int32Array.from(indices),
    trialsUsed: complete ? trialsUsed : next,
    complete,
    allFeatures: all,
    nearest: nearest.result(d, featureCount),
  };
}

type Candidate = { distance: number; trial: number; parameters: Float64Array; features: Float64Array };

/** The `size` smallest (distance, trial index) pairs seen, in that order; pruned in blocks so offering is O(1) amortised. */
class NearestKeeper {
  private candidates: Candidate[] = [];
  constructor(private readonly size: number) {}

  offer(distance: number, trial: number, parameters: Float64Array, features: Float64Array): void {
    if (this.size === 0 || Number.isNaN(distance)) return;
    this.candidates.push({ distance, trial, parameters, features });
    if (this.candidates.length >= 2 * this.size + 64) this.prune();
  }

  private prune(): void {
    this.candidates.sort((a, b) => a.distance - b.distance || a.trial - b.trial);
    this.candidates.length = Math.min(this.candidates.length, this.size);
  }

  result(d: number, featureCount: number): NearestTrials {
    this.prune();
    const n = this.candidates.length;
    const f = n > 0 ? this.candidates[0].features.length : featureCount;
    const particles = new Float64Array(n * d);
    const features = new Float64Array(n * f);
    this.candidates.forEach((c, i) => {
      particles.set(c.parameters, i * d);
      features.set(c.features, i * f);
    });
    return {
      count: n,
      particles,
      features,
      distances: Float64Array.from(this.candidates, (c) => c.distance),
      trialIndices: Int32Array.from(this.candidates, (c) => c.trial),
    };
  }
}

/**
 * Generation 0 of the SMC algorithms: N prior draws, all accepted (trial i
 * proposes from stream (seed, 0, i)); adaptive distances learn their scales
 * from these features before any distance is computed.
 */
export async function samplePriorGeneration(setup: RunSetup, N: number): Promise<SampleResult> {
  const prior = setup.options.prior;
  const first = await sampleTrials(setup, {
    generation: 0,
    target: N,
    epsilon: Infinity,
    measure: false,
    maxTrials: N,
    propose: (trial, out) => void prior.sample(proposalRandom(setup.seed, 0, trial), out),
  });
  setup.distance.initialize?.({ features: featureRows(first.features, N, first.featureCount), observed: setup.observed });
  return first;
}
