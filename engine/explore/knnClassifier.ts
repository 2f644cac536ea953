import { ExplorationError } from './errors.js';

export interface KnnClassifierOptions {
  /** Neighbours voting (default 10, capped at the training size). */
  readonly k?: number;
  /**
   * Weight of a uniform pseudo-vote, relative to one neighbour at zero
   * distance (default 0.02): far from every training point the
   * prediction tends to uniform, i.e. uncertain, which steers active
   * learning into unexplored parts of the space.
   */
  readonly prior?: number;
}

/**
 * A k-nearest-neighbour classifier with soft votes, from unit-cube
 * parameters to class distributions: the prediction at x is the average of
 * the soft labels of its k nearest training points, weighted by a Gaussian
 * of the distance with a bandwidth equal to the median nearest-neighbour
 * spacing of the training set, plus a small uniform pseudo-vote. It is the
 * surrogate active learning queries for candidates never simulated
 * (Wrede & Hellander 2019, doi:10.1093/bioinformatics/btz420, train a
 * classifier from parameters to propagated labels; any probabilistic
 * classifier works, Settles 2009, sect. 3). Pure TypeScript, exact,
 * O(m n d) for m candidates.
 */
export class KnnSoftClassifier {
  private readonly n: number;
  private readonly k: number;
  private readonly bandwidth2: number;
  private readonly priorWeight: number;

  constructor(
    private readonly points: Float64Array,
    private readonly distributions: Float64Array,
    readonly dimension: number,
    readonly classes: number,
    options: KnnClassifierOptions = {},
  ) {
    this.n = points.length / dimension;
    if (!Number.isInteger(this.n) || this.n < 1) throw new ExplorationError('classifier', 'expected at least one training point');
    if (distributions.length !== this.n * classes)
      throw new ExplorationError('classifier', `expected ${this.n} × ${classes} soft labels, got ${distributions.length} values`);
    this.k = Math.max(1, Math.min(options.k ?? 10, this.n));
    const nearest = new Float64Array(this.n);
    for (let i = 0; i < this.n; i++) {
      let best = Infinity;
      for (let j = 0; j < this.n; j++) if (j !== i) best = Math.min(best, this.squared(points, i, j));
      nearest[i] = best;
    }
    const finite = Array.from(nearest)
      .filter((v) => Number.isFinite(v) && v > 0)
      .sort((a, b) => a - b);
    // Bandwidth: about two typical spacings, so k neighbours share the vote smoothly.
    this.bandwidth2 = 4 * (finite.length > 0 ? finite[finite.length >> 1] : 0.01);
    this.priorWeight = options.prior ?? 0.02;
  }

  private squared(other: Float64Array, i: number, j: number): number {
    const d = this.dimension;
    let s = 0;
    for (let t = 0; t < d; t++) {
      const v = other[i * d + t] - this.points[j * d + t];
      s += v * v;
    }
    return s;
  }

  /** Class distributions (m × classes, row-major) of m unit-cube points. */
  predict(candidates: Float64Array): Float64Array {
    const m = candidates.length / this.dimension;
    const C = this.classes;
    const out = new Float64Array(m * C);
    const bestD = new Float64Array(this.k);
    const bestI = new Int32Array(this.k);
    for (let q = 0; q < m; q++) {
      let size = 0;
      for (let j = 0; j < this.n; j++) {
        const dist = this.squared(candidates, q, j);
        if (size < this.k) {
          let p = size++;
          while (p > 0 && bestD[p - 1] > dist) {
            bestD[p] = bestD[p - 1];
            bestI[p] = bestI[p - 1];
            p--;
          }
          bestD[p] = dist;
          bestI[p] = j;
        } else if (dist < bestD[this.k - 1]) {
          let p = this.k - 1;
          while (p > 0 && bestD[p - 1] > dist) {
            bestD[p] = bestD[p - 1];
            bestI[p] = bestI[p - 1];
            p--;
          }
          bestD[p] = dist;
          bestI[p] = j;
        }
      }
      let total = this.priorWeight;
      for (let c = 0; c < C; c++) out[q * C + c] = total / C;
      for (let t = 0; t < size; t++) {
        const w = Math.exp(-bestD[t] / this.bandwidth2);
        total += w;
        const o = bestI[t] * C;
        for (let c = 0; c < C; c++) out[q * C + c] += w * this.distributions[o + c];
      }
      for (let c = 0; c < C; c++) out[q * C + c] /= total;
    }
    return out;
  }
}
