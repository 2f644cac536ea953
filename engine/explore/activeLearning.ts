import { entropyOf, marginOf } from '../learn/semiSupervised/uncertainty.js';
import { sobol } from '../sample/quasiRandom/sobol.js';
import { Xoshiro128 } from '../sample/random/Xoshiro128.js';
import { ExplorationError } from './errors.js';
import type { KnnSoftClassifier } from './knnClassifier.js';

export type ProposalStrategy = 'entropy' | 'margin' | 'class';

export interface ProposalOptions {
  readonly n: number;
  readonly strategy: ProposalStrategy;
  /** strategy 'class': the class whose predicted region to sample. */
  readonly classIndex?: number;
  /** Candidates scored (default max(2,000, 50 n)). */
  readonly candidates?: number;
  /** Unit-cube box the candidates fill (default the whole cube). */
  readonly lower?: ArrayLike<number>;
  readonly upper?: ArrayLike<number>;
  readonly seed: number;
  /** Stream index, so successive proposals use different candidates. */
  readonly round: number;
}

export interface Proposal {
  /** n × d unit-cube points, row-major. */
  readonly unit: Float64Array;
  /** Score of each proposed point (higher = proposed first): entropy, 1 - margin, or class probability. */
  readonly scores: Float64Array;
  /** Predicted class distribution of each proposed point (n × classes). */
  readonly predicted: Float64Array;
}

/**
 * Active learning (Settles 2009, "Active learning literature survey",
 * Univ. Wisconsin TR 1648, uncertainty sampling; Wrede & Hellander 2019,
 * doi:10.1093/bioinformatics/btz420): a large candidate set (a Sobol
 * sequence in the box, randomly shifted modulo 1 per round) is scored by
 * the classifier's predicted labels: most uncertain first (highest
 * entropy, or smallest margin between the two likeliest classes), or most
 * probably of a chosen class. The n best are taken greedily, skipping a
 * candidate closer than half the typical spacing of n points on a
 * (d - 1)-dimensional boundary to one already taken, so that a batch spreads along the boundary instead of
 * piling onto its single most uncertain spot.
 */
export function proposePoints(classifier: KnnSoftClassifier, options: ProposalOptions): Proposal {
  const d = classifier.dimension;
  const C = classifier.classes;
  const { n, strategy } = options;
  if (!Number.isInteger(n) || n < 1) throw new ExplorationError('n', `expected an integer >= 1, got ${n}`);
  if (strategy === 'class' && (options.classIndex === undefined || options.classIndex < 0 || options.classIndex >= C)) {
    throw new ExplorationError('class', `expected a class in 0..${C - 1}, got ${options.classIndex}`);
  }
  const m = Math.max(n, options.candidates ?? Math.max(2000, 50 * n));
  const rng = Xoshiro128.fromSeed(options.seed, 3, options.round);
  const base = sobol(m, d, { skip: 1 });
  const candidates = new Float64Array(m * d);
  for (let k = 0; k < d; k++) {
    const shift = rng.nextDouble();
    const lo = options.lower ? options.lower[k] : 0;
    const hi = options.upper ? options.upper[k] : 1;
    for (let i = 0; i < m; i++) candidates[i * d + k] = lo + ((base[i * d + k] + shift) % 1) * (hi - lo);
  }
  const predicted = classifier.predict(candidates);
  const score = new Float64Array(m);
  for (let i = 0; i < m; i++) {
    if (strategy === 'entropy') score[i] = entropyOf(predicted, i * C, C);
    else if (strategy === 'margin') score[i] = 1 - marginOf(predicted, i * C, C);
    else score[i] = predicted[i * C + options.classIndex!];
  }
  const order = Array.from({ length: m }, (_, i) => i).sort((a, b) => score[b] - score[a] || a - b);
  // Half the spacing of n points spread over a (d - 1)-dimensional boundary of unit size.
  const minDistance2 = (0.5 * n ** (-1 / Math.max(1, d - 1))) ** 2;
  const chosen: number[] = [];
  const taken = new Uint8Array(m);
  for (const i of order) {
    if (chosen.length === n) break;
    let far = true;
    for (const j of chosen) {
      let s = 0;
      for (let k = 0; k < d; k++) s += (candidates[i * d + k] - candidates[j * d + k]) ** 2;
      if (s < minDistance2) {
        far = false;
        break;
      }
    }
    if (far) {
      chosen.push(i);
      taken[i] = 1;
    }
  }
  // Too few well-spaced candidates (a tiny region): fill up by score alone.
  for (const i of order) {
    if (chosen.length === n) break;
    if (!taken[i]) chosen.push(i);
  }
  const unit = new Float64Array(n * d);
  const scores = new Float64Array(n);
  const chosenPredicted = new Float64Array(n * C);
  chosen.forEach((i, r) => {
    unit.set(candidates.subarray(i * d, (i + 1) * d), r * d);
    scores[r] = score[i];
    chosenPredicted.set(predicted.subarray(i * C, (i + 1) * C), r * C);
  });
  return { unit, scores, predicted: chosenPredicted };
}
