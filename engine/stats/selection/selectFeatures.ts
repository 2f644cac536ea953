import { FeatureShapeError } from '../errors.js';

/** Copy features[keep[i]] into out[i] (out.length === keep.length): applies a FeatureSelection to a vector. */
export function selectFeatures(features: Float64Array, keep: readonly number[], out: Float64Array): Float64Array {
  if (out.length !== keep.length) throw new FeatureShapeError('selected features out', keep.length, out.length);
  for (let i = 0; i < keep.length; i++) out[i] = features[keep[i]];
  return out;
}
