/**
 * Weighted-sample helpers shared by the samplers and the Posterior.
 * Weights are non-negative; functions that need them normalised say so.
 */

/** Normalise in place so the weights sum to one; returns the sum before. */
export function normalise(weights: Float64Array): number {
  let sum = 0;
  for (let i = 0; i < weights.length; i++) sum += weights[i];
  if (!(sum > 0) || !Number.isFinite(sum)) throw new RangeError(`weights must have a positive finite sum, got ${sum}`);
  for (let i = 0; i < weights.length; i++) weights[i] /= sum;
  return sum;
}

/** Weights from log weights (max-shifted, so no overflow), normalised. */
export function weightsFromLog(logWeights: Float64Array): Float64Array {
  let max = -Infinity;
  for (const v of logWeights) if (v > max) max = v;
  if (max === -Infinity) throw new RangeError('every log weight is -Infinity');
  const w = Float64Array.from(logWeights, (v) => Math.exp(v - max));
  normalise(w);
  return w;
}

/** Kish's effective sample size (Σw)² / Σw². */
export function effectiveSampleSize(weights: ArrayLike<number>): number {
  let s = 0;
  let s2 = 0;
  for (let i = 0; i < weights.length; i++) {
    s += weights[i];
    s2 += weights[i] * weights[i];
  }
  return s2 > 0 ? (s * s) / s2 : 0;
}

/** log Σ exp(v). */
export function logSumExp(values: ArrayLike<number>): number {
  let max = -Infinity;
  for (let i = 0; i < values.length; i++) if (values[i] > max) max = values[i];
  if (max === -Infinity) return -Infinity;
  let sum = 0;
  for (let i = 0; i < values.length; i++) sum += Math.exp(values[i] - max);
  return max + Math.log(sum);
}

/**
 * Weighted p-quantile of `values`: the inverse of the weighted empirical
 * CDF, interpolated linearly between the midpoints of the sorted values'
 * weight masses (Hazen's definition when the weights are equal).
 */
export function weightedQuantile(values: ArrayLike<number>, weights: ArrayLike<number> | null, p: number): number {
  const n = values.length;
  if (n === 0) return NaN;
  const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => values[a] - values[b]);
  let total = 0;
  for (let i = 0; i < n; i++) total += weights ? weights[i] : 1;
  let cumulative = 0;
  let previousMid = -Infinity;
  let previousValue = NaN;
  for (let k = 0; k < n; k++) {
    const i = order[k];
    const w = (weights ? weights[i] : 1) / total;
    if (w === 0) continue; // particles without weight do not shape the quantile
    const mid = cumulative + w / 2;
    if (p <= mid) {
      if (previousMid === -Infinity) return values[i];
      return previousValue + ((values[i] - previousValue) * (p - previousMid)) / (mid - previousMid);
    }
    cumulative += w;
    previousMid = mid;
    previousValue = values[i];
  }
  return previousValue;
}

/** Cumulative sums of normalised weights, for sampling an index with `pickIndex`. */
export function cumulativeWeights(weights: ArrayLike<number>): Float64Array {
  const c = new Float64Array(weights.length);
  let s = 0;
  for (let i = 0; i < weights.length; i++) c[i] = s += weights[i];
  return c;
}

/** The index i with cumulative[i-1] <= u·total < cumulative[i] (binary search). */
export function pickIndex(cumulative: Float64Array, u: number): number {
  const target = u * cumulative[cumulative.length - 1];
  let lo = 0;
  let hi = cumulative.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (cumulative[mid] > target) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}
