import type { z } from 'zod';
import { PartSpecError } from './errors.js';
import { AdaptiveDistance } from './distances/AdaptiveDistance.js';
import { EuclideanDistance } from './distances/EuclideanDistance.js';
import { ManhattanDistance } from './distances/ManhattanDistance.js';
import { WeightedEuclideanDistance } from './distances/WeightedEuclideanDistance.js';
import { AffineScaler } from './scalers/AffineScaler.js';
import * as schemas from './specSchemas.js';
import { EnsembleMoments } from './summaries/EnsembleMoments.js';
import { IdentityStatistics } from './summaries/IdentityStatistics.js';
import { NeuralNetworkStatistics, type NeuralNetworkSpec } from './summaries/NeuralNetworkStatistics.js';
import { TimeSeriesFeatures } from './summaries/TimeSeriesFeatures.js';
import type { Distance, PartSpec, SummaryStatistics } from './types.js';
import { zodIssues } from '../errors/zodIssues.js';

/** Used when no statistics spec is given: the efficient tsfresh-like set, all species, mean over runs. */
export const DEFAULT_SUMMARY_STATISTICS_SPEC: PartSpec = { kind: 'time-series-features', set: 'efficient', ensemble: 'mean' };
/** Used when no distance spec is given (the inference default too). */
export const DEFAULT_DISTANCE_SPEC: PartSpec = { kind: 'euclidean', maxNormalisation: false };

interface Entry<T> {
  schema: z.ZodType;
  build: (spec: never) => T;
}

const STATISTICS: Record<string, Entry<SummaryStatistics>> = {
  'time-series-features': {
    schema: schemas.timeSeriesFeaturesSchema,
    build: (s: z.output<typeof schemas.timeSeriesFeaturesSchema>) => new TimeSeriesFeatures(s),
  },
  identity: { schema: schemas.identitySchema, build: (s: z.output<typeof schemas.identitySchema>) => new IdentityStatistics(s) },
  'ensemble-moments': { schema: schemas.ensembleMomentsSchema, build: (s: z.output<typeof schemas.ensembleMomentsSchema>) => new EnsembleMoments(s) },
  'neural-network': {
    schema: schemas.neuralNetworkSchema,
    build: (s: z.output<typeof schemas.neuralNetworkSchema>) => new NeuralNetworkStatistics(s as NeuralNetworkSpec),
  },
};

const DISTANCES: Record<string, Entry<Distance>> = {
  euclidean: { schema: schemas.euclideanSchema, build: (s: z.output<typeof schemas.euclideanSchema>) => new EuclideanDistance(s) },
  manhattan: { schema: schemas.manhattanSchema, build: (s: z.output<typeof schemas.manhattanSchema>) => new ManhattanDistance(s) },
  'weighted-euclidean': {
    schema: schemas.weightedEuclideanSchema,
    build: (s: z.output<typeof schemas.weightedEuclideanSchema>) => new WeightedEuclideanDistance(s.weights),
  },
  adaptive: { schema: schemas.adaptiveSchema, build: (s: z.output<typeof schemas.adaptiveSchema>) => new AdaptiveDistance(s) },
};

export const SUMMARY_STATISTICS_KINDS = Object.keys(STATISTICS);
export const DISTANCE_KINDS = Object.keys(DISTANCES);

/** `['lags', 1]` under `statistics` → `statistics.lags[1]`. */
function issuesOf(prefix: string, error: z.ZodError) {
  return zodIssues(error, { prefix });
}

function build<T>(prefix: string, what: string, table: Record<string, Entry<T>>, spec: unknown): T {
  if (spec === null || typeof spec !== 'object' || Array.isArray(spec)) {
    throw new PartSpecError([{ path: prefix, message: `expected a ${what} spec object like {"kind": "${Object.keys(table)[0]}"}` }]);
  }
  const kind = (spec as { kind?: unknown }).kind;
  const entry = typeof kind === 'string' && Object.hasOwn(table, kind) ? table[kind] : undefined;
  if (!entry) {
    const got = kind === undefined ? 'no kind' : `unknown kind ${JSON.stringify(kind)}`;
    throw new PartSpecError([{ path: `${prefix}.kind`, message: `${got}; expected one of ${Object.keys(table).join(', ')}` }]);
  }
  const parsed = entry.schema.safeParse(spec);
  if (!parsed.success) throw new PartSpecError(issuesOf(prefix, parsed.error));
  return entry.build(parsed.data as never);
}

/**
 * Summary statistics from their JSON spec (as `toJSON()` wrote it, or as a
 * user wrote it); the default spec when none is given. Kinds:
 * `time-series-features`, `identity`, `ensemble-moments`, `neural-network`
 * (a trained network with its weights, see engine/learn/nn). Throws
 * PartSpecError listing every problem, e.g. `statistics.lags[1]: expected a positive integer`.
 */
export function createSummaryStatistics(spec: unknown = DEFAULT_SUMMARY_STATISTICS_SPEC): SummaryStatistics {
  return build('statistics', 'summary statistics', STATISTICS, spec);
}

/**
 * A distance from its JSON spec; the default (Euclidean) when none is given.
 * Kinds: `euclidean`, `manhattan` (both with `maxNormalisation`),
 * `weighted-euclidean`, `adaptive`. Throws PartSpecError (paths under `distance.`).
 */
export function createDistance(spec: unknown = DEFAULT_DISTANCE_SPEC): Distance {
  return build('distance', 'distance', DISTANCES, spec);
}

/** A fitted scaler rebuilt from its toJSON(). Throws PartSpecError (paths under `scaler.`). */
export function createScaler(spec: unknown): AffineScaler {
  const parsed = schemas.scalerSchema.safeParse(spec);
  if (!parsed.success) throw new PartSpecError(issuesOf('scaler', parsed.error));
  return new AffineScaler(parsed.data.kind, parsed.data.center, parsed.data.scale);
}
