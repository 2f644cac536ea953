import type { IndependentPrior } from './IndependentPrior.js';
import type { RandomSource } from './types.js';

/** Probability left out at each end of an unbounded prior's plotted range. */
const DISPLAY_TAIL = 0.001;

/** `n` joint draws from `prior`, row-major (draw i is out[i·d .. (i+1)·d)), one stream in draw order. */
export function drawPrior(prior: IndependentPrior, n: number, rng: RandomSource): Float64Array {
  const d = prior.dimension;
  const samples = new Float64Array(n * d);
  for (let i = 0; i < n; i++) prior.sample(rng, samples.subarray(i * d, (i + 1) * d));
  return samples;
}

/**
 * The range in which to plot each component of `prior`: its support where
 * it is finite, else the 0.1 % and 99.9 % quantiles (a normal prior has no
 * ends, but a histogram of it needs some).
 */
export function priorDisplayRange(prior: IndependentPrior): { lower: number[]; upper: number[] } {
  const lower = prior.components.map((p) => (Number.isFinite(p.bounds[0]) ? p.bounds[0] : p.quantile(DISPLAY_TAIL)));
  const upper = prior.components.map((p) => (Number.isFinite(p.bounds[1]) ? p.bounds[1] : p.quantile(1 - DISPLAY_TAIL)));
  return { lower, upper };
}

/**
 * Sciope's default prior for a parameter whose current value is θ: uniform
 * on [θ/2, 2θ] (a factor of two either side, so the value stays inside and
 * the prior keeps its sign); [2θ, θ/2] for a negative θ and [0, 1] for θ = 0.
 */
export function defaultUniformPrior(value: number): { kind: 'uniform'; lower: number; upper: number } {
  if (value > 0) return { kind: 'uniform', lower: value / 2, upper: value * 2 };
  if (value < 0) return { kind: 'uniform', lower: value * 2, upper: value / 2 };
  return { kind: 'uniform', lower: 0, upper: 1 };
}
