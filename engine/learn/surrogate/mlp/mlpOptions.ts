import { z } from 'zod';
import { MAX_SEED } from '../../../sample/random/index.js';
import { choiceSchema, finiteSchema, integerSchema, positiveSchema } from '../validation.js';

/** Options of `MlpRegressor.fit`; every field has a default. */
export const mlpOptionsSchema = z.strictObject({
  /** Units per hidden layer (default [32, 32]). */
  hiddenLayers: z.array(integerSchema(1, 4096), { error: 'expected an array of integers in [1, 4096]' }).default([32, 32]),
  activation: choiceSchema(['tanh', 'relu']).default('tanh'),
  /** Adam step size (default 3e-3). */
  learningRate: positiveSchema().default(3e-3),
  /** Rows per mini-batch (default 32). */
  batchSize: integerSchema(1).default(32),
  /** Passes over the training rows at most (default 500). */
  maxEpochs: integerSchema(1).default(500),
  /** Share of rows held out for early stopping (default 0.2); 0 trains on all rows for maxEpochs. */
  validationFraction: z
    .number({ error: 'expected a number in [0, 0.9]' })
    .min(0, { error: 'expected a number in [0, 0.9]' })
    .max(0.9, { error: 'expected a number in [0, 0.9]' })
    .default(0.2),
  /** Epochs without a better validation loss before stopping (default 30). */
  patience: integerSchema(1).default(30),
  /** L2 penalty on the weights, added to the gradient as λ·w (default 0). */
  weightDecay: z.number({ error: 'expected a number >= 0' }).min(0, { error: 'expected a number >= 0' }).default(0),
  seed: integerSchema(0, MAX_SEED).default(0),
  /** Input dimension: needed when x is a flat Float64Array. */
  dimension: integerSchema(1).optional(),
  /** Outputs per row: needed when y is a flat Float64Array with more than one output. */
  outputCount: integerSchema(1).optional(),
});

export type MlpOptions = z.input<typeof mlpOptionsSchema>;
export type ResolvedMlpOptions = z.output<typeof mlpOptionsSchema>;

export const mlpJsonSchema = z.strictObject({
  kind: z.literal('mlpRegressor', { error: 'expected "mlpRegressor"' }),
  version: z.literal(1, { error: 'expected 1 (the only version so far)' }),
  sizes: z.array(integerSchema(1)).min(2, { error: 'expected at least input and output sizes' }),
  activation: choiceSchema(['tanh', 'relu']),
  inputScaling: z.strictObject({ offset: z.array(finiteSchema()), scale: z.array(positiveSchema()) }),
  outputScaling: z.strictObject({ mean: z.array(finiteSchema()), sd: z.array(positiveSchema()) }),
  parameters: z.array(finiteSchema()),
  epochs: integerSchema(0),
  validationLoss: z.number({ error: 'expected a number' }).nullable(),
});

export type MlpJson = z.output<typeof mlpJsonSchema>;
