/**
 * Trajectories as the charts take them: `count` trajectories × species × time,
 * row-major, as the engine sends simulation previews and observed data.
 */
export interface TrajectorySet {
  readonly time: readonly number[];
  readonly species: readonly string[];
  readonly count: number;
  readonly data: readonly number[];
  /** species × time (computed from data when absent). */
  readonly mean?: readonly number[];
  readonly sd?: readonly number[];
}

export function valueAt(set: TrajectorySet, run: number, species: number, k: number): number {
  const T = set.time.length;
  return set.data[(run * set.species.length + species) * T + k];
}

/** The mean over trajectories of one species, per time point (null values, i.e. NaN on the wire, are skipped). */
export function meanOf(set: TrajectorySet, species: number): number[] {
  const T = set.time.length;
  const out = new Array<number>(T).fill(0);
  const n = new Array<number>(T).fill(0);
  for (let r = 0; r < set.count; r++) {
    for (let k = 0; k < T; k++) {
      const v = valueAt(set, r, species, k);
      if (v === null || !Number.isFinite(v)) continue;
      out[k] += v;
      n[k]++;
    }
  }
  return out.map((s, k) => (n[k] > 0 ? s / n[k] : Number.NaN));
}

/** Equal-width histogram of values over [lower, upper] (the data range when the bounds are not finite). */
export function histogram(values: readonly number[], bins: number, lower?: number, upper?: number): { centres: number[]; counts: number[]; width: number } {
  const finite = values.filter(Number.isFinite);
  let min = Infinity;
  let max = -Infinity;
  for (const v of finite) {
    if (v < min) min = v;
    if (v > max) max = v;
  }
  let lo = lower !== undefined && Number.isFinite(lower) ? lower : min;
  let hi = upper !== undefined && Number.isFinite(upper) ? upper : max;
  if (!Number.isFinite(lo) || !Number.isFinite(hi)) return { centres: [], counts: [], width: 0 };
  if (hi <= lo) {
    lo -= 0.5;
    hi += 0.5;
  }
  const width = (hi - lo) / bins;
  const counts = new Array<number>(bins).fill(0);
  for (const v of finite) {
    if (v < lo || v > hi) continue;
    counts[Math.min(bins - 1, Math.floor((v - lo) / width))]++;
  }
  return { centres: counts.map((_, i) => lo + (i + 0.5) * width), counts, width };
}
