/** engine/learn/reduce: feature matrices to 2-D (PCA, UMAP, exact t-SNE) for the exploration scatter. */
export { reduceDimension, REDUCTION_METHODS, type ReduceOptions, type Reduction, type ReductionMethod } from './reduceDimension.js';
export { standardiseColumns, type StandardisedFeatures } from './standardise.js';
export { pcaProject, type PcaProjection } from './pca.js';
export { umapEmbed, type UmapOptions } from './umap.js';
export { tsneEmbed, TSNE_MAX_POINTS, type TsneOptions } from './tsne.js';
export { toDenseMatrix, rowsOf, type DenseMatrix, type FeatureRows } from './featureMatrix.js';
export { LearnInputError } from './errors.js';
