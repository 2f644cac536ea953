import { mean } from '../features/mean.js';
import { variance } from '../features/variance.js';
import { AffineScaler } from './AffineScaler.js';
import { finiteColumn } from './finiteColumn.js';
import { rowDimension } from './rowDimension.js';

/**
 * Standardise each feature to mean 0 and unit population standard deviation
 * (ddof = 0, scikit-learn's StandardScaler), fitted on the finite values of
 * each column of `rows` (e.g. prior-predictive features). A column with no
 * finite value gets center 0, scale 1.
 */
export function fitStandardScaler(rows: readonly Float64Array[]): AffineScaler {
  const d = rowDimension(rows, 'standard-scaler');
  const column = new Float64Array(rows.length);
  const center = new Float64Array(d);
  const scale = new Float64Array(d);
  for (let j = 0; j < d; j++) {
    const n = finiteColumn(rows, j, column);
    const m = n > 0 ? mean(column, 0, n) : 0;
    center[j] = m;
    scale[j] = n > 0 ? Math.sqrt(variance(column, 0, n, m)) : 1;
  }
  return new AffineScaler('standard-scaler', center, scale);
}
