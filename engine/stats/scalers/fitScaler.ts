import type { AffineScaler, ScalerKind } from './AffineScaler.js';
import { fitMinMaxScaler } from './fitMinMaxScaler.js';
import { fitRobustScaler } from './fitRobustScaler.js';
import { fitStandardScaler } from './fitStandardScaler.js';

const FITTERS: Record<ScalerKind, (rows: readonly Float64Array[]) => AffineScaler> = {
  'standard-scaler': fitStandardScaler,
  'min-max-scaler': fitMinMaxScaler,
  'robust-scaler': fitRobustScaler,
};

/** Fit a scaler of the given kind on rows of features. */
export function fitScaler(kind: ScalerKind, rows: readonly Float64Array[]): AffineScaler {
  return FITTERS[kind](rows);
}
