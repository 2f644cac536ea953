import { variance } from './variance.js';

/** Population standard deviation (numpy's `np.std`, ddof = 0) about the given mean. */
export function standardDeviation(x: Float64Array, offset: number, n: number, mean: number): number {
  return Math.sqrt(variance(x, offset, n, mean));
}
