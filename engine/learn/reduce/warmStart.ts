import type { DenseMatrix } from './featureMatrix.js';

/**
 * Keeping an exploration scatter's layout when points are added.
 *
 * Method: the first m points keep their previous 2-D positions as the start
 * of UMAP's or t-SNE's optimisation; each new point starts at the previous
 * position of its nearest old point in feature space (brute force over the
 * new points only: new × m × d, small for a batch), offset by `spread` times
 * a draw from `jitter` so that coincident starts separate. After any method,
 * `alignAxes` flips an axis whose old-point coordinates run against the
 * previous ones (PCA's axes are only defined up to sign).
 */
export function warmStart(matrix: DenseMatrix, previous: Float64Array, jitter: () => number, spread: number): Float64Array {
  const { rows: n, columns: d, data } = matrix;
  const m = Math.min(n, previous.length >> 1);
  const out = new Float64Array(n * 2);
  out.set(previous.subarray(0, m * 2));
  for (let i = m; i < n; i++) {
    let best = 0;
    let bestDistance = Infinity;
    for (let j = 0; j < m; j++) {
      let s = 0;
      for (let c = 0; c < d; c++) {
        const diff = data[i * d + c] - data[j * d + c];
        s += diff * diff;
      }
      if (s < bestDistance) {
        bestDistance = s;
        best = j;
      }
    }
    out[i * 2] = (m > 0 ? out[best * 2] : 0) + spread * jitter();
    out[i * 2 + 1] = (m > 0 ? out[best * 2 + 1] : 0) + spread * jitter();
  }
  return out;
}

/** Flips (in place) each axis of `embedding` whose first m points correlate negatively with `previous` (m = the shorter). */
export function alignAxes(embedding: Float64Array, previous: Float64Array): Float64Array {
  const m = Math.min(embedding.length, previous.length) >> 1;
  for (let axis = 0; axis < 2; axis++) {
    let meanA = 0;
    let meanB = 0;
    for (let i = 0; i < m; i++) {
      meanA += embedding[i * 2 + axis];
      meanB += previous[i * 2 + axis];
    }
    meanA /= m || 1;
    meanB /= m || 1;
    let dot = 0;
    for (let i = 0; i < m; i++) dot += (embedding[i * 2 + axis] - meanA) * (previous[i * 2 + axis] - meanB);
    if (dot < 0) for (let i = 0; i < embedding.length >> 1; i++) embedding[i * 2 + axis] = -embedding[i * 2 + axis];
  }
  return embedding;
}
