import { z } from 'zod';
import { SCALER_KINDS } from './scalers/AffineScaler.js';
import { FEATURE_SETS } from './summaries/featureSets.js';
import { parseSeriesFeature, PAIR_CORRELATION } from './summaries/seriesFeatureGrammar.js';
import { NEURAL_NETWORK_ARCHITECTURES } from './summaries/NeuralNetworkStatistics.js';
import { base64ToFloat32 } from './summaries/nn/float32Base64.js';
import { planNetwork, type NetworkGraph } from './summaries/nn/topology.js';

/**
 * zod schemas of the statistics, distance and scaler specs, with the
 * messages users read (`statistics.lags[1]: expected a positive integer`).
 * Defaults are filled in here, so a parsed spec is complete.
 */

const positiveInteger = z
  .number({ error: 'expected a positive integer' })
  .int({ error: 'expected a positive integer' })
  .positive({ error: 'expected a positive integer' });

const quantile = z
  .number({ error: 'expected a quantile between 0 and 1' })
  .min(0, { error: 'expected a quantile between 0 and 1' })
  .max(1, { error: 'expected a quantile between 0 and 1' });

const nonNegative = z
  .number({ error: 'expected a non-negative number' })
  .refine(Number.isFinite, { error: 'expected a finite number' })
  .refine((v) => v >= 0, { error: 'expected a non-negative number' });

/** Flags the second and later copies of a value in a list. */
function noDuplicates<T>(what: string) {
  return (list: readonly T[], ctx: z.core.$RefinementCtx<readonly T[]>) => {
    list.forEach((value, i) => {
      if (list.indexOf(value) !== i) ctx.addIssue({ code: 'custom', path: [i], message: `duplicate ${what} ${JSON.stringify(value)}` });
    });
  };
}

function listOf<T extends z.ZodType>(item: T, what: string) {
  return z.array(item, { error: `expected a list of ${what}s` }).min(1, { error: `expected at least one ${what}` });
}

const speciesList = listOf(z.string({ error: 'expected a species name (string)' }).min(1, { error: 'expected a species name' }), 'species name').superRefine(
  noDuplicates('species'),
);

const featureList = listOf(z.string({ error: 'expected a feature name (string)' }), 'feature name')
  .superRefine(noDuplicates('feature'))
  .superRefine((names, ctx) => {
    names.forEach((name, i) => {
      if (name === PAIR_CORRELATION) return;
      const parsed = parseSeriesFeature(name);
      if ('problem' in parsed) ctx.addIssue({ code: 'custom', path: [i], message: parsed.problem });
    });
  });

export const timeSeriesFeaturesSchema = z
  .strictObject({
    kind: z.literal('time-series-features'),
    set: z.enum(FEATURE_SETS, { error: `expected one of ${FEATURE_SETS.join(', ')}` }).default('efficient'),
    species: speciesList.optional(),
    features: featureList.optional(),
    lags: listOf(positiveInteger, 'lag').superRefine(noDuplicates('lag')).optional(),
    quantiles: listOf(quantile, 'quantile').superRefine(noDuplicates('quantile')).optional(),
    ensemble: z.literal('mean', { error: 'expected "mean" (runs are averaged)' }).default('mean'),
  })
  .superRefine((spec, ctx) => {
    for (const key of ['lags', 'quantiles'] as const) {
      if (spec.features && spec[key])
        ctx.addIssue({
          code: 'custom',
          path: [key],
          message: `not used with a custom features list; name the features instead (e.g. autocorrelation_lag2, quantile_0.3)`,
        });
    }
    if (spec.set === 'minimal' && !spec.features && (spec.lags || spec.quantiles)) {
      ctx.addIssue({
        code: 'custom',
        path: [spec.lags ? 'lags' : 'quantiles'],
        message: 'the minimal set has no autocorrelations or quantiles; choose set "efficient" or "comprehensive"',
      });
    }
  });

export const identitySchema = z.strictObject({ kind: z.literal('identity'), species: speciesList.optional() });

export const ensembleMomentsSchema = z.strictObject({
  kind: z.literal('ensemble-moments'),
  moments: listOf(z.enum(['mean', 'variance'], { error: 'expected "mean" or "variance"' }), 'moment')
    .superRefine(noDuplicates('moment'))
    .default(['mean', 'variance']),
  species: speciesList.optional(),
});

const finiteNumber = z.number({ error: 'expected a number' }).refine(Number.isFinite, { error: 'expected a finite number' });

const layerSchema = z.discriminatedUnion(
  'type',
  [
    z.strictObject({ type: z.literal('conv1d'), filters: positiveInteger, kernelSize: positiveInteger }),
    z.strictObject({ type: z.literal('relu') }),
    z.strictObject({ type: z.literal('maxPool1d'), poolSize: positiveInteger }),
    z.strictObject({ type: z.literal('globalAveragePool1d') }),
    z.strictObject({ type: z.literal('flatten') }),
    z.strictObject({ type: z.literal('dense'), units: positiveInteger }),
    z.strictObject({
      type: z.literal('batchNorm'),
      epsilon: z.number({ error: 'expected a positive number' }).positive({ error: 'expected a positive number' }),
    }),
  ],
  { error: 'expected a layer {"type": "conv1d" | "relu" | "maxPool1d" | "globalAveragePool1d" | "flatten" | "dense" | "batchNorm", ...}' },
);

const networkGraphSchema = z.discriminatedUnion(
  'type',
  [
    z.strictObject({ type: z.literal('sequential'), layers: listOf(layerSchema, 'layer') }),
    z.strictObject({ type: z.literal('pen'), order: positiveInteger, inner: listOf(layerSchema, 'layer'), outer: listOf(layerSchema, 'layer') }),
  ],
  { error: 'expected a network {"type": "sequential", "layers": [...]} or {"type": "pen", "order": d, "inner": [...], "outer": [...]}' },
);

/**
 * A trained network with its weights, as engine/learn exports it. Besides the
 * fields, checks that the layers fit the input (species × timePoints) and
 * end with one output per parameter, and that the weights have the count the
 * layers need.
 */
export const neuralNetworkSchema = z
  .strictObject({
    kind: z.literal('neural-network'),
    architecture: z.enum(NEURAL_NETWORK_ARCHITECTURES as ['cnn', 'dnn', 'pen'], { error: `expected one of ${NEURAL_NETWORK_ARCHITECTURES.join(', ')}` }),
    species: speciesList,
    timePoints: positiveInteger,
    parameters: listOf(z.string({ error: 'expected a parameter name (string)' }).min(1, { error: 'expected a parameter name' }), 'parameter name').superRefine(
      noDuplicates('parameter'),
    ),
    lower: z.array(finiteNumber, { error: 'expected a list of numbers' }),
    upper: z.array(finiteNumber, { error: 'expected a list of numbers' }),
    normalisation: z.strictObject({
      transform: z.enum(['log1p', 'none'], { error: 'expected "log1p" or "none"' }),
      mean: z.array(finiteNumber, { error: 'expected a list of numbers' }),
      sd: z.array(
        finiteNumber.refine((v) => v > 0, { error: 'expected a positive number' }),
        { error: 'expected a list of positive numbers' },
      ),
    }),
    network: networkGraphSchema,
    weights: z.string({ error: 'expected the weights as base64 text (little-endian float32)' }),
  })
  .superRefine((spec, ctx) => {
    const P = spec.parameters.length;
    const S = spec.species.length;
    if (spec.lower.length !== P)
      ctx.addIssue({ code: 'custom', path: ['lower'], message: `expected ${P} values (one per parameter), got ${spec.lower.length}` });
    if (spec.upper.length !== P)
      ctx.addIssue({ code: 'custom', path: ['upper'], message: `expected ${P} values (one per parameter), got ${spec.upper.length}` });
    spec.upper.forEach((u, i) => {
      if (i < spec.lower.length && !(u > spec.lower[i]))
        ctx.addIssue({ code: 'custom', path: ['upper', i], message: `expected a value above lower[${i}] = ${spec.lower[i]}` });
    });
    for (const key of ['mean', 'sd'] as const) {
      if (spec.normalisation[key].length !== S)
        ctx.addIssue({
          code: 'custom',
          path: ['normalisation', key],
          message: `expected ${S} values (one per species), got ${spec.normalisation[key].length}`,
        });
    }
    const plan = planNetwork(spec.network as NetworkGraph, spec.timePoints, S, P);
    if ('issues' in plan) {
      for (const issue of plan.issues)
        ctx.addIssue({
          code: 'custom',
          path: [
            'network',
            ...issue.path
              .split(/[.[\]]+/)
              .filter(Boolean)
              .map((k) => (/^\d+$/.test(k) ? Number(k) : k)),
          ],
          message: issue.message,
        });
      return;
    }
    let count: number;
    try {
      count = base64ToFloat32(spec.weights).length;
    } catch (error) {
      ctx.addIssue({ code: 'custom', path: ['weights'], message: (error as Error).message });
      return;
    }
    if (count !== plan.weightCount)
      ctx.addIssue({ code: 'custom', path: ['weights'], message: `expected ${plan.weightCount} float32 values for this network, got ${count}` });
  });

const normalisable = {
  maxNormalisation: z.boolean({ error: 'expected true or false' }).default(false),
  runningMax: z.array(nonNegative, { error: 'expected a list of non-negative numbers' }).optional(),
};

export const euclideanSchema = z.strictObject({ kind: z.literal('euclidean'), ...normalisable });
export const manhattanSchema = z.strictObject({ kind: z.literal('manhattan'), ...normalisable });
export const weightedEuclideanSchema = z.strictObject({ kind: z.literal('weighted-euclidean'), weights: listOf(nonNegative, 'weight') });
export const adaptiveSchema = z.strictObject({
  kind: z.literal('adaptive'),
  scale: z.enum(['mad', 'sd'], { error: 'expected "mad" (median absolute deviation) or "sd" (standard deviation)' }).default('mad'),
  scales: z.array(nonNegative, { error: 'expected a list of non-negative numbers' }).optional(),
});

export const scalerSchema = z
  .strictObject({
    kind: z.enum(SCALER_KINDS, { error: `expected one of ${SCALER_KINDS.join(', ')}` }),
    center: z.array(z.number({ error: 'expected a number' }).refine(Number.isFinite, { error: 'expected a finite number' }), {
      error: 'expected a list of numbers',
    }),
    scale: z.array(
      z.number({ error: 'expected a positive number' }).refine((v) => v > 0 && Number.isFinite(v), { error: 'expected a positive finite number' }),
      { error: 'expected a list of positive numbers' },
    ),
  })
  .refine((s) => s.center.length === s.scale.length, { error: 'expected as many scales as centers', path: ['scale'] });
