import { rowDimension } from '../scalers/rowDimension.js';

export interface DroppedFeature {
  readonly index: number;
  /** The feature's name when names were given. */
  readonly name?: string;
  /** 'non-finite': some row has NaN or +-Infinity; 'constant': every row has the same value. */
  readonly reason: 'non-finite' | 'constant';
}

export interface FeatureSelection {
  /** Indices of the features kept, ascending. */
  readonly keep: number[];
  readonly dropped: DroppedFeature[];
}

/**
 * Features that cannot inform a distance, found on prior-predictive rows:
 * a column with any non-finite value (NaN, e.g. the autocorrelation of a
 * species that stays constant under some parameters) or with the same value
 * in every row. Returns the indices to keep and the reason for each drop.
 */
export function dropUninformativeFeatures(rows: readonly Float64Array[], names?: readonly string[]): FeatureSelection {
  const d = rowDimension(rows, 'dropUninformativeFeatures');
  const keep: number[] = [];
  const dropped: DroppedFeature[] = [];
  for (let j = 0; j < d; j++) {
    const first = rows[0][j];
    let finite = true;
    let constant = true;
    for (const row of rows) {
      const v = row[j];
      if (!Number.isFinite(v)) {
        finite = false;
        break;
      }
      if (v !== first) constant = false;
    }
    const name = names?.[j];
    const drop = (reason: DroppedFeature['reason']) => dropped.push(name === undefined ? { index: j, reason } : { index: j, name, reason });
    if (!finite) drop('non-finite');
    else if (constant) drop('constant');
    else keep.push(j);
  }
  return { keep, dropped };
}
