/**
 * Uncertainty of soft labels, per point: Shannon entropy (nats; 0 for a
 * sure label, log C for the uniform distribution) and margin (top
 * probability minus the runner-up; 1 for a sure label, 0 for a tie), the
 * two measures active learning ranks candidates by (Settles 2009, "Active
 * learning literature survey", Univ. Wisconsin TR 1648, sect. 3.1).
 */
export function entropyOf(distribution: ArrayLike<number>, offset: number, classes: number): number {
  let h = 0;
  for (let c = 0; c < classes; c++) {
    const p = distribution[offset + c];
    if (p > 0) h -= p * Math.log(p);
  }
  return h;
}

export function marginOf(distribution: ArrayLike<number>, offset: number, classes: number): number {
  let best = -Infinity;
  let second = -Infinity;
  for (let c = 0; c < classes; c++) {
    const p = distribution[offset + c];
    if (p > best) {
      second = best;
      best = p;
    } else if (p > second) second = p;
  }
  return classes < 2 ? 1 : best - second;
}

/** Index of the most probable class (lowest index on ties). */
export function argmaxOf(distribution: ArrayLike<number>, offset: number, classes: number): number {
  let best = 0;
  for (let c = 1; c < classes; c++) if (distribution[offset + c] > distribution[offset + best]) best = c;
  return best;
}

export interface Uncertainty {
  readonly hard: Int32Array;
  readonly entropy: Float64Array;
  readonly margin: Float64Array;
}

/** Hard labels, entropies and margins of n × C soft labels. */
export function summariseDistributions(distributions: Float64Array, n: number, classes: number): Uncertainty {
  const hard = new Int32Array(n);
  const entropy = new Float64Array(n);
  const margin = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    hard[i] = argmaxOf(distributions, i * classes, classes);
    entropy[i] = entropyOf(distributions, i * classes, classes);
    margin[i] = marginOf(distributions, i * classes, classes);
  }
  return { hard, entropy, margin };
}
