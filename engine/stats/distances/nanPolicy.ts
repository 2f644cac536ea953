/**
 * How every distance here treats values that are not numbers.
 *
 * - A NaN in the observed features (a statistic undefined for the data, e.g.
 *   the autocorrelation of a species observed constant) removes that feature
 *   from the distance; `initialize` records a warning naming it.
 * - A NaN in a simulated feature whose observed value is defined makes the
 *   distance +Infinity, so the trial is rejected whatever epsilon is: the
 *   simulation behaves unlike the data in a way the statistic cannot measure.
 * - Scale estimates (MAD, SD, running maxima) skip non-finite values.
 *
 * So a distance is never NaN, and comparisons `d <= epsilon` stay meaningful.
 */
export const NAN_POLICY = 'observed NaN: feature ignored (warned at initialize); simulated NaN: distance +Infinity';

/** Warnings for the observed features that are NaN (and so ignored). */
export function observedNaNWarnings(kind: string, observed: Float64Array): string[] {
  const missing: number[] = [];
  for (let j = 0; j < observed.length; j++) if (observed[j] !== observed[j]) missing.push(j);
  if (missing.length === 0) return [];
  const list = missing.length > 20 ? `${missing.slice(0, 20).join(', ')}, ...` : missing.join(', ');
  return [`${kind} distance: ${missing.length} observed feature${missing.length === 1 ? ' is' : 's are'} NaN and ignored (index ${list})`];
}
