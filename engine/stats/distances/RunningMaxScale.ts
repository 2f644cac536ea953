/**
 * Sciope's max normalisation: each feature's |simulated - observed| is
 * divided by the largest such difference seen so far for that feature, so
 * every component lies in [0, 1] and epsilon reads as a fraction (Sciope's
 * `ABC.scale_distance`, which divides by the running nanmax of the
 * historical per-feature distances; a zero maximum leaves the component
 * unscaled, as there).
 *
 * Deliberate difference: Sciope updates the maxima with every trial, inside
 * the distance; here they are updated from whole generations in
 * initialize/update, so a distance is a pure function of the two feature
 * vectors between updates, the same on any worker in any order.
 */
export class RunningMaxScale {
  private maxima: Float64Array;

  constructor(initial: readonly number[] = []) {
    this.maxima = Float64Array.from(initial);
  }

  /** Fold |row - observed| of every row into the running maxima (non-finite values skipped). */
  observe(rows: readonly Float64Array[], observed: Float64Array): void {
    if (this.maxima.length !== observed.length) {
      const grown = new Float64Array(observed.length);
      grown.set(this.maxima.subarray(0, Math.min(this.maxima.length, observed.length)));
      this.maxima = grown;
    }
    const maxima = this.maxima;
    for (const row of rows) {
      for (let j = 0; j < maxima.length; j++) {
        const d = Math.abs(row[j] - observed[j]);
        if (d > maxima[j] && d < Infinity) maxima[j] = d;
      }
    }
  }

  /** The divisor of feature j: its running maximum, or 1 while that is 0 or unknown. */
  divisor(j: number): number {
    const m = j < this.maxima.length ? this.maxima[j] : 0;
    return m > 0 ? m : 1;
  }

  toJSON(): number[] {
    return Array.from(this.maxima);
  }
}
