import { Xoshiro128 } from '../../sample/random/Xoshiro128.js';
import { ClassifierSettingsError, trainMlpClassifier, type UniformSource } from './mlpClassifier.js';

export interface C2stOptions {
  /** Columns of both sample sets. */
  readonly dimension: number;
  /** Seeds the folds, the initial weights and the shuffles (default 1, as sbibm). */
  readonly seed?: number;
  /** Cross-validation folds (default 5). */
  readonly folds?: number;
  /**
   * Train and test only the first k of the `folds` splits (default all):
   * the same held-out accuracy in expectation at k/folds of the cost, with
   * more variance. For quick runs.
   */
  readonly evaluateFolds?: number;
  /** Hidden units of each of the two layers (default 10 · dimension). */
  readonly hiddenUnits?: number;
  /** Epochs at most per fold (default 200); see MlpClassifierOptions.maxEpochs. */
  readonly maxEpochs?: number;
  /** Called after each fold (long runs show progress). */
  readonly onFold?: (fold: number, accuracy: number, epochs: number) => void;
}

export interface C2stResult {
  /** Mean held-out accuracy over the folds: 0.5 indistinguishable, 1 fully separable. */
  readonly accuracy: number;
  readonly foldAccuracies: readonly number[];
  /** Epochs each fold's classifier trained. */
  readonly epochs: readonly number[];
}

/**
 * Classifier two-sample test (Lopez-Paz & Oquab 2017, arXiv:1610.06545) to
 * the protocol of sbibm (Lueckmann et al. 2021, "Benchmarking
 * Simulation-Based Inference", arXiv:2101.04653, sbibm/metrics/c2st.py):
 * both sets are z-scored with the mean and standard deviation (n − 1) of
 * `reference`; an MLP with two hidden layers of 10·dim ReLU units trained by
 * Adam (scikit-learn's MLPClassifier defaults: batch 200, alpha 1e-4, stop
 * after 10 epochs without improvement) tells the two apart; 5-fold
 * cross-validation over the shuffled union; the mean held-out accuracy.
 *
 * The sets may differ in size (accuracy is then measured against the larger
 * share, so a constant guess scores above 0.5); sbibm uses 10,000 each.
 *
 * @param samples n × dimension rows (the algorithm's posterior), row-major
 * @param reference m × dimension rows (the reference posterior)
 */
export function c2st(samples: Float64Array, reference: Float64Array, options: C2stOptions): C2stResult {
  const d = options.dimension;
  if (!Number.isSafeInteger(d) || d < 1) throw new ClassifierSettingsError('dimension', `expected an integer >= 1, got ${d}`);
  if (samples.length % d !== 0 || samples.length === 0)
    throw new ClassifierSettingsError('samples', `expected a non-empty whole number of rows of ${d} values, got ${samples.length} values`);
  if (reference.length % d !== 0 || reference.length < 2 * d)
    throw new ClassifierSettingsError('reference', `expected at least 2 rows of ${d} values, got ${reference.length} values`);
  const folds = options.folds ?? 5;
  if (!Number.isSafeInteger(folds) || folds < 2) throw new ClassifierSettingsError('folds', `expected an integer >= 2, got ${folds}`);
  const n = samples.length / d;
  const m = reference.length / d;
  const total = n + m;
  if (total < folds) throw new ClassifierSettingsError('folds', `${folds} folds need at least ${folds} rows, got ${total}`);
  for (let i = 0; i < samples.length; i++)
    if (!Number.isFinite(samples[i])) throw new ClassifierSettingsError('samples', `value ${i} (row ${Math.floor(i / d)}) is not finite: ${samples[i]}`);
  for (let i = 0; i < reference.length; i++)
    if (!Number.isFinite(reference[i])) throw new ClassifierSettingsError('reference', `value ${i} (row ${Math.floor(i / d)}) is not finite: ${reference[i]}`);

  // z-score by the reference's moments (sample sd, as torch.std); a constant column is only centred.
  const mean = new Float64Array(d);
  const sd = new Float64Array(d);
  for (let r = 0; r < m; r++) for (let k = 0; k < d; k++) mean[k] += reference[r * d + k];
  for (let k = 0; k < d; k++) mean[k] /= m;
  for (let r = 0; r < m; r++) for (let k = 0; k < d; k++) sd[k] += (reference[r * d + k] - mean[k]) ** 2;
  for (let k = 0; k < d; k++) sd[k] = Math.sqrt(sd[k] / (m - 1)) || 1;

  const data = new Float64Array(total * d);
  const labels = new Uint8Array(total);
  for (let r = 0; r < m; r++) for (let k = 0; k < d; k++) data[r * d + k] = (reference[r * d + k] - mean[k]) / sd[k];
  for (let r = 0; r < n; r++) {
    for (let k = 0; k < d; k++) data[(m + r) * d + k] = (samples[r * d + k] - mean[k]) / sd[k];
    labels[m + r] = 1;
  }

  const rng = Xoshiro128.fromSeed(options.seed ?? 1, 0xc2);
  const order = shuffled(total, rng);
  const hidden = options.hiddenUnits ?? 10 * d;
  const evaluate = options.evaluateFolds ?? folds;
  if (!Number.isSafeInteger(evaluate) || evaluate < 1 || evaluate > folds)
    throw new ClassifierSettingsError('evaluateFolds', `expected an integer in 1..${folds}, got ${evaluate}`);
  const foldAccuracies: number[] = [];
  const epochs: number[] = [];
  for (let f = 0; f < evaluate; f++) {
    // Fold f holds positions [from, to) of the shuffled order, as KFold(shuffle=True) does.
    const from = Math.floor((f * total) / folds);
    const to = Math.floor(((f + 1) * total) / folds);
    const trainRows = total - (to - from);
    const xTrain = new Float64Array(trainRows * d);
    const yTrain = new Uint8Array(trainRows);
    const xTest = new Float64Array((to - from) * d);
    const yTest = new Uint8Array(to - from);
    let t = 0;
    for (let p = 0; p < total; p++) {
      const r = order[p];
      if (p >= from && p < to) {
        xTest.set(data.subarray(r * d, (r + 1) * d), (p - from) * d);
        yTest[p - from] = labels[r];
      } else {
        xTrain.set(data.subarray(r * d, (r + 1) * d), t * d);
        yTrain[t++] = labels[r];
      }
    }
    const classifier = trainMlpClassifier(
      xTrain,
      yTrain,
      d,
      { hidden: [hidden, hidden], maxEpochs: options.maxEpochs },
      Xoshiro128.fromSeed(options.seed ?? 1, 0xc2, f + 1),
    );
    const p = classifier.predictProbabilities(xTest);
    let correct = 0;
    for (let i = 0; i < yTest.length; i++) if ((p[i] >= 0.5 ? 1 : 0) === yTest[i]) correct++;
    const accuracy = correct / yTest.length;
    foldAccuracies.push(accuracy);
    epochs.push(classifier.epochs);
    options.onFold?.(f, accuracy, classifier.epochs);
  }
  return { accuracy: foldAccuracies.reduce((a, b) => a + b, 0) / evaluate, foldAccuracies, epochs };
}

function shuffled(count: number, rng: UniformSource): Uint32Array {
  const order = Uint32Array.from({ length: count }, (_, i) => i);
  for (let i = count - 1; i > 0; i--) {
    const j = Math.floor(rng.nextDouble() * (i + 1));
    const t = order[i];
    order[i] = order[j];
    order[j] = t;
  }
  return order;
}

/**
 * `count` rows drawn with replacement from weighted particles (multinomial
 * resampling): how a weighted ABC population becomes the equally weighted
 * sample C2ST compares (sbibm resamples its SMC-ABC and rejection
 * populations to 10,000 rows). Weights need not be normalised.
 *
 * @param particles rows × dimension, row-major
 */
export function resampleWeighted(particles: Float64Array, weights: ArrayLike<number>, dimension: number, count: number, rng: UniformSource): Float64Array {
  const rows = weights.length;
  if (particles.length !== rows * dimension)
    throw new ClassifierSettingsError('particles', `expected ${rows} rows × ${dimension} = ${rows * dimension} values, got ${particles.length}`);
  if (!Number.isSafeInteger(count) || count < 1) throw new ClassifierSettingsError('count', `expected an integer >= 1, got ${count}`);
  const cumulative = new Float64Array(rows);
  let sum = 0;
  for (let i = 0; i < rows; i++) {
    const w = weights[i];
    if (!(w >= 0) || !Number.isFinite(w)) throw new ClassifierSettingsError('weights', `weight ${i} is not a finite number >= 0: ${w}`);
    sum += w;
    cumulative[i] = sum;
  }
  if (!(sum > 0)) throw new ClassifierSettingsError('weights', 'the weights sum to zero');
  const out = new Float64Array(count * dimension);
  for (let c = 0; c < count; c++) {
    const u = rng.nextDouble() * sum;
    let lo = 0;
    let hi = rows - 1;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (cumulative[mid] > u) hi = mid;
      else lo = mid + 1;
    }
    out.set(particles.subarray(lo * dimension, (lo + 1) * dimension), c * dimension);
  }
  return out;
}
