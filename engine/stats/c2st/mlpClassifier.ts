import { EngineError } from '../../errors/index.js';

/** A uniform [0, 1) source; the caller seeds it (e.g. Xoshiro128.fromSeed), so training is reproducible. */
export interface UniformSource {
  nextDouble(): number;
}

/** Settings of the binary MLP classifier; the defaults are scikit-learn's MLPClassifier defaults, which sbibm's C2ST uses. */
export interface MlpClassifierOptions {
  /** Units of the two hidden ReLU layers. */
  readonly hidden: readonly [number, number];
  /** Adam's step size (default 1e-3). */
  readonly learningRate?: number;
  /** Minibatch size (default 200, or the whole set when smaller). */
  readonly batchSize?: number;
  /** L2 penalty on the weights, alpha (default 1e-4), added as alpha/2 · ||W||² / batch. */
  readonly l2?: number;
  /** Epochs at most (default 200; scikit-learn's C2ST allows 10,000 but stops long before on its own rule). */
  readonly maxEpochs?: number;
  /** An epoch "improves" when its mean training loss is below the best so far minus tol (default 1e-4). */
  readonly tol?: number;
  /** Stop after more than this many epochs in a row without improvement (default 10). */
  readonly patience?: number;
}

export class ClassifierSettingsError extends EngineError {
  constructor(field: string, message: string) {
    super('CLASSIFIER_SETTINGS', `${field}: ${message}`, { field });
  }
}

/** A trained classifier: P(label = 1 | x) and the epochs it took. */
export interface MlpClassifier {
  readonly dimension: number;
  readonly epochs: number;
  /** Mean training loss (cross-entropy + L2) of every epoch. */
  readonly lossCurve: Float64Array;
  /** P(label 1) of each row of x (n × dimension, row-major) into out (length n). */
  predictProbabilities(x: Float64Array, out?: Float64Array): Float64Array;
}

const positiveInteger = (field: string, v: number) => {
  if (!Number.isSafeInteger(v) || v < 1) throw new ClassifierSettingsError(field, `expected an integer >= 1, got ${v}`);
  return v;
};
const positive = (field: string, v: number) => {
  if (!(v > 0) || !Number.isFinite(v)) throw new ClassifierSettingsError(field, `expected a finite number > 0, got ${v}`);
  return v;
};

/**
 * Train a two-hidden-layer ReLU network with a logistic output on binary
 * labels by Adam (Kingma & Ba 2015, arXiv:1412.6980) on minibatches of a
 * fresh shuffle each epoch, with Glorot-uniform initial weights and biases
 * (Glorot & Bengio 2010), and scikit-learn's stopping rule: stop when the
 * epoch's mean training loss has not improved by `tol` for more than
 * `patience` epochs in a row.
 *
 * Hand-written on Float64Arrays rather than TensorFlow.js: these networks are
 * tiny (d → 10d → 10d → 1, d <= 10), so tfjs's per-op dispatch dominates at
 * small d. test/bench/accuracy/c2stSpeed.ts measures both, per epoch of
 * 16,000 rows on the shared 2-core build machine: d = 2, 0.48 s here against
 * 1.0 s for tfjs on WebAssembly; d = 10, 0.46-1.2 s against 1.4-2.3 s at load
 * 4, and 3.7 s against 3.0 s at load 17. It also needs no backend and gives
 * the same accuracy for the same seed on every machine. The loops run row by
 * row over contiguous weight rows and skip inactive ReLU units, and nothing is
 * allocated per batch.
 *
 * @param x n × d inputs, row-major
 * @param labels n labels, 0 or 1
 */
export function trainMlpClassifier(x: Float64Array, labels: Uint8Array, dimension: number, options: MlpClassifierOptions, rng: UniformSource): MlpClassifier {
  const d = positiveInteger('dimension', dimension);
  const n = labels.length;
  if (n < 2) throw new ClassifierSettingsError('labels', `expected at least 2 training rows, got ${n}`);
  if (x.length !== n * d) throw new ClassifierSettingsError('x', `expected ${n} rows × ${d} = ${n * d} values, got ${x.length}`);
  const h1 = positiveInteger('hidden[0]', options.hidden[0]);
  const h2 = positiveInteger('hidden[1]', options.hidden[1]);
  const lr = positive('learningRate', options.learningRate ?? 1e-3);
  const batch = Math.min(n, positiveInteger('batchSize', options.batchSize ?? 200));
  const alpha = options.l2 ?? 1e-4;
  if (!(alpha >= 0)) throw new ClassifierSettingsError('l2', `expected a number >= 0, got ${alpha}`);
  const maxEpochs = positiveInteger('maxEpochs', options.maxEpochs ?? 200);
  const tol = options.tol ?? 1e-4;
  const patience = options.patience ?? 10;

  // Parameters in one buffer (W1 d×h1, b1, W2 h1×h2, b2, w3 h2, b3) so Adam runs one loop over them.
  const sizes = [d * h1, h1, h1 * h2, h2, h2, 1];
  const offsets = sizes.map((_, i) => sizes.slice(0, i).reduce((a, b) => a + b, 0));
  const total = sizes.reduce((a, b) => a + b, 0);
  const theta = new Float64Array(total);
  const grad = new Float64Array(total);
  const m = new Float64Array(total);
  const v = new Float64Array(total);
  const fans: Array<[number, number]> = [
    [d, h1],
    [d, h1],
    [h1, h2],
    [h1, h2],
    [h2, 1],
    [h2, 1],
  ];
  sizes.forEach((size, k) => {
    const bound = Math.sqrt(6 / (fans[k][0] + fans[k][1]));
    for (let i = 0; i < size; i++) theta[offsets[k] + i] = bound * (2 * rng.nextDouble() - 1);
  });
  const [oW1, oB1, oW2, oB2, oW3, oB3] = offsets;
  const isWeight = new Uint8Array(total);
  isWeight.fill(1, oW1, oW1 + d * h1);
  isWeight.fill(1, oW2, oW2 + h1 * h2);
  isWeight.fill(1, oW3, oW3 + h2);

  const z1 = new Float64Array(batch * h1);
  const z2 = new Float64Array(batch * h2);
  const delta1 = new Float64Array(batch * h1);
  const delta2 = new Float64Array(batch * h2);
  const out = new Float64Array(batch);
  const xb = new Float64Array(batch * d);
  const yb = new Float64Array(batch);
  const order = Uint32Array.from({ length: n }, (_, i) => i);

  const forward = (rows: number, input: Float64Array) => {
    for (let b = 0; b < rows; b++) {
      const r1 = b * h1;
      for (let j = 0; j < h1; j++) z1[r1 + j] = theta[oB1 + j];
      for (let k = 0; k < d; k++) {
        const a = input[b * d + k];
        if (a === 0) continue;
        const w = oW1 + k * h1;
        for (let j = 0; j < h1; j++) z1[r1 + j] += a * theta[w + j];
      }
      const r2 = b * h2;
      for (let j = 0; j < h2; j++) z2[r2 + j] = theta[oB2 + j];
      for (let i = 0; i < h1; i++) {
        const a = z1[r1 + i];
        if (a <= 0) continue;
        const w = oW2 + i * h2;
        for (let j = 0; j < h2; j++) z2[r2 + j] += a * theta[w + j];
      }
      let s = theta[oB3];
      for (let j = 0; j < h2; j++) {
        const a = z2[r2 + j];
        if (a > 0) s += a * theta[oW3 + j];
      }
      out[b] = s;
    }
  };

  const lossCurve: number[] = [];
  let best = Infinity;
  let stale = 0;
  let step = 0;
  const beta1 = 0.9;
  const beta2 = 0.999;
  for (let epoch = 0; epoch < maxEpochs; epoch++) {
    for (let i = n - 1; i > 0; i--) {
      const j = Math.floor(rng.nextDouble() * (i + 1));
      const t = order[i];
      order[i] = order[j];
      order[j] = t;
    }
    let epochLoss = 0;
    for (let start = 0; start < n; start += batch) {
      const rows = Math.min(batch, n - start);
      for (let b = 0; b < rows; b++) {
        const r = order[start + b];
        for (let k = 0; k < d; k++) xb[b * d + k] = x[r * d + k];
        yb[b] = labels[r];
      }
      forward(rows, xb);
      grad.fill(0);
      let loss = 0;
      for (let b = 0; b < rows; b++) {
        const s = out[b];
        // log(1 + e^{-|s|}) form: stable for large |s|.
        loss += Math.max(s, 0) - s * yb[b] + Math.log1p(Math.exp(-Math.abs(s)));
        const p = 1 / (1 + Math.exp(-s));
        const g = (p - yb[b]) / rows;
        grad[oB3] += g;
        const r2 = b * h2;
        for (let j = 0; j < h2; j++) {
          const a = z2[r2 + j];
          if (a > 0) {
            grad[oW3 + j] += a * g;
            delta2[r2 + j] = g * theta[oW3 + j];
          } else delta2[r2 + j] = 0;
        }
        const r1 = b * h1;
        for (let i = 0; i < h1; i++) {
          const a = z1[r1 + i];
          if (a <= 0) {
            delta1[r1 + i] = 0;
            continue;
          }
          const w = oW2 + i * h2;
          let back = 0;
          for (let j = 0; j < h2; j++) {
            const dj = delta2[r2 + j];
            grad[w + j] += a * dj;
            back += dj * theta[w + j];
          }
          delta1[r1 + i] = back;
        }
        for (let j = 0; j < h2; j++) grad[oB2 + j] += delta2[r2 + j];
        for (let k = 0; k < d; k++) {
          const a = xb[b * d + k];
          if (a === 0) continue;
          const w = oW1 + k * h1;
          for (let i = 0; i < h1; i++) grad[w + i] += a * delta1[r1 + i];
        }
        for (let i = 0; i < h1; i++) grad[oB1 + i] += delta1[r1 + i];
      }
      loss /= rows;
      let squares = 0;
      for (let i = 0; i < total; i++) {
        if (isWeight[i]) {
          squares += theta[i] * theta[i];
          grad[i] += (alpha * theta[i]) / rows;
        }
      }
      loss += (0.5 * alpha * squares) / rows;
      epochLoss += loss * rows;
      step++;
      const c1 = 1 - beta1 ** step;
      const c2 = 1 - beta2 ** step;
      const rate = (lr * Math.sqrt(c2)) / c1;
      for (let i = 0; i < total; i++) {
        const g = grad[i];
        m[i] = beta1 * m[i] + (1 - beta1) * g;
        v[i] = beta2 * v[i] + (1 - beta2) * g * g;
        theta[i] -= (rate * m[i]) / (Math.sqrt(v[i]) + 1e-8);
      }
    }
    epochLoss /= n;
    lossCurve.push(epochLoss);
    if (epochLoss > best - tol) stale++;
    else stale = 0;
    if (epochLoss < best) best = epochLoss;
    if (stale > patience) break;
  }

  return {
    dimension: d,
    epochs: lossCurve.length,
    lossCurve: Float64Array.from(lossCurve),
    predictProbabilities(input: Float64Array, target?: Float64Array): Float64Array {
      if (input.length % d !== 0) throw new ClassifierSettingsError('x', `expected rows of ${d} values, got ${input.length} values`);
      const rows = input.length / d;
      const result = target ?? new Float64Array(rows);
      for (let start = 0; start < rows; start += batch) {
        const count = Math.min(batch, rows - start);
        forward(count, input.subarray(start * d, (start + count) * d));
        for (let b = 0; b < count; b++) result[start + b] = 1 / (1 + Math.exp(-out[b]));
      }
      return result;
    },
  };
}
