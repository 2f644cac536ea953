import { FeatureShapeError } from '../errors.js';

/** The common length of the rows of a feature matrix (throws if they differ or there are none). */
export function rowDimension(rows: readonly Float64Array[], what: string): number {
  if (rows.length === 0) throw new FeatureShapeError(`${what}: rows`, 1, 0);
  const d = rows[0].length;
  rows.forEach((row) => {
    if (row.length !== d) throw new FeatureShapeError(`${what}: row length`, d, row.length);
  });
  return d;
}
