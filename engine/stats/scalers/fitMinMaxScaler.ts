import { AffineScaler } from './AffineScaler.js';
import { finiteColumn } from './finiteColumn.js';
import { rowDimension } from './rowDimension.js';

/**
 * Map each feature's fitted range [min, max] onto [0, 1] (scikit-learn's
 * MinMaxScaler), from the finite values of each column. A column with no
 * finite value gets center 0, scale 1.
 */
export function fitMinMaxScaler(rows: readonly Float64Array[]): AffineScaler {
  const d = rowDimension(rows, 'min-max-scaler');
  const column = new Float64Array(rows.length);
  const center = new Float64Array(d);
  const scale = new Float64Array(d);
  for (let j = 0; j < d; j++) {
    const n = finiteColumn(rows, j, column);
    let lo = Infinity;
    let hi = -Infinity;
    for (let i = 0; i < n; i++) {
      if (column[i] < lo) lo = column[i];
      if (column[i] > hi) hi = column[i];
    }
    center[j] = n > 0 ? lo : 0;
    scale[j] = n > 0 ? hi - lo : 1;
  }
  return new AffineScaler('min-max-scaler', center, scale);
}
