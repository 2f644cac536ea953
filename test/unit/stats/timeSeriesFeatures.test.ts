import { describe, expect, it } from 'vitest';
import { compileNetwork, getExample, validateModel } from '../../../engine/model/index.js';
import { createSimulator, simulateEnsemble, uniformTimeGrid } from '../../../engine/simulate/index.js';
import type { TrajectoryEnsemble } from '../../../engine/simulate/types.js';
import { EnsembleMoments, FeatureShapeError, IdentityStatistics, PartSpecError, TimeSeriesFeatures } from '../../../engine/stats/index.js';

/** An ensemble from per-run, per-species series (all of one length). */
function ensembleOf(speciesIds: string[], runs: number[][][]): TrajectoryEnsemble {
  const nTime = runs[0][0].length;
  const data = Float64Array.from(runs.flat(2));
  return { speciesIds, time: Float64Array.from({ length: nTime }, (_, i) => i), runs: runs.length, data, events: 0 };
}

const A = [3, 1, 4, 1, 5, 9, 2, 6, 5, 3, 5, 8];
const B = [2, 7, 1, 8, 2, 8, 1, 8, 2, 8, 4, 5];

function features(statistics: TimeSeriesFeatures, ensemble: TrajectoryEnsemble): Map<string, number> {
  const names = statistics.featureNames(ensemble.speciesIds, ensemble.time);
  const out = new Float64Array(names.length);
  statistics.compute(ensemble, out);
  return new Map(names.map((name, i) => [name, out[i]]));
}

/** The efficient set for one species: this list is the contract stored runs and observed data rely on. */
const EFFICIENT_NAMES = [
  'sum',
  'median',
  'mean',
  'standard_deviation',
  'variance',
  'maximum',
  'minimum',
  'quantile_0.1',
  'quantile_0.25',
  'quantile_0.75',
  'quantile_0.9',
  'skewness',
  'kurtosis',
  'autocorrelation_lag1',
  'autocorrelation_lag2',
  'autocorrelation_lag3',
  'autocorrelation_lag5',
  'autocorrelation_lag10',
  'agg_autocorrelation_mean_maxlag40',
  'agg_autocorrelation_median_maxlag40',
  'agg_autocorrelation_variance_maxlag40',
  'partial_autocorrelation_lag1',
  'partial_autocorrelation_lag2',
  'partial_autocorrelation_lag3',
  'partial_autocorrelation_lag4',
  'partial_autocorrelation_lag5',
  'count_above_mean',
  'count_below_mean',
  'longest_strike_above_mean',
  'longest_strike_below_mean',
  'number_peaks_n1',
  'number_peaks_n3',
  'number_peaks_n5',
  'fft_coefficient_abs_k0',
  'fft_coefficient_abs_k1',
  'fft_coefficient_abs_k2',
  'fft_coefficient_abs_k3',
  'fft_coefficient_abs_k4',
  'spectrum_centroid',
  'spectrum_variance',
  'spectrum_skew',
  'spectrum_kurtosis',
  'linear_trend_slope',
  'linear_trend_intercept',
  'linear_trend_rvalue',
  'linear_trend_stderr',
  'mean_abs_change_quantiles_ql0.2_qh0.8',
  'burstiness',
  'burstiness_finite_size',
].map((name) => `A:${name}`);

const VILAR_SPECIES = ['Da', 'Da_prime', 'Ma', 'Dr', 'Dr_prime', 'Mr', 'C', 'A', 'R'];

describe('TimeSeriesFeatures names', () => {
  it('efficient set: 49 features for one species, in a stable order', () => {
    expect(new TimeSeriesFeatures().featureNames(['A'], new Float64Array(201))).toEqual(EFFICIENT_NAMES);
  });

  it('efficient set on the 9 Vilar species: 9 x 49 + 36 pairwise correlations = 477, unique', () => {
    const names = new TimeSeriesFeatures({ set: 'efficient' }).featureNames(VILAR_SPECIES, new Float64Array(201));
    expect(names).toHaveLength(477);
    expect(new Set(names).size).toBe(477);
    expect(names[0]).toBe('Da:sum');
    expect(names).toContain('A:autocorrelation_lag2');
    expect(names.slice(-1)).toEqual(['A|R:correlation']);
  });

  it('minimal: 7 per species, no correlations; comprehensive: 78 per species plus the pairs', () => {
    expect(new TimeSeriesFeatures({ set: 'minimal' }).featureNames(['A', 'R'], new Float64Array(3))).toEqual(
      ['A', 'R'].flatMap((s) => ['sum', 'median', 'mean', 'standard_deviation', 'variance', 'maximum', 'minimum'].map((f) => `${s}:${f}`)),
    );
    expect(new TimeSeriesFeatures({ set: 'comprehensive' }).featureNames(['A', 'R'], new Float64Array(3))).toHaveLength(2 * 78 + 1);
  });

  it('lags and quantiles override the set; a species subset keeps its own order', () => {
    const names = new TimeSeriesFeatures({ lags: [4], quantiles: [0.5], species: ['R', 'A'] }).featureNames(['A', 'C', 'R'], new Float64Array(10));
    expect(names.filter((n) => n.startsWith('R:autocorrelation_lag') || n.startsWith('R:quantile'))).toEqual(['R:quantile_0.5', 'R:autocorrelation_lag4']);
    expect(names[0]).toBe('R:sum');
    expect(names.at(-1)).toBe('R|A:correlation');
  });

  it('an unknown species is a PartSpecError naming it and the model species', () => {
    const statistics = new TimeSeriesFeatures({ species: ['A', 'X'] });
    expect(() => statistics.featureNames(['A', 'R'], new Float64Array(3))).toThrow(PartSpecError);
    expect(() => statistics.featureNames(['A', 'R'], new Float64Array(3))).toThrow('statistics.species[1]: unknown species "X"; the model has A, R');
  });
});

describe('TimeSeriesFeatures values', () => {
  it('one run: the kernels values (numpy, see features.test.ts)', () => {
    const values = features(new TimeSeriesFeatures(), ensembleOf(['A', 'B'], [[A, B]]));
    expect(values.get('A:sum')).toBe(52);
    expect(values.get('A:median')).toBe(4.5);
    expect(values.get('A:quantile_0.1')).toBeCloseTo(1.1, 12);
    expect(values.get('A:autocorrelation_lag2')).toBeCloseTo(-0.10566037735849056, 12);
    expect(values.get('A:partial_autocorrelation_lag4')).toBeCloseTo(-0.5076136049773403, 10);
    expect(values.get('A:agg_autocorrelation_median_maxlag40')).toBeCloseTo(-0.12830188679245288, 12);
    expect(values.get('A:fft_coefficient_abs_k4')).toBeCloseTo(14.730919862656233, 10);
    expect(values.get('A:linear_trend_slope')).toBeCloseTo(0.3496503496503496, 12);
    expect(values.get('A:mean_abs_change_quantiles_ql0.2_qh0.8')).toBe(2);
    expect(values.get('A|B:correlation')).toBeCloseTo(0.09979900759721555, 12);
  });

  it('several runs: the mean of the per-run features (tolerance 1e-12 relative)', () => {
    const runs = [
      [A, B],
      [B, A],
      [A.map((v) => v * 2), B.map((v) => v + 1)],
    ];
    const statistics = new TimeSeriesFeatures();
    const together = features(statistics, ensembleOf(['A', 'B'], runs));
    const single = runs.map((run) => features(new TimeSeriesFeatures(), ensembleOf(['A', 'B'], [run])));
    for (const [name, value] of together) {
      const expected = single.reduce((s, m) => s + m.get(name)!, 0) / runs.length;
      expect(Math.abs(value - expected)).toBeLessThanOrEqual(1e-12 * Math.max(1, Math.abs(expected)));
    }
  });

  it('a run where a feature is undefined is left out of its mean; undefined in every run gives NaN; never Infinity', () => {
    const constant = new Array(12).fill(4);
    const statistics = new TimeSeriesFeatures();
    const mixed = features(
      statistics,
      ensembleOf(
        ['A', 'B'],
        [
          [A, constant],
          [A, B],
        ],
      ),
    );
    const alone = features(new TimeSeriesFeatures(), ensembleOf(['A', 'B'], [[A, B]]));
    expect(mixed.get('B:autocorrelation_lag1')).toBe(alone.get('B:autocorrelation_lag1'));
    expect(mixed.get('A|B:correlation')).toBe(alone.get('A|B:correlation'));
    expect(mixed.get('B:mean')).toBe((4 + B.reduce((s, v) => s + v, 0) / 12) / 2);

    const flat = features(new TimeSeriesFeatures(), ensembleOf(['A', 'B'], [[constant, constant]]));
    for (const name of [
      'A:autocorrelation_lag1',
      'A:partial_autocorrelation_lag2',
      'A:skewness',
      'A:linear_trend_rvalue',
      'A|B:correlation',
      'A:agg_autocorrelation_mean_maxlag40',
    ]) {
      expect(flat.get(name), name).toBeNaN();
    }
    expect(flat.get('A:burstiness')).toBe(-1);
    expect(flat.get('A:mean_abs_change_quantiles_ql0.2_qh0.8')).toBe(0);
    for (const value of flat.values()) expect(Math.abs(value)).not.toBe(Infinity);
  });

  it('custom feature lists, with or without correlation', () => {
    const statistics = new TimeSeriesFeatures({ features: ['median', 'correlation', 'quantile_0.3', 'autocorrelation_lag40'] });
    const values = features(statistics, ensembleOf(['A', 'B'], [[A, B]]));
    expect([...values.keys()]).toEqual([
      'A:median',
      'A:quantile_0.3',
      'A:autocorrelation_lag40',
      'B:median',
      'B:quantile_0.3',
      'B:autocorrelation_lag40',
      'A|B:correlation',
    ]);
    expect(values.get('A:autocorrelation_lag40')).toBeNaN(); // lag >= n
    expect(values.get('A:quantile_0.3')).toBe(3); // np.quantile(A, 0.3): h = 3.3 between sorted[3] = sorted[4] = 3
    expect(() => new TimeSeriesFeatures({ features: ['mean', 'nonsense'] })).toThrow('statistics.features[1]: unknown feature "nonsense"');
  });

  it('reuses its buffers for ensembles of one shape and rebuilds them for another', () => {
    const statistics = new TimeSeriesFeatures({ set: 'minimal' });
    const first = features(statistics, ensembleOf(['A', 'B'], [[A, B]]));
    const other = features(statistics, ensembleOf(['X'], [[[1, 2, 3]]]));
    expect(other.get('X:sum')).toBe(6);
    expect(features(statistics, ensembleOf(['A', 'B'], [[A, B]]))).toEqual(first);
    expect(() => statistics.compute(ensembleOf(['A', 'B'], [[A, B]]), new Float64Array(3))).toThrow(FeatureShapeError);
  });

  it('Vilar trajectories (SSA, 3 runs): every efficient feature computed, none infinite', () => {
    const simulator = createSimulator(compileNetwork(validateModel(getExample('vilar'))), 'ssa');
    const ensemble = simulateEnsemble(simulator, { runs: 3, seed: 5, grid: uniformTimeGrid(50, 51) });
    const values = features(new TimeSeriesFeatures(), ensemble);
    expect(values.size).toBe(477);
    for (const [name, value] of values) expect(Number.isFinite(value) || Number.isNaN(value), name).toBe(true);
    expect(values.get('Da|Da_prime:correlation')).toBeCloseTo(-1, 12); // Da + Da_prime = 1 at all times
  });
});

describe('IdentityStatistics and EnsembleMoments', () => {
  const ensemble = ensembleOf(
    ['A', 'B'],
    [
      [
        [1, 2, 3],
        [10, 20, 30],
      ],
      [
        [3, 2, 1],
        [30, 20, 10],
      ],
    ],
  );

  it('identity: the mean trajectory, species-major, named by time', () => {
    const identity = new IdentityStatistics({ species: ['B'] });
    expect(identity.featureNames(ensemble.speciesIds, ensemble.time)).toEqual(['B:value_t0', 'B:value_t1', 'B:value_t2']);
    const out = new Float64Array(3);
    identity.compute(ensemble, out);
    expect(Array.from(out)).toEqual([20, 20, 20]);
  });

  it('identity passes one-point series (pre-computed summaries) through under the bare name', () => {
    const summaries = ensembleOf(['mean_A', 'var_A'], [[[4], [2]]]);
    const identity = new IdentityStatistics();
    expect(identity.featureNames(summaries.speciesIds, summaries.time)).toEqual(['mean_A', 'var_A']);
    const out = new Float64Array(2);
    identity.compute(summaries, out);
    expect(Array.from(out)).toEqual([4, 2]);
  });

  it('ensemble moments: mean and population variance over runs at each time', () => {
    const moments = new EnsembleMoments({ species: ['A'] });
    expect(moments.featureNames(ensemble.speciesIds, ensemble.time)).toEqual([
      'A:ensemble_mean_t0',
      'A:ensemble_mean_t1',
      'A:ensemble_mean_t2',
      'A:ensemble_variance_t0',
      'A:ensemble_variance_t1',
      'A:ensemble_variance_t2',
    ]);
    const out = new Float64Array(6);
    moments.compute(ensemble, out);
    expect(Array.from(out)).toEqual([2, 2, 2, 1, 0, 1]); // var([1, 3]) = 1, ddof 0
  });
});
