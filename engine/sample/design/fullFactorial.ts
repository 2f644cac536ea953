import { DesignError } from './DesignError.js';
import { assertInteger } from './points.js';

export interface FullFactorialOptions {
  /**
   * Where the levels of an axis sit (default 'edges'):
   * - 'edges': L levels at j / (L - 1), j = 0..L-1, so the bounds themselves
   *   are design points (the classical 2^k and 3^k designs); L = 1 gives 0.5.
   * - 'centres': L levels at the centres (j + 0.5) / L of L equal cells.
   */
  readonly at?: 'edges' | 'centres';
}

/** Largest design `fullFactorial` builds, a guard against levels like [100, 100, 100, 100]. */
export const FULL_FACTORIAL_MAX_POINTS = 10_000_000;

/**
 * Full factorial design: every combination of levels[k] levels on axis k,
 * prod(levels) points, row-major with `levels.length` columns. Enumeration
 * order is that of nested loops with the LAST axis varying fastest (as
 * numpy.meshgrid(..., indexing='ij') flattened): point index
 * i = sum_k j_k * prod_{l>k} levels[l] holds level j_k on axis k.
 *
 * Method: mixed-radix counting; deterministic, no random draws.
 * References: G. E. P. Box, J. S. Hunter and W. G. Hunter, Statistics for
 * Experimenters, 2nd ed., Wiley 2005, ch. 5 (ISBN 978-0-471-71813-0).
 */
export function fullFactorial(levels: readonly number[], options: FullFactorialOptions = {}): Float64Array {
  if (!Array.isArray(levels) || levels.length === 0) {
    throw new DesignError('fullFactorial', 'levels', 'expected a non-empty array of integers >= 1');
  }
  levels.forEach((l, k) => assertInteger('fullFactorial', `levels[${k}]`, l, 1));
  const at = options.at ?? 'edges';
  if (at !== 'edges' && at !== 'centres') {
    throw new DesignError('fullFactorial', 'at', `expected "edges" or "centres", got ${JSON.stringify(at)}`);
  }
  const d = levels.length;
  const n = levels.reduce((p, l) => p * l, 1);
  if (n > FULL_FACTORIAL_MAX_POINTS) {
    throw new DesignError('fullFactorial', 'levels', `${levels.join(' x ')} = ${n} points exceeds ${FULL_FACTORIAL_MAX_POINTS}`);
  }
  const values = levels.map((l) => {
    const v = new Float64Array(l);
    for (let j = 0; j < l; j++) v[j] = at === 'centres' ? (j + 0.5) / l : l === 1 ? 0.5 : j / (l - 1);
    return v;
  });
  const points = new Float64Array(n * d);
  const digit = new Int32Array(d);
  for (let i = 0; i < n; i++) {
    for (let k = 0; k < d; k++) points[i * d + k] = values[k][digit[k]];
    for (let k = d - 1; k >= 0; k--) {
      if (++digit[k] < levels[k]) break;
      digit[k] = 0;
    }
  }
  return points;
}
