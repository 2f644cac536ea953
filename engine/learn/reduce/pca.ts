import { PCA } from 'ml-pca';
import type { DenseMatrix } from './featureMatrix.js';

/** A PCA projection: n × components row-major scores and the share of variance per component. */
export interface PcaProjection {
  readonly scores: Float64Array;
  readonly components: number;
  /** Fraction of the total variance explained by each of the returned components. */
  readonly explainedVariance: number[];
}

/**
 * Principal component analysis of a (standardised) matrix, projected onto
 * its first `components` axes (Pearson 1901; Jolliffe & Cadima 2016,
 * doi:10.1098/rsta.2015.0202). ml-pca does the decomposition; with more
 * rows than columns the covariance-matrix route (d × d eigenproblem) is
 * used, which is far cheaper than an SVD of the n × d data for n ≫ d.
 */
export function pcaProject(matrix: DenseMatrix, components = 2): PcaProjection {
  const { rows: n, columns: d, data } = matrix;
  const table: number[][] = new Array(n);
  for (let i = 0; i < n; i++) table[i] = Array.from(data.subarray(i * d, (i + 1) * d));
  const pca = new PCA(table, { method: n > d ? 'covarianceMatrix' : 'SVD', center: true, scale: false });
  const k = Math.min(components, d);
  const projected = pca.predict(table, { nComponents: k });
  const scores = new Float64Array(n * components);
  for (let i = 0; i < n; i++) for (let j = 0; j < k; j++) scores[i * components + j] = projected.get(i, j);
  // A single informative column leaves the second axis at 0 (the caller was told in the notes).
  const explained = pca.getExplainedVariance().slice(0, k);
  while (explained.length < components) explained.push(0);
  return { scores, components, explainedVariance: explained };
}
