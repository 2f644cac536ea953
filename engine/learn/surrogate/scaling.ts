import { SurrogateError } from './SurrogateError.js';

/**
 * Affine maps that put inputs on a common scale before a surrogate sees
 * them: `unitBox` maps [lower, upper] (the prior box, or the data's range)
 * onto [0, 1]; `standardise` subtracts the mean and divides by the standard
 * deviation. Length scales then mean the same thing in every direction, and
 * the default hyperparameter ranges make sense whatever the units.
 */
export interface InputScaling {
  readonly kind: 'unitBox' | 'standardise';
  readonly offset: readonly number[];
  readonly scale: readonly number[];
}

export function fitInputScaling(
  kind: InputScaling['kind'],
  x: Float64Array,
  n: number,
  d: number,
  bounds?: ReadonlyArray<readonly [number, number]>,
): InputScaling {
  const offset: number[] = [];
  const scale: number[] = [];
  for (let k = 0; k < d; k++) {
    if (kind === 'unitBox') {
      let lo = Infinity;
      let hi = -Infinity;
      if (bounds) {
        [lo, hi] = bounds[k];
      } else {
        for (let i = 0; i < n; i++) {
          lo = Math.min(lo, x[i * d + k]);
          hi = Math.max(hi, x[i * d + k]);
        }
      }
      offset.push(lo);
      scale.push(hi > lo ? hi - lo : 1);
    } else {
      let mean = 0;
      for (let i = 0; i < n; i++) mean += x[i * d + k];
      mean /= n;
      let ss = 0;
      for (let i = 0; i < n; i++) ss += (x[i * d + k] - mean) ** 2;
      const sd = n > 1 ? Math.sqrt(ss / (n - 1)) : 0;
      offset.push(mean);
      scale.push(sd > 0 ? sd : 1);
    }
  }
  return { kind, offset, scale };
}

export function applyInputScaling(s: InputScaling, x: Float64Array, n: number, d: number, out = new Float64Array(n * d)): Float64Array {
  for (let i = 0; i < n; i++) for (let k = 0; k < d; k++) out[i * d + k] = (x[i * d + k] - s.offset[k]) / s.scale[k];
  return out;
}

/** Output standardisation y ↦ (y − mean) / sd; sd = 1 for constant outputs. */
export interface OutputScaling {
  readonly mean: number;
  readonly sd: number;
}

export function fitOutputScaling(y: ArrayLike<number>, stride = 1, column = 0): OutputScaling {
  const n = Math.floor(y.length / stride);
  let mean = 0;
  for (let i = 0; i < n; i++) mean += y[i * stride + column];
  mean /= n;
  let ss = 0;
  for (let i = 0; i < n; i++) ss += (y[i * stride + column] - mean) ** 2;
  const sd = n > 1 ? Math.sqrt(ss / (n - 1)) : 0;
  return { mean, sd: sd > 0 ? sd : 1 };
}

/**
 * Rows as one row-major Float64Array: accepts a flat array (n × d) or an
 * array of rows; checks shapes and finiteness (a NaN would silently poison
 * a Cholesky factor).
 */
export function toRowMajor(
  routine: string,
  field: string,
  rows: Float64Array | ReadonlyArray<ArrayLike<number>>,
  d?: number,
): { data: Float64Array; n: number; d: number } {
  if (rows instanceof Float64Array) {
    if (d === undefined || d < 1) throw new SurrogateError(routine, field, 'a flat Float64Array needs the dimension');
    if (rows.length % d !== 0) throw new SurrogateError(routine, field, `expected a multiple of ${d} values (rows × ${d} columns), got ${rows.length}`);
    assertFinite(routine, field, rows);
    return { data: rows, n: rows.length / d, d };
  }
  const n = rows.length;
  const width = d ?? (n > 0 ? rows[0].length : 0);
  const data = new Float64Array(n * width);
  for (let i = 0; i < n; i++) {
    const row = rows[i];
    if (row.length !== width) throw new SurrogateError(routine, `${field}[${i}]`, `expected ${width} values, got ${row.length}`);
    for (let k = 0; k < width; k++) data[i * width + k] = row[k];
  }
  assertFinite(routine, field, data);
  return { data, n, d: width };
}

export function assertFinite(routine: string, field: string, values: ArrayLike<number>): void {
  for (let i = 0; i < values.length; i++) {
    if (!Number.isFinite(values[i])) throw new SurrogateError(routine, field, `expected finite numbers, got ${values[i]} at index ${i}`);
  }
}
