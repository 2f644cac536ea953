import { aggregatedAutocorrelation } from '../features/aggregatedAutocorrelation.js';
import { absEnergy } from '../features/absEnergy.js';
import { absoluteSumOfChanges } from '../features/absoluteSumOfChanges.js';
import { burstiness } from '../features/burstiness.js';
import { complexityEstimate } from '../features/complexityEstimate.js';
import { countAboveMean } from '../features/countAboveMean.js';
import { countBelowMean } from '../features/countBelowMean.js';
import { finiteSizeBurstiness } from '../features/finiteSizeBurstiness.js';
import { kurtosis } from '../features/kurtosis.js';
import { longestStrikeAboveMean } from '../features/longestStrikeAboveMean.js';
import { longestStrikeBelowMean } from '../features/longestStrikeBelowMean.js';
import { meanAbsoluteChangeInCorridor } from '../features/meanAbsoluteChangeInCorridor.js';
import { meanChange } from '../features/meanChange.js';
import { numberPeaks } from '../features/numberPeaks.js';
import { quantileOfSorted } from '../features/quantileOfSorted.js';
import { rootMeanSquare } from '../features/rootMeanSquare.js';
import { skewness } from '../features/skewness.js';
import type { SeriesNeeds, SeriesWorkspace } from './SeriesWorkspace.js';
import type { PlainFeature, SeriesFeature } from './seriesFeatureGrammar.js';

/** Reads one feature of the series loaded in a workspace. */
export type SeriesFeatureEvaluator = (w: SeriesWorkspace) => number;

const PLAIN: Record<PlainFeature, { needs?: (n: SeriesNeeds) => void; evaluate: SeriesFeatureEvaluator }> = {
  sum: { evaluate: (w) => w.sum },
  median: { needs: (n) => (n.sorted = true), evaluate: (w) => quantileOfSorted(w.sorted, w.n, 0.5) },
  mean: { evaluate: (w) => w.mean },
  standard_deviation: { evaluate: (w) => w.standardDeviation },
  variance: { evaluate: (w) => w.variance },
  maximum: { evaluate: (w) => w.maximum },
  minimum: { evaluate: (w) => w.minimum },
  skewness: { evaluate: (w) => skewness(w.x, w.offset, w.n, w.mean) },
  kurtosis: { evaluate: (w) => kurtosis(w.x, w.offset, w.n, w.mean) },
  count_above_mean: { evaluate: (w) => countAboveMean(w.x, w.offset, w.n, w.mean) },
  count_below_mean: { evaluate: (w) => countBelowMean(w.x, w.offset, w.n, w.mean) },
  longest_strike_above_mean: { evaluate: (w) => longestStrikeAboveMean(w.x, w.offset, w.n, w.mean) },
  longest_strike_below_mean: { evaluate: (w) => longestStrikeBelowMean(w.x, w.offset, w.n, w.mean) },
  spectrum_centroid: { needs: (n) => (n.spectrum = true), evaluate: (w) => w.spectrumMoments[0] },
  spectrum_variance: { needs: (n) => (n.spectrum = true), evaluate: (w) => w.spectrumMoments[1] },
  spectrum_skew: { needs: (n) => (n.spectrum = true), evaluate: (w) => w.spectrumMoments[2] },
  spectrum_kurtosis: { needs: (n) => (n.spectrum = true), evaluate: (w) => w.spectrumMoments[3] },
  linear_trend_slope: { needs: (n) => (n.trend = true), evaluate: (w) => w.trend[0] },
  linear_trend_intercept: { needs: (n) => (n.trend = true), evaluate: (w) => w.trend[1] },
  linear_trend_rvalue: { needs: (n) => (n.trend = true), evaluate: (w) => w.trend[2] },
  linear_trend_stderr: { needs: (n) => (n.trend = true), evaluate: (w) => w.trend[3] },
  burstiness: { evaluate: (w) => burstiness(w.mean, w.standardDeviation) },
  burstiness_finite_size: { evaluate: (w) => finiteSizeBurstiness(w.mean, w.standardDeviation, w.n) },
  abs_energy: { evaluate: (w) => absEnergy(w.x, w.offset, w.n) },
  absolute_sum_of_changes: { evaluate: (w) => absoluteSumOfChanges(w.x, w.offset, w.n) },
  mean_change: { evaluate: (w) => meanChange(w.x, w.offset, w.n) },
  root_mean_square: { evaluate: (w) => rootMeanSquare(w.x, w.offset, w.n) },
  cid_ce: { evaluate: (w) => complexityEstimate(w.x, w.offset, w.n, NaN) },
  cid_ce_normalized: { evaluate: (w) => complexityEstimate(w.x, w.offset, w.n, w.standardDeviation) },
};

/**
 * The evaluator of one feature; records in `needs` what the workspace must
 * compute for it. Evaluators are built once per statistics object (closures
 * over the feature's arguments) and allocate nothing when called.
 */
export function seriesFeatureEvaluator(feature: SeriesFeature, needs: SeriesNeeds): SeriesFeatureEvaluator {
  switch (feature.family) {
    case 'quantile': {
      needs.sorted = true;
      const q = feature.q;
      return (w) => quantileOfSorted(w.sorted, w.n, q);
    }
    case 'autocorrelation': {
      const lag = feature.lag;
      needs.acfMaxLag = Math.max(needs.acfMaxLag, lag);
      return (w) => w.acf[lag];
    }
    case 'partial_autocorrelation': {
      const lag = feature.lag;
      needs.pacfMaxLag = Math.max(needs.pacfMaxLag, lag);
      return (w) => w.pacf[lag];
    }
    case 'agg_autocorrelation': {
      const { aggregate, maxLag } = feature;
      needs.acfMaxLag = Math.max(needs.acfMaxLag, maxLag);
      return (w) => aggregatedAutocorrelation(w.acf, Math.min(w.n - 1, maxLag), aggregate, w.aggregateScratch);
    }
    case 'number_peaks': {
      const support = feature.support;
      return (w) => numberPeaks(w.x, w.offset, w.n, support);
    }
    case 'fft_coefficient_abs': {
      const k = feature.k;
      needs.fftMaxK = Math.max(needs.fftMaxK, k);
      return (w) => (k <= w.n >> 1 ? w.magnitudes[k] : NaN);
    }
    case 'mean_abs_change_quantiles': {
      needs.sorted = true;
      const { low, high } = feature;
      return (w) => meanAbsoluteChangeInCorridor(w.x, w.offset, w.n, quantileOfSorted(w.sorted, w.n, low), quantileOfSorted(w.sorted, w.n, high));
    }
    default: {
      const entry = PLAIN[feature.family];
      entry.needs?.(needs);
      return entry.evaluate;
    }
  }
}
