import { LearnInputError } from './errors.js';

/** Feature rows as the engine hands them around: one ArrayLike per point (Float64Array, number[]). */
export type FeatureRows = ReadonlyArray<ArrayLike<number>>;

/** A dense row-major matrix: entry (i, k) at data[i * columns + k]. */
export interface DenseMatrix {
  readonly rows: number;
  readonly columns: number;
  readonly data: Float64Array;
}

/** Copies rows into one row-major Float64Array; throws on an empty or ragged input. */
export function toDenseMatrix(rows: FeatureRows, field = 'features'): DenseMatrix {
  if (rows.length === 0) throw new LearnInputError(field, 'expected at least one row');
  const columns = rows[0].length;
  if (columns === 0) throw new LearnInputError(field, 'expected at least one column');
  const data = new Float64Array(rows.length * columns);
  for (let i = 0; i < rows.length; i++) {
    const row = rows[i];
    if (row.length !== columns) throw new LearnInputError(`${field}[${i}]`, `expected ${columns} values (as row 0), got ${row.length}`);
    for (let k = 0; k < columns; k++) data[i * columns + k] = row[k];
  }
  return { rows: rows.length, columns, data };
}

/** Splits a row-major matrix back into row views (no copy). */
export function rowsOf(matrix: DenseMatrix): Float64Array[] {
  const out: Float64Array[] = new Array(matrix.rows);
  for (let i = 0; i < matrix.rows; i++) out[i] = matrix.data.subarray(i * matrix.columns, (i + 1) * matrix.columns);
  return out;
}
