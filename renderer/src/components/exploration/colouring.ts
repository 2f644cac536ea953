/**
 * Colouring of exploration points: every point falls in one group (a class,
 * or a bucket of a continuous value), each group drawn as one large-mode
 * scatter series in one colour (ECharts large mode draws a series in a
 * single colour, which is what keeps 20,000 points fast).
 */
export interface ColourGroup {
  readonly name: string;
  readonly colour: string;
}

export interface Colouring {
  /** Group of each point (index into groups). */
  readonly groupOf: Int32Array;
  readonly groups: readonly ColourGroup[];
  /** A continuous scale (min/max of the value), or null for classes. */
  readonly ramp: { readonly label: string; readonly min: number; readonly max: number; readonly log: boolean } | null;
}

export const UNLABELLED = '#b8bec6';
const MISSING = '#d9534f';

/** Viridis, 12 steps (perceptually uniform, colour-blind safe). */
export const RAMP = ['#440154', '#482173', '#433e85', '#38598c', '#2d708e', '#25858e', '#1e9b8a', '#2ab07f', '#52c569', '#86d549', '#c2df23', '#fde725'];

/** Classes: -1 is "unlabelled", drawn grey (and first, so labelled points lie on top). */
export function classColouring(
  classOf: ArrayLike<number>,
  classNames: readonly string[],
  colourOf: (name: string, index: number) => string,
  unlabelled = 'unlabelled',
): Colouring {
  const n = classOf.length;
  const groupOf = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const c = classOf[i];
    groupOf[i] = c >= 0 && c < classNames.length ? c + 1 : 0;
  }
  return { groupOf, groups: [{ name: unlabelled, colour: UNLABELLED }, ...classNames.map((name, k) => ({ name, colour: colourOf(name, k) }))], ramp: null };
}

/** A continuous value in RAMP.length buckets between its finite min and max, widened to `range` when given (log scale when asked and positive); non-finite values in their own group. */
export function rampColouring(values: ArrayLike<number | null>, label: string, log = false, range?: readonly [number, number]): Colouring {
  const n = values.length;
  let min = Infinity;
  let max = -Infinity;
  const useLog = log && Array.prototype.every.call(values, (v: number | null) => v === null || !Number.isFinite(v) || v > 0);
  const t = (v: number) => (useLog ? Math.log(v) : v);
  for (let i = 0; i < n; i++) {
    const v = values[i];
    if (v === null || !Number.isFinite(v)) continue;
    if (v < min) min = v;
    if (v > max) max = v;
  }
  // A fixed scale (entropy: 0 to ln C) says how large a value is, not just which is largest.
  if (range && Number.isFinite(min)) {
    min = Math.min(min, range[0]);
    max = Math.max(max, range[1]);
  }
  const B = RAMP.length;
  const groupOf = new Int32Array(n);
  const lo = t(min);
  const span = t(max) - lo;
  for (let i = 0; i < n; i++) {
    const v = values[i];
    if (v === null || !Number.isFinite(v)) groupOf[i] = B;
    else groupOf[i] = span > 0 ? Math.min(B - 1, Math.floor(((t(v) - lo) / span) * B)) : Math.floor(B / 2);
  }
  const groups: ColourGroup[] = RAMP.map((colour, b) => ({ name: `${label} ${b + 1}/${B}`, colour }));
  groups.push({ name: `${label}: no value`, colour: MISSING });
  return { groupOf, groups, ramp: Number.isFinite(min) ? { label, min, max, log: useLog } : null };
}
