import { FeatureShapeError } from '../errors.js';

/** Throw unless the simulated and observed feature vectors have the same length. */
export function checkLengths(kind: string, features: Float64Array, observed: Float64Array): void {
  if (features.length !== observed.length)
    throw new FeatureShapeError(`${kind} distance: simulated features (observed has ${observed.length})`, observed.length, features.length);
}
