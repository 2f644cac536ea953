import { Xoshiro128 } from '../../sample/random/index.js';
import { lbfgs } from './optimise/lbfgs.js';
import { likelihoodWorkspace, logMarginalLikelihood } from './marginalLikelihood.js';
import type { GpHyperparameters, ResolvedGaussianProcessOptions } from './gpOptions.js';

/**
 * Type-II maximum likelihood for the GP hyperparameters (Rasmussen &
 * Williams 2006, GPML, §5.4.1, http://gaussianprocess.org/gpml/): maximise
 * log p(y | X, θ) over θ = log hyperparameters with L-BFGS and analytic
 * gradients, from a default start plus `restarts` seeded random starts
 * (the likelihood is multimodal, GPML fig. 5.5), keeping the best.
 *
 * The ranges of options.*Bounds are enforced by a quadratic penalty on the
 * log scale beyond each end (weight PENALTY), then by clamping, so that
 * inside the box the objective is exactly the marginal likelihood.
 */
const PENALTY = 1e3;

export interface HyperparameterFit {
  readonly hyperparameters: GpHyperparameters;
  /** log marginal likelihood at the optimum (standardised outputs). */
  readonly logMarginalLikelihood: number;
}

export function fitHyperparameters(
  x: Float64Array,
  n: number,
  d: number,
  y: Float64Array,
  options: ResolvedGaussianProcessOptions,
  fixedNoiseVariance: number | undefined,
): HyperparameterFit {
  const lengthCount = options.ard ? d : 1;
  const learnNoise = fixedNoiseVariance === undefined;
  const freeCount = lengthCount + 1 + (learnNoise ? 1 : 0);
  const lower = new Float64Array(freeCount);
  const upper = new Float64Array(freeCount);
  for (let k = 0; k < lengthCount; k++) {
    lower[k] = Math.log(options.lengthScaleBounds[0]);
    upper[k] = Math.log(options.lengthScaleBounds[1]);
  }
  lower[lengthCount] = Math.log(options.signalVarianceBounds[0]);
  upper[lengthCount] = Math.log(options.signalVarianceBounds[1]);
  if (learnNoise) {
    lower[lengthCount + 1] = Math.log(options.noiseVarianceBounds[0]);
    upper[lengthCount + 1] = Math.log(options.noiseVarianceBounds[1]);
  }

  const theta = new Float64Array(d + 2);
  const expand = (u: Float64Array): Float64Array => {
    for (let k = 0; k < d; k++) theta[k] = u[options.ard ? k : 0];
    theta[d] = u[lengthCount];
    theta[d + 1] = learnNoise ? u[lengthCount + 1] : Math.log(fixedNoiseVariance);
    return theta;
  };
  const workspace = likelihoodWorkspace(n, d);
  const objective = (u: Float64Array, gradient: Float64Array): number => {
    const result = logMarginalLikelihood(options.kernel, x, n, d, y, expand(u), true, workspace);
    if (!result.gradient) return Infinity;
    gradient.fill(0);
    for (let k = 0; k < d; k++) gradient[options.ard ? k : 0] -= result.gradient[k];
    gradient[lengthCount] = -result.gradient[d];
    if (learnNoise) gradient[lengthCount + 1] = -result.gradient[d + 1];
    let value = -result.value;
    for (let j = 0; j < freeCount; j++) {
      const below = lower[j] - u[j];
      const above = u[j] - upper[j];
      if (below > 0) {
        value += PENALTY * below * below;
        gradient[j] -= 2 * PENALTY * below;
      }
      if (above > 0) {
        value += PENALTY * above * above;
        gradient[j] += 2 * PENALTY * above;
      }
    }
    return value;
  };

  const starts = startingPoints(options, options.restarts ?? defaultRestarts(n), d, lengthCount, learnNoise, freeCount);
  let best: Float64Array | undefined;
  let bestValue = Infinity;
  for (const start of starts) {
    for (let j = 0; j < freeCount; j++) start[j] = Math.min(upper[j], Math.max(lower[j], start[j]));
    if (!options.optimise) {
      best = start;
      break;
    }
    const result = lbfgs(objective, start, { maxIterations: options.maxIterations, gradientTolerance: 1e-5, valueTolerance: 1e-9 });
    if (result.value < bestValue) {
      bestValue = result.value;
      best = result.x;
    }
  }
  // Every start failed (K indefinite everywhere): fall back to the default start.
  const u = best ?? starts[0];
  for (let j = 0; j < freeCount; j++) u[j] = Math.min(upper[j], Math.max(lower[j], u[j]));
  const full = Float64Array.from(expand(u));
  const value = logMarginalLikelihood(options.kernel, x, n, d, y, full, false, workspace).value;
  return {
    hyperparameters: {
      lengthScales: Array.from(full.subarray(0, d), Math.exp),
      signalVariance: Math.exp(full[d]),
      noiseVariance: Math.exp(full[d + 1]),
    },
    logMarginalLikelihood: value,
  };
}

/** Above this many points each start costs O(n³) per step enough to matter: fewer restarts by default. */
export const MANY_POINTS = 300;

/**
 * Random restarts when options.restarts is not given: 3 up to MANY_POINTS
 * points, 1 above. With more data the likelihood surface is better
 * determined and its modes fewer; on the Friedman benchmark (5-D, n = 200,
 * 300, 500) every start reached the same optimum (to 1e-4 in log
 * likelihood), so the extra starts bought nothing but time.
 */
export function defaultRestarts(n: number): number {
  return n > MANY_POINTS ? 1 : 3;
}

/**
 * Start 0: options.initial, else ℓ = 0.3 (unit box) or 1 (standardised),
 * σ_f² = 1, σ_n² = 0.01. Restarts: log-uniform draws over ranges where
 * sensible optima lie (ℓ within [0.05, 2] box widths, σ_f² in [0.3, 3],
 * σ_n² in [1e-4, 0.3]), from the seeded stream (seed, 1).
 */
function startingPoints(
  options: ResolvedGaussianProcessOptions,
  restarts: number,
  d: number,
  lengthCount: number,
  learnNoise: boolean,
  freeCount: number,
): Float64Array[] {
  const widths = options.inputScaling === 'unitBox' ? 1 : 3.5;
  const first = new Float64Array(freeCount);
  const initial = options.initial;
  for (let k = 0; k < lengthCount; k++) first[k] = Math.log(initial ? initial.lengthScales[Math.min(k, initial.lengthScales.length - 1)] : 0.3 * widths);
  first[lengthCount] = Math.log(initial ? initial.signalVariance : 1);
  if (learnNoise) first[lengthCount + 1] = Math.log(initial ? initial.noiseVariance : 0.01);
  const starts = [first];
  const rng = Xoshiro128.fromSeed(options.seed, 1);
  const logUniform = (lo: number, hi: number) => Math.log(lo) + rng.nextDouble() * (Math.log(hi) - Math.log(lo));
  for (let r = 0; r < restarts; r++) {
    const start = new Float64Array(freeCount);
    for (let k = 0; k < lengthCount; k++) start[k] = logUniform(0.05 * widths, 2 * widths);
    start[lengthCount] = logUniform(0.3, 3);
    if (learnNoise) start[lengthCount + 1] = logUniform(1e-4, 0.3);
    starts.push(start);
  }
  return starts;
}
