import { z } from 'zod';
import { MAX_SEED } from '../../sample/random/index.js';
import { KERNEL_KINDS } from './kernels.js';
import { choiceSchema, finiteSchema, integerSchema, intervalSchema, positiveSchema } from './validation.js';

/**
 * Options of `GaussianProcess.fit`. Hyperparameter ranges are in normalised
 * units: length scales relative to the scaled inputs (the unit box by
 * default), variances relative to the standardised outputs (variance 1).
 */
export const gaussianProcessOptionsSchema = z.strictObject({
  /** Covariance function (default "rbf"). */
  kernel: choiceSchema(KERNEL_KINDS).default('rbf'),
  /** One length scale per input (automatic relevance determination) or one shared (default true). */
  ard: z.boolean({ error: 'expected true or false' }).default(true),
  /** How inputs are scaled before fitting (default "unitBox"). */
  inputScaling: choiceSchema(['unitBox', 'standardise']).default('unitBox'),
  /** Input dimension: needed when x is a flat Float64Array and no bounds are given. */
  dimension: integerSchema(1).optional(),
  /** Box that maps onto [0, 1]^d under unitBox (default: the data's range). Pass the prior box. */
  bounds: z.array(intervalSchema(), { error: 'expected an array of [lower, upper] pairs' }).optional(),
  /** Fixed noise variance in output units; learned when absent. */
  noiseVariance: positiveSchema().optional(),
  /** Random restarts of the optimiser besides the default start (default 3 up to 300 points, 1 above: see defaultRestarts). */
  restarts: integerSchema(0, 100).optional(),
  /** L-BFGS iterations per start (default 100). */
  maxIterations: integerSchema(1).default(100),
  seed: integerSchema(0, MAX_SEED).default(0),
  lengthScaleBounds: intervalSchema(positiveSchema()).default([0.01, 100]),
  signalVarianceBounds: intervalSchema(positiveSchema()).default([1e-3, 1e3]),
  noiseVarianceBounds: intervalSchema(positiveSchema()).default([1e-6, 10]),
  /** Warm start in normalised units, e.g. the `hyperparameters` of an earlier fit. */
  initial: z
    .strictObject({
      lengthScales: z.array(positiveSchema(), { error: 'expected an array of numbers > 0' }),
      signalVariance: positiveSchema(),
      noiseVariance: positiveSchema(),
    })
    .optional(),
  /** false: keep `initial` as it is (no marginal-likelihood optimisation). */
  optimise: z.boolean({ error: 'expected true or false' }).default(true),
});

export type GaussianProcessOptions = z.input<typeof gaussianProcessOptionsSchema>;
export type ResolvedGaussianProcessOptions = z.output<typeof gaussianProcessOptionsSchema>;

/** Hyperparameters in normalised units (see gaussianProcessOptionsSchema). */
export interface GpHyperparameters {
  readonly lengthScales: readonly number[];
  readonly signalVariance: number;
  readonly noiseVariance: number;
}

/** What `GaussianProcess.toJSON()` returns; `fromJSON` rebuilds the same predictor. */
export const gaussianProcessJsonSchema = z.strictObject({
  kind: z.literal('gaussianProcess', { error: 'expected "gaussianProcess"' }),
  version: z.literal(1, { error: 'expected 1 (the only version so far)' }),
  kernel: choiceSchema(KERNEL_KINDS),
  dimension: integerSchema(1),
  inputScaling: z.strictObject({
    kind: choiceSchema(['unitBox', 'standardise']),
    offset: z.array(finiteSchema()),
    scale: z.array(positiveSchema()),
  }),
  outputScaling: z.strictObject({ mean: finiteSchema(), sd: positiveSchema() }),
  hyperparameters: z.strictObject({
    lengthScales: z.array(positiveSchema()),
    signalVariance: positiveSchema(),
    noiseVariance: positiveSchema(),
  }),
  logMarginalLikelihood: z.number({ error: 'expected a number' }).nullable(),
  x: z.array(finiteSchema()),
  y: z.array(finiteSchema()),
});

export type GaussianProcessJson = z.output<typeof gaussianProcessJsonSchema>;
