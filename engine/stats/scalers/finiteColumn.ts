/**
 * Gather the finite values of column j of `rows` into out[0..count) and
 * return count. NaN and +-Infinity are skipped, so fitting ignores them as
 * scikit-learn's scalers ignore NaN. `out` holds rows.length values.
 */
export function finiteColumn(rows: readonly Float64Array[], j: number, out: Float64Array): number {
  let count = 0;
  for (const row of rows) {
    const v = row[j];
    if (Number.isFinite(v)) out[count++] = v;
  }
  return count;
}
