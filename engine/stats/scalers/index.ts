export { AffineScaler, SCALER_KINDS, type ScalerKind, type ScalerSpec } from './AffineScaler.js';
export { fitStandardScaler } from './fitStandardScaler.js';
export { fitMinMaxScaler } from './fitMinMaxScaler.js';
export { fitRobustScaler } from './fitRobustScaler.js';
export { fitScaler } from './fitScaler.js';
