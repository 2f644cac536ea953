import { describe, expect, it } from 'vitest';
import {
  createDistance,
  createSummaryStatistics,
  DEFAULT_SUMMARY_STATISTICS_SPEC,
  DISTANCE_KINDS,
  PartSpecError,
  SUMMARY_STATISTICS_KINDS,
} from '../../../engine/stats/index.js';
import type { TrajectoryEnsemble } from '../../../engine/simulate/types.js';

const ensemble: TrajectoryEnsemble = {
  speciesIds: ['A', 'R'],
  time: Float64Array.from({ length: 12 }, (_, i) => i),
  runs: 2,
  data: Float64Array.from([
    3, 1, 4, 1, 5, 9, 2, 6, 5, 3, 5, 8, 2, 7, 1, 8, 2, 8, 1, 8, 2, 8, 4, 5, 2, 7, 1, 8, 2, 8, 1, 8, 2, 8, 4, 5, 3, 1, 4, 1, 5, 9, 2, 6, 5, 3, 5, 8,
  ]),
  events: 0,
};

function messageOf(f: () => unknown): string {
  try {
    f();
  } catch (error) {
    expect(error).toBeInstanceOf(PartSpecError);
    return (error as Error).message;
  }
  throw new Error('expected a PartSpecError');
}

describe('createSummaryStatistics', () => {
  it('builds the default (efficient time-series features) when no spec is given', () => {
    const statistics = createSummaryStatistics();
    expect(statistics.toJSON()).toEqual({ kind: 'time-series-features', set: 'efficient', ensemble: 'mean' });
    expect(createSummaryStatistics(DEFAULT_SUMMARY_STATISTICS_SPEC).featureNames(['A'], new Float64Array(5))).toHaveLength(49);
  });

  it.each([
    { kind: 'time-series-features', set: 'minimal' },
    { kind: 'time-series-features', set: 'comprehensive', species: ['R'], lags: [1, 7], quantiles: [0.5] },
    { kind: 'time-series-features', features: ['mean', 'autocorrelation_lag3', 'correlation'] },
    { kind: 'identity', species: ['A'] },
    { kind: 'ensemble-moments', moments: ['variance'] },
  ])('rebuilds %j from its JSON with the same names and values', (spec) => {
    const statistics = createSummaryStatistics(spec);
    const rebuilt = createSummaryStatistics(JSON.parse(JSON.stringify(statistics.toJSON())));
    const names = statistics.featureNames(ensemble.speciesIds, ensemble.time);
    expect(rebuilt.featureNames(ensemble.speciesIds, ensemble.time)).toEqual(names);
    const a = new Float64Array(names.length);
    const b = new Float64Array(names.length);
    statistics.compute(ensemble, a);
    rebuilt.compute(ensemble, b);
    expect(b).toEqual(a);
  });

  it('names the field and what was expected', () => {
    expect(messageOf(() => createSummaryStatistics({ kind: 'time-series-features', lags: [1, 0] }))).toBe('statistics.lags[1]: expected a positive integer');
    expect(messageOf(() => createSummaryStatistics({ kind: 'time-series-features', quantiles: [0.5, 1.5] }))).toBe(
      'statistics.quantiles[1]: expected a quantile between 0 and 1',
    );
    expect(messageOf(() => createSummaryStatistics({ kind: 'time-series-features', set: 'all' }))).toBe(
      'statistics.set: expected one of minimal, efficient, comprehensive',
    );
    expect(messageOf(() => createSummaryStatistics({ kind: 'time-series-features', colour: 'red' }))).toBe('statistics: unknown field "colour"');
    expect(messageOf(() => createSummaryStatistics({ kind: 'time-series-features', features: ['mean', 'quantile_0.50'] }))).toBe(
      'statistics.features[1]: "quantile_0.50": write 0.5 for 0.50 (names are canonical)',
    );
    expect(messageOf(() => createSummaryStatistics({ kind: 'time-series-features', features: ['mean', 'mean'] }))).toBe(
      'statistics.features[1]: duplicate feature "mean"',
    );
    expect(messageOf(() => createSummaryStatistics({ kind: 'time-series-features', features: ['mean'], lags: [2] }))).toMatch(
      /^statistics\.lags: not used with a custom features list/,
    );
    expect(messageOf(() => createSummaryStatistics({ kind: 'time-series-features', features: ['fft_coefficient_abs'] }))).toMatch(
      /^statistics\.features\[0\]: unknown feature "fft_coefficient_abs"; expected correlation, one of sum, /,
    );
    expect(messageOf(() => createSummaryStatistics({ kind: 'identity', species: [] }))).toBe('statistics.species: expected at least one species name');
  });

  it('lists every problem, one per line', () => {
    const message = messageOf(() => createSummaryStatistics({ kind: 'time-series-features', lags: ['2'], quantiles: [-1], ensemble: 'median' }));
    expect(message.split('\n')).toEqual([
      'statistics.lags[0]: expected a positive integer',
      'statistics.quantiles[0]: expected a quantile between 0 and 1',
      'statistics.ensemble: expected "mean" (runs are averaged)',
    ]);
  });

  it('rejects unknown kinds and non-objects', () => {
    expect(messageOf(() => createSummaryStatistics({ kind: 'tsfresh' }))).toBe(
      `statistics.kind: unknown kind "tsfresh"; expected one of ${SUMMARY_STATISTICS_KINDS.join(', ')}`,
    );
    expect(messageOf(() => createSummaryStatistics({}))).toMatch(/^statistics\.kind: no kind; expected one of time-series-features/);
    expect(messageOf(() => createSummaryStatistics('efficient'))).toMatch(/^statistics: expected a summary statistics spec object/);
  });
});

describe('createDistance', () => {
  it('builds every kind with its defaults filled in', () => {
    expect(createDistance().toJSON()).toEqual({ kind: 'euclidean', maxNormalisation: false });
    expect(createDistance({ kind: 'manhattan', maxNormalisation: true }).toJSON()).toEqual({ kind: 'manhattan', maxNormalisation: true, runningMax: [] });
    expect(createDistance({ kind: 'adaptive' }).toJSON()).toEqual({ kind: 'adaptive', scale: 'mad' });
    expect(createDistance({ kind: 'weighted-euclidean', weights: [1, 2] }).toJSON()).toEqual({ kind: 'weighted-euclidean', weights: [1, 2] });
    expect(DISTANCE_KINDS).toEqual(['euclidean', 'manhattan', 'weighted-euclidean', 'adaptive']);
  });

  it('names the field and what was expected', () => {
    expect(messageOf(() => createDistance({ kind: 'weighted-euclidean', weights: [1, -2] }))).toBe('distance.weights[1]: expected a non-negative number');
    expect(messageOf(() => createDistance({ kind: 'weighted-euclidean' }))).toBe('distance.weights: expected a list of weights');
    expect(messageOf(() => createDistance({ kind: 'adaptive', scale: 'iqr' }))).toBe(
      'distance.scale: expected "mad" (median absolute deviation) or "sd" (standard deviation)',
    );
    expect(messageOf(() => createDistance({ kind: 'euclidean', maxNormalisation: 'yes' }))).toBe('distance.maxNormalisation: expected true or false');
    expect(messageOf(() => createDistance({ kind: 'cosine' }))).toBe(
      'distance.kind: unknown kind "cosine"; expected one of euclidean, manhattan, weighted-euclidean, adaptive',
    );
  });
});
