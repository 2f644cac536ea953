export { dropUninformativeFeatures, type DroppedFeature, type FeatureSelection } from './dropUninformativeFeatures.js';
export { selectFeatures } from './selectFeatures.js';
