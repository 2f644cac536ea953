import { quantileOfSorted } from '../features/quantileOfSorted.js';
import { AffineScaler } from './AffineScaler.js';
import { finiteColumn } from './finiteColumn.js';
import { rowDimension } from './rowDimension.js';

/**
 * Center each feature on its median and divide by its interquartile range
 * q75 - q25 (linear interpolation; scikit-learn's RobustScaler with its
 * defaults), from the finite values of each column: insensitive to the
 * heavy tails prior-predictive features often have. A column with no
 * finite value gets center 0, scale 1.
 */
export function fitRobustScaler(rows: readonly Float64Array[]): AffineScaler {
  const d = rowDimension(rows, 'robust-scaler');
  const column = new Float64Array(rows.length);
  const center = new Float64Array(d);
  const scale = new Float64Array(d);
  for (let j = 0; j < d; j++) {
    const n = finiteColumn(rows, j, column);
    if (n === 0) {
      scale[j] = 1;
      continue;
    }
    const sorted = column.subarray(0, n).sort();
    center[j] = quantileOfSorted(sorted, n, 0.5);
    scale[j] = quantileOfSorted(sorted, n, 0.75) - quantileOfSorted(sorted, n, 0.25);
  }
  return new AffineScaler('robust-scaler', center, scale);
}
