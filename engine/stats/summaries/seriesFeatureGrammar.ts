/**
 * The names of per-series features, `<feature>[_<arg>]` (a species prefix
 * `A:` is added by the statistics), parsed into descriptors. Names are the
 * stable identity of a feature: featureNames() prints them and a custom
 * `features` list is written with them, so a list read back from stored
 * results rebuilds the same statistics.
 */

/** Features without arguments. */
export const PLAIN_FEATURES = [
  'sum',
  'median',
  'mean',
  'standard_deviation',
  'variance',
  'maximum',
  'minimum',
  'skewness',
  'kurtosis',
  'count_above_mean',
  'count_below_mean',
  'longest_strike_above_mean',
  'longest_strike_below_mean',
  'spectrum_centroid',
  'spectrum_variance',
  'spectrum_skew',
  'spectrum_kurtosis',
  'linear_trend_slope',
  'linear_trend_intercept',
  'linear_trend_rvalue',
  'linear_trend_stderr',
  'burstiness',
  'burstiness_finite_size',
  'abs_energy',
  'absolute_sum_of_changes',
  'mean_change',
  'root_mean_square',
  'cid_ce',
  'cid_ce_normalized',
] as const;

export type PlainFeature = (typeof PLAIN_FEATURES)[number];

export type SeriesFeature =
  | { readonly name: string; readonly family: PlainFeature }
  | { readonly name: string; readonly family: 'quantile'; readonly q: number }
  | { readonly name: string; readonly family: 'autocorrelation' | 'partial_autocorrelation'; readonly lag: number }
  | { readonly name: string; readonly family: 'agg_autocorrelation'; readonly aggregate: 'mean' | 'median' | 'variance'; readonly maxLag: number }
  | { readonly name: string; readonly family: 'number_peaks'; readonly support: number }
  | { readonly name: string; readonly family: 'fft_coefficient_abs'; readonly k: number }
  | { readonly name: string; readonly family: 'mean_abs_change_quantiles'; readonly low: number; readonly high: number };

/** The pairwise feature: Pearson correlation of each pair of species, named `A|R:correlation`. */
export const PAIR_CORRELATION = 'correlation';

/** Patterns of the features with arguments, as shown in error messages. */
export const PARAMETRISED_PATTERNS = [
  'quantile_<q>',
  'autocorrelation_lag<k>',
  'agg_autocorrelation_<mean|median|variance>_maxlag<k>',
  'partial_autocorrelation_lag<k>',
  'number_peaks_n<k>',
  'fft_coefficient_abs_k<k>',
  'mean_abs_change_quantiles_ql<q>_qh<q>',
];

const NUMBER = '(\\d+(?:\\.\\d+)?)';
const INTEGER = '(\\d+)';
const plain = new Set<string>(PLAIN_FEATURES);

type Parsed = { feature: SeriesFeature } | { problem: string };

/** A number written as String(value) writes it: names must be canonical to be stable. */
function canonical(text: string, name: string): number | string {
  const value = Number(text);
  return String(value) === text ? value : `"${name}": write ${String(value)} for ${text} (names are canonical)`;
}

function fraction(text: string, name: string): number | string {
  const value = canonical(text, name);
  if (typeof value === 'string') return value;
  return value >= 0 && value <= 1 ? value : `"${name}": expected a quantile between 0 and 1`;
}

function integer(text: string, name: string, least: number): number | string {
  const value = canonical(text, name);
  if (typeof value === 'string') return value;
  return Number.isSafeInteger(value) && value >= least ? value : `"${name}": expected an integer >= ${least}`;
}

function match(name: string, pattern: string): string[] | null {
  const m = new RegExp(`^${pattern}$`).exec(name);
  return m ? m.slice(1) : null;
}

/** Parse one per-series feature name, e.g. `autocorrelation_lag2`. */
export function parseSeriesFeature(name: string): Parsed {
  if (plain.has(name)) return { feature: { name, family: name as PlainFeature } };
  let m: string[] | null;
  if ((m = match(name, `quantile_${NUMBER}`))) {
    const q = fraction(m[0], name);
    return typeof q === 'string' ? { problem: q } : { feature: { name, family: 'quantile', q } };
  }
  if ((m = match(name, `(autocorrelation|partial_autocorrelation)_lag${INTEGER}`))) {
    const lag = integer(m[1], name, 1);
    const family = m[0] as 'autocorrelation' | 'partial_autocorrelation';
    return typeof lag === 'string' ? { problem: lag } : { feature: { name, family, lag } };
  }
  if ((m = match(name, `agg_autocorrelation_(mean|median|variance)_maxlag${INTEGER}`))) {
    const maxLag = integer(m[1], name, 1);
    const aggregate = m[0] as 'mean' | 'median' | 'variance';
    return typeof maxLag === 'string' ? { problem: maxLag } : { feature: { name, family: 'agg_autocorrelation', aggregate, maxLag } };
  }
  if ((m = match(name, `number_peaks_n${INTEGER}`))) {
    const support = integer(m[0], name, 1);
    return typeof support === 'string' ? { problem: support } : { feature: { name, family: 'number_peaks', support } };
  }
  if ((m = match(name, `fft_coefficient_abs_k${INTEGER}`))) {
    const k = integer(m[0], name, 0);
    return typeof k === 'string' ? { problem: k } : { feature: { name, family: 'fft_coefficient_abs', k } };
  }
  if ((m = match(name, `mean_abs_change_quantiles_ql${NUMBER}_qh${NUMBER}`))) {
    const low = fraction(m[0], name);
    const high = fraction(m[1], name);
    if (typeof low === 'string') return { problem: low };
    if (typeof high === 'string') return { problem: high };
    if (!(low < high)) return { problem: `"${name}": expected ql < qh` };
    return { feature: { name, family: 'mean_abs_change_quantiles', low, high } };
  }
  return { problem: `unknown feature "${name}"; expected ${PAIR_CORRELATION}, one of ${PLAIN_FEATURES.join(', ')}, or ${PARAMETRISED_PATTERNS.join(', ')}` };
}

/** The canonical names of parametrised features, for building sets from numbers. */
export const featureName = {
  quantile: (q: number) => `quantile_${q}`,
  autocorrelation: (lag: number) => `autocorrelation_lag${lag}`,
  partialAutocorrelation: (lag: number) => `partial_autocorrelation_lag${lag}`,
  aggregatedAutocorrelation: (aggregate: 'mean' | 'median' | 'variance', maxLag: number) => `agg_autocorrelation_${aggregate}_maxlag${maxLag}`,
  numberPeaks: (support: number) => `number_peaks_n${support}`,
  fftCoefficientAbs: (k: number) => `fft_coefficient_abs_k${k}`,
  meanAbsChangeQuantiles: (low: number, high: number) => `mean_abs_change_quantiles_ql${low}_qh${high}`,
};
