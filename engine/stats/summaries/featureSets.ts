import { featureName, PAIR_CORRELATION } from './seriesFeatureGrammar.js';

export const FEATURE_SETS = ['minimal', 'efficient', 'comprehensive'] as const;
export type FeatureSetName = (typeof FEATURE_SETS)[number];

/** Overrides of a set's parametrised families. */
export interface FeatureSetOptions {
  /** Autocorrelation lags; efficient: 1, 2, 3, 5, 10; comprehensive: 1..10. */
  lags?: readonly number[];
  /** Quantiles; efficient: 0.1, 0.25, 0.75, 0.9; comprehensive: 0.1 .. 0.9 by 0.1 without 0.5 (the median). */
  quantiles?: readonly number[];
}

const range = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => from + i);

/** tsfresh's MinimalFCParameters less `length`, `root_mean_square` and `absolute_maximum` (Sciope's minimal set). */
export const MINIMAL_FEATURES = ['sum', 'median', 'mean', 'standard_deviation', 'variance', 'maximum', 'minimum'];

/** The aggregated autocorrelation covers lags 1..min(n - 1, 40), tsfresh's default maxlag. */
export const AGGREGATED_AUTOCORRELATION_MAXLAG = 40;

interface Grid {
  lags: readonly number[];
  quantiles: readonly number[];
  partialLags: readonly number[];
  peakSupports: readonly number[];
  fftCoefficients: number;
  corridors: ReadonlyArray<readonly [number, number]>;
}

const GRIDS: Record<'efficient' | 'comprehensive', Grid> = {
  efficient: {
    lags: [1, 2, 3, 5, 10],
    quantiles: [0.1, 0.25, 0.75, 0.9],
    partialLags: range(1, 5),
    peakSupports: [1, 3, 5],
    fftCoefficients: 5,
    corridors: [[0.2, 0.8]],
  },
  comprehensive: {
    lags: range(1, 10),
    quantiles: [0.1, 0.2, 0.3, 0.4, 0.6, 0.7, 0.8, 0.9],
    partialLags: range(1, 10),
    peakSupports: [1, 3, 5, 10, 50],
    fftCoefficients: 10,
    corridors: [
      [0.1, 0.9],
      [0.2, 0.8],
      [0.4, 0.6],
    ],
  },
};

/**
 * Feature names of a set, per series, in output order, plus `correlation`
 * (the pairwise species correlations) for efficient and comprehensive.
 * Efficient: 49 per species; comprehensive: 78 per species with the default grids.
 */
export function featureSetNames(set: FeatureSetName, options: FeatureSetOptions = {}): string[] {
  if (set === 'minimal') return [...MINIMAL_FEATURES];
  const grid = GRIDS[set];
  const names = [...MINIMAL_FEATURES];
  names.push(...(options.quantiles ?? grid.quantiles).map(featureName.quantile));
  names.push('skewness', 'kurtosis');
  names.push(...(options.lags ?? grid.lags).map(featureName.autocorrelation));
  for (const aggregate of ['mean', 'median', 'variance'] as const) {
    names.push(featureName.aggregatedAutocorrelation(aggregate, AGGREGATED_AUTOCORRELATION_MAXLAG));
  }
  names.push(...grid.partialLags.map(featureName.partialAutocorrelation));
  names.push('count_above_mean', 'count_below_mean', 'longest_strike_above_mean', 'longest_strike_below_mean');
  names.push(...grid.peakSupports.map(featureName.numberPeaks));
  names.push(...range(0, grid.fftCoefficients - 1).map(featureName.fftCoefficientAbs));
  names.push('spectrum_centroid', 'spectrum_variance', 'spectrum_skew', 'spectrum_kurtosis');
  names.push('linear_trend_slope', 'linear_trend_intercept', 'linear_trend_rvalue', 'linear_trend_stderr');
  names.push(...grid.corridors.map(([low, high]) => featureName.meanAbsChangeQuantiles(low, high)));
  names.push('burstiness', 'burstiness_finite_size');
  if (set === 'comprehensive') {
    names.push('abs_energy', 'absolute_sum_of_changes', 'mean_change', 'root_mean_square', 'cid_ce', 'cid_ce_normalized');
  }
  names.push(PAIR_CORRELATION);
  return names;
}
