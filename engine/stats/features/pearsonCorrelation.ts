/**
 * Pearson correlation of x[offsetX ..] and y[offsetY ..] (n values each)
 * given their means: sum dx dy / sqrt(sum dx^2 sum dy^2) (numpy's
 * `np.corrcoef(x, y)[0, 1]`, Sciope's `corrcoef` summaries). NaN when
 * either series is constant (or n < 2); clamped to [-1, 1] against round-off.
 */
export function pearsonCorrelation(x: Float64Array, offsetX: number, meanX: number, y: Float64Array, offsetY: number, meanY: number, n: number): number {
  let sxy = 0;
  let sxx = 0;
  let syy = 0;
  for (let i = 0; i < n; i++) {
    const dx = x[offsetX + i] - meanX;
    const dy = y[offsetY + i] - meanY;
    sxy += dx * dy;
    sxx += dx * dx;
    syy += dy * dy;
  }
  if (!(sxx > 0 && syy > 0)) return NaN;
  const r = sxy / Math.sqrt(sxx * syy);
  return r > 1 ? 1 : r < -1 ? -1 : r;
}
