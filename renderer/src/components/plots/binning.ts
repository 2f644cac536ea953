/** Pure binning helpers for the posterior plots (weighted histograms, 2-D weight grids). */

export interface Histogram {
  readonly edges: number[];
  /** Weighted density per bin (integrates to 1 over the range). */
  readonly density: number[];
}

/** A sensible bin count for n particles: about sqrt(n), between 8 and 40. */
export function binCount(n: number): number {
  return Math.max(8, Math.min(40, Math.round(Math.sqrt(Math.max(n, 1)))));
}

/** Weighted histogram of `values` over [lower, upper]; values outside are clamped into the edge bins. */
export function weightedHistogram(values: ArrayLike<number>, weights: ArrayLike<number> | null, lower: number, upper: number, bins: number): Histogram {
  const width = (upper - lower) / bins;
  const mass = new Array<number>(bins).fill(0);
  let total = 0;
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    const w = weights ? weights[i] : 1;
    if (!Number.isFinite(v) || !(w > 0)) continue;
    const k = Math.min(bins - 1, Math.max(0, Math.floor((v - lower) / width)));
    mass[k] += w;
    total += w;
  }
  const edges = Array.from({ length: bins + 1 }, (_, k) => lower + k * width);
  const density = mass.map((m) => (total > 0 && width > 0 ? m / (total * width) : 0));
  return { edges, density };
}

/** Finite [min, max] of values, widened when they are all equal. */
export function extent(values: ArrayLike<number>): [number, number] {
  let lo = Infinity;
  let hi = -Infinity;
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (!Number.isFinite(v)) continue;
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  if (lo === Infinity) return [0, 1];
  if (lo === hi) return [lo - 0.5 * (Math.abs(lo) || 1), hi + 0.5 * (Math.abs(hi) || 1)];
  return [lo, hi];
}

/** The range a parameter's axis shows: the prior range when finite, else the particles' extent; padded by 3%. */
export function axisRange(priorLower: number, priorUpper: number, values: ArrayLike<number>): [number, number] {
  const [lo, hi] = Number.isFinite(priorLower) && Number.isFinite(priorUpper) && priorUpper > priorLower ? [priorLower, priorUpper] : extent(values);
  const pad = (hi - lo) * 0.03;
  return [lo - pad, hi + pad];
}

/** One column of a row-major count × width matrix. */
export function column(matrix: ArrayLike<number>, width: number, j: number): Float64Array {
  const count = Math.floor(matrix.length / width);
  const out = new Float64Array(count);
  for (let i = 0; i < count; i++) out[i] = matrix[i * width + j];
  return out;
}

/** Cells [x0, x1, y0, y1, weight share] of a 2-D weighted histogram; empty cells are left out. */
export function weightGrid(
  xs: ArrayLike<number>,
  ys: ArrayLike<number>,
  weights: ArrayLike<number> | null,
  xRange: [number, number],
  yRange: [number, number],
  nx: number,
  ny: number,
): { cells: number[][]; max: number } {
  const mass = new Float64Array(nx * ny);
  const dx = (xRange[1] - xRange[0]) / nx;
  const dy = (yRange[1] - yRange[0]) / ny;
  let total = 0;
  for (let i = 0; i < xs.length; i++) {
    const w = weights ? weights[i] : 1;
    if (!(w > 0) || !Number.isFinite(xs[i]) || !Number.isFinite(ys[i])) continue;
    const a = Math.min(nx - 1, Math.max(0, Math.floor((xs[i] - xRange[0]) / dx)));
    const b = Math.min(ny - 1, Math.max(0, Math.floor((ys[i] - yRange[0]) / dy)));
    mass[b * nx + a] += w;
    total += w;
  }
  const cells: number[][] = [];
  let max = 0;
  for (let b = 0; b < ny; b++) {
    for (let a = 0; a < nx; a++) {
      const m = mass[b * nx + a];
      if (m <= 0) continue;
      const share = m / total;
      if (share > max) max = share;
      cells.push([xRange[0] + a * dx, xRange[0] + (a + 1) * dx, yRange[0] + b * dy, yRange[0] + (b + 1) * dy, share]);
    }
  }
  return { cells, max };
}
