/**
 * Box-constrained compass (coordinate pattern) search: try ±step along each
 * axis, move to the first improvement, halve the step when none improves,
 * stop below `minStep` or after `maxEvaluations`. Converges to a stationary
 * point of a smooth function (Kolda, Lewis & Torczon 2003, "Optimization by
 * direct search: new perspectives on some classical and modern methods",
 * SIAM Review 45(3), doi:10.1137/S003614450242889). Used to polish the best
 * candidates of an acquisition function, where gradients are not at hand.
 *
 * Steps are fractions of each side of the box, so one setting fits every scale.
 */
export interface PatternSearchOptions {
  readonly initialStep?: number;
  readonly minStep?: number;
  readonly maxEvaluations?: number;
}

export function patternSearch(
  f: (x: Float64Array) => number,
  start: ArrayLike<number>,
  bounds: ReadonlyArray<readonly [number, number]>,
  options: PatternSearchOptions = {},
): { x: Float64Array; value: number } {
  const d = bounds.length;
  let step = options.initialStep ?? 0.05;
  const minStep = options.minStep ?? 1e-4;
  const maxEvaluations = options.maxEvaluations ?? 200;
  const x = Float64Array.from(start);
  let value = f(x);
  let evaluations = 1;
  const trial = new Float64Array(d);
  while (step >= minStep && evaluations < maxEvaluations) {
    let improved = false;
    for (let k = 0; k < d && !improved; k++) {
      for (const sign of [1, -1]) {
        const [lo, hi] = bounds[k];
        trial.set(x);
        trial[k] = Math.min(hi, Math.max(lo, x[k] + sign * step * (hi - lo)));
        if (trial[k] === x[k]) continue;
        const v = f(trial);
        evaluations++;
        if (v < value) {
          x.set(trial);
          value = v;
          improved = true;
          break;
        }
      }
    }
    if (!improved) step /= 2;
  }
  return { x, value };
}
