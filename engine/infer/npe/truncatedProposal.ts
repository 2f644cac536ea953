import type { JointPrior } from '../../sample/priors/types.js';
import { Xoshiro128 } from '../../sample/random/Xoshiro128.js';
import { deriveStreamState } from '../../sample/random/seedDerivation.js';
import { InferenceError } from '../errors.js';

/**
 * Truncated proposals for sequential NPE (TSNPE; Deistler, Goncalves & Macke
 * 2022, "Truncated proposals for scalable and hassle-free simulation-based
 * inference", arXiv:2210.04815).
 *
 * Method. After a round, the current estimate q(θ | x_o) defines its
 * highest-density region HPR = {θ : log q(θ | x_o) ≥ τ}, with τ the
 * `quantile` (default 1e-4) of log q over draws from q itself, so that the
 * region holds all but about that share of q's mass. The next round draws
 * its parameters from the prior restricted to that region, by rejection:
 * prior draws with log q < τ are discarded. A truncated prior leaves the
 * posterior unchanged inside the region (p(θ | x) ∝ p(x | θ) p(θ) there), so
 * the estimator keeps training by plain maximum likelihood on every round's
 * pairs, as in round 0: no atomic loss, no importance weights, and a round
 * costs what an NPE round does. The share of prior draws accepted estimates
 * the region's prior mass (a binomial proportion).
 */

/** What the truncation needs of a posterior estimate: NeuralPosterior has both. */
export interface DensityEstimate {
  sample(n: number, options: { seed: number }): Promise<{ readonly samples: Float64Array }>;
  /** log q(θ | x_o) for rows of θ; −Infinity outside the prior's support. */
  logDensity(theta: Float64Array): Promise<Float64Array>;
}

export interface TruncationOptions {
  /** Share of q's own mass left outside the region (default 1e-4, as sbi's TSNPE). */
  readonly quantile?: number;
  /** Draws from q used to place the threshold (default 10,000, as sbi). */
  readonly thresholdSamples?: number;
  /** Prior draws tried per log-density evaluation (default 20,000). */
  readonly chunk?: number;
  /**
   * Give up once this many prior draws were tried (default 10,000,000): a
   * region with a tiny prior mass makes rejection too slow to be worth it.
   */
  readonly maxCandidates?: number;
}

export interface TruncatedPriorSample {
  /** count × D, row-major, every row inside the prior's support with log q ≥ threshold. */
  readonly samples: Float64Array;
  readonly threshold: number;
  /** Prior draws tried (whole chunks), and of them those inside the region (at least count; the first count are kept). */
  readonly candidates: number;
  readonly inRegion: number;
  /** inRegion / candidates: the region's prior mass, with its binomial standard error. */
  readonly priorMass: number;
  readonly priorMassError: number;
}

/** Throws an InferenceError naming the first bad field (checked before any simulation runs). */
export function validateTruncation(options: TruncationOptions): void {
  const { quantile, thresholdSamples, chunk, maxCandidates } = options;
  const check = (field: string, ok: boolean, expected: string, got: unknown) => {
    if (!ok) throw new InferenceError(`truncation.${field}: expected ${expected}, got ${String(got)}`, { field });
  };
  if (quantile !== undefined) check('quantile', quantile >= 0 && quantile < 1, 'a number in [0, 1)', quantile);
  for (const [field, value] of Object.entries({ thresholdSamples, chunk, maxCandidates }))
    if (value !== undefined) check(field, Number.isSafeInteger(value) && value >= 1, 'an integer >= 1', value);
}

/** Seeds: the threshold's q draws from stream 0 of `seed`, the prior draws from stream 1. */
const THRESHOLD_STREAM = 0;
const PRIOR_STREAM = 1;

/**
 * τ: the `quantile` of log q over `samples` draws from q (the draw of rank
 * ⌊quantile · samples⌋ in increasing order, so 1e-4 of 10,000 is the second lowest).
 */
export async function highDensityThreshold(estimate: DensityEstimate, options: { quantile?: number; samples?: number; seed: number }): Promise<number> {
  const quantile = options.quantile ?? 1e-4;
  const samples = options.samples ?? 10_000;
  validateTruncation({ quantile, thresholdSamples: samples });
  const drawn = await estimate.sample(samples, { seed: deriveStreamState(options.seed, THRESHOLD_STREAM)[0] });
  const logQ = Float64Array.from(await estimate.logDensity(drawn.samples)).sort();
  const threshold = logQ[Math.min(samples - 1, Math.floor(quantile * samples))];
  if (Number.isNaN(threshold)) throw new InferenceError('the posterior estimate gave a NaN log-density at its own draws; it cannot define a truncation region');
  return threshold;
}

/**
 * `count` draws from the prior restricted to {θ : log q(θ | x_o) ≥ threshold}
 * by rejection, deterministic for a seed (the prior draws come from one
 * seeded stream in order).
 */
export async function sampleTruncatedPrior(
  prior: JointPrior,
  estimate: DensityEstimate,
  count: number,
  threshold: number,
  seed: number,
  options: Pick<TruncationOptions, 'chunk' | 'maxCandidates'> = {},
): Promise<TruncatedPriorSample> {
  const chunk = options.chunk ?? 20_000;
  const maxCandidates = options.maxCandidates ?? 10_000_000;
  if (!Number.isSafeInteger(count) || count < 1) throw new InferenceError(`count: expected an integer >= 1, got ${count}`, { field: 'count' });
  validateTruncation({ chunk, maxCandidates });
  const D = prior.dimension;
  const rng = new Xoshiro128(deriveStreamState(seed, PRIOR_STREAM));
  const out = new Float64Array(count * D);
  const candidates = new Float64Array(chunk * D);
  const row = new Float64Array(D);
  let inRegion = 0;
  let tried = 0;
  while (inRegion < count) {
    if (tried >= maxCandidates)
      throw new InferenceError(
        `the truncated prior accepted ${inRegion} of ${tried} prior draws (its region's prior mass is below ${(count / maxCandidates).toExponential(1)}); ` +
          'rejection from the prior is too slow here: use sequential: "atomic"',
        { inRegion, tried, field: 'sequential' },
      );
    const m = Math.min(chunk, maxCandidates - tried);
    for (let i = 0; i < m; i++) candidates.set(prior.sample(rng, row), i * D);
    const logQ = await estimate.logDensity(candidates.subarray(0, m * D));
    // Every candidate of a chunk is judged, even past the last one kept: stopping at the count-th success would bias
    // the mass estimate upward (a negative-binomial stopping rule, (k)/n with k fixed); judging whole chunks of
    // 20,000 draws makes that bias negligible next to the binomial error.
    for (let i = 0; i < m; i++) {
      if (!(logQ[i] >= threshold)) continue;
      if (inRegion < count) out.set(candidates.subarray(i * D, (i + 1) * D), inRegion * D);
      inRegion++;
    }
    tried += m;
  }
  const priorMass = inRegion / tried;
  return {
    samples: out,
    threshold,
    candidates: tried,
    inRegion,
    priorMass,
    priorMassError: Math.sqrt((priorMass * (1 - priorMass)) / tried),
  };
}
