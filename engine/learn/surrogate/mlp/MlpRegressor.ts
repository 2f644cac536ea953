import { Xoshiro128 } from '../../../sample/random/index.js';
import type { Rows } from '../GaussianProcess.js';
import { assertFinite, fitInputScaling, fitOutputScaling, toRowMajor } from '../scaling.js';
import { SurrogateError } from '../SurrogateError.js';
import { parseOptions } from '../validation.js';
import { Adam } from './adam.js';
import { mlpJsonSchema, mlpOptionsSchema, type MlpJson, type MlpOptions } from './mlpOptions.js';
import { allocateActivations, backward, forward, initialiseParameters, networkLayout, type Activation, type NetworkLayout } from './network.js';

/**
 * A multilayer-perceptron regressor in plain TypeScript (typed arrays, no
 * TensorFlow): standardised inputs and outputs, dense tanh/ReLU layers, a
 * linear output layer, squared-error loss, Adam on shuffled mini-batches and
 * early stopping on a held-out split (Prechelt 1998, "Early stopping — but
 * when?", doi:10.1007/3-540-49430-8_3): the parameters of the best validation
 * epoch are kept.
 *
 * Determinism: initial weights come from stream (seed, 0), the validation
 * split from (seed, 1), the batch order from (seed, 2).
 */
export class MlpRegressor {
  readonly kind = 'mlpRegressor';
  readonly layout: NetworkLayout;
  readonly activation: Activation;
  /** Epochs trained (including those after the best one). */
  readonly epochs: number;
  /** Best validation loss (½ mean squared error, standardised outputs), null without a validation split. */
  readonly validationLoss: number | null;
  private readonly parameters: Float64Array;
  private readonly inputOffset: Float64Array;
  private readonly inputScale: Float64Array;
  private readonly outputMean: Float64Array;
  private readonly outputSd: Float64Array;

  private constructor(json: MlpJson) {
    this.layout = networkLayout(json.sizes);
    this.activation = json.activation;
    this.epochs = json.epochs;
    this.validationLoss = json.validationLoss;
    this.parameters = Float64Array.from(json.parameters);
    this.inputOffset = Float64Array.from(json.inputScaling.offset);
    this.inputScale = Float64Array.from(json.inputScaling.scale);
    this.outputMean = Float64Array.from(json.outputScaling.mean);
    this.outputSd = Float64Array.from(json.outputScaling.sd);
  }

  get dimension(): number {
    return this.layout.sizes[0];
  }

  get outputCount(): number {
    return this.layout.sizes[this.layout.sizes.length - 1];
  }

  /** Fits x (n rows of d inputs) → y (n values, or n rows of p outputs). */
  static fit(x: Rows, y: Rows | ArrayLike<number>, options: MlpOptions = {}): MlpRegressor {
    const o = parseOptions(mlpOptionsSchema, options, 'mlp', 'MLP options');
    const xs = toRowMajor('MlpRegressor.fit', 'x', x, o.dimension);
    const yRows = isRows(y)
      ? toRowMajor('MlpRegressor.fit', 'y', y as Rows, o.outputCount ?? (y instanceof Float64Array ? 1 : undefined))
      : { data: Float64Array.from(y as ArrayLike<number>), n: y.length, d: 1 };
    assertFinite('MlpRegressor.fit', 'y', yRows.data);
    const { n, d } = xs;
    const p = yRows.d;
    if (yRows.n !== n) throw new SurrogateError('MlpRegressor.fit', 'y', `expected ${n} rows (one per row of x), got ${yRows.n}`);
    const validationCount = Math.floor(o.validationFraction * n);
    if (n - validationCount < 1) throw new SurrogateError('MlpRegressor.fit', 'x', `expected at least one training row after holding out ${validationCount}`);

    const inScale = fitInputScaling('standardise', xs.data, n, d);
    const outScales = Array.from({ length: p }, (_, j) => fitOutputScaling(yRows.data, p, j));
    const xn = new Float64Array(n * d);
    const yn = new Float64Array(n * p);
    for (let i = 0; i < n; i++) {
      for (let k = 0; k < d; k++) xn[i * d + k] = (xs.data[i * d + k] - inScale.offset[k]) / inScale.scale[k];
      for (let j = 0; j < p; j++) yn[i * p + j] = (yRows.data[i * p + j] - outScales[j].mean) / outScales[j].sd;
    }

    const layout = networkLayout([d, ...o.hiddenLayers, p]);
    const params = initialiseParameters(layout, o.activation, Xoshiro128.fromSeed(o.seed, 0));
    const order = shuffled(n, Xoshiro128.fromSeed(o.seed, 1));
    const validation = order.subarray(0, validationCount);
    const training = order.slice(validationCount);
    const batchRng = Xoshiro128.fromSeed(o.seed, 2);
    const batchSize = Math.min(o.batchSize, training.length);
    const acts = allocateActivations(layout, batchSize);
    const deltas = allocateActivations(layout, batchSize);
    const target = new Float64Array(batchSize * p);
    const gradient = new Float64Array(layout.parameterCount);
    const adam = new Adam(layout.parameterCount, o.learningRate);
    const valActs = allocateActivations(layout, Math.max(validationCount, 1));

    let best = Float64Array.from(params);
    let bestLoss = Infinity;
    let sinceBest = 0;
    let epoch = 0;
    while (epoch < o.maxEpochs) {
      epoch++;
      shuffleInPlace(training, batchRng);
      for (let start = 0; start < training.length; start += batchSize) {
        const b = Math.min(batchSize, training.length - start);
        for (let r = 0; r < b; r++) {
          const row = training[start + r];
          acts[0].set(xn.subarray(row * d, row * d + d), r * d);
          target.set(yn.subarray(row * p, row * p + p), r * p);
        }
        forward(layout, o.activation, params, acts, b);
        backward(layout, o.activation, params, acts, deltas, target, b, gradient);
        if (o.weightDecay > 0) addWeightDecay(layout, params, gradient, o.weightDecay);
        adam.step(params, gradient);
      }
      if (validationCount === 0) continue;
      const loss = validationLoss(layout, o.activation, params, valActs, validation, xn, yn, d, p);
      if (loss < bestLoss) {
        bestLoss = loss;
        best = Float64Array.from(params);
        sinceBest = 0;
      } else if (++sinceBest >= o.patience) break;
    }
    return new MlpRegressor({
      kind: 'mlpRegressor',
      version: 1,
      sizes: [...layout.sizes],
      activation: o.activation,
      inputScaling: { offset: [...inScale.offset], scale: [...inScale.scale] },
      outputScaling: { mean: outScales.map((s) => s.mean), sd: outScales.map((s) => s.sd) },
      parameters: Array.from(validationCount === 0 ? params : best),
      epochs: epoch,
      validationLoss: validationCount === 0 ? null : bestLoss,
    });
  }

  /** Predictions as an m × p row-major matrix (p = outputCount) in output units. */
  predict(x: Rows): Float64Array {
    const d = this.dimension;
    const p = this.outputCount;
    const rows = toRowMajor('MlpRegressor.predict', 'x', x, d);
    if (rows.d !== d) throw new SurrogateError('MlpRegressor.predict', 'x', `expected rows of ${d} values, got ${rows.d}`);
    const block = 256;
    const acts = allocateActivations(this.layout, Math.min(block, Math.max(rows.n, 1)));
    const out = new Float64Array(rows.n * p);
    for (let start = 0; start < rows.n; start += block) {
      const b = Math.min(block, rows.n - start);
      for (let i = 0; i < b; i++) for (let k = 0; k < d; k++) acts[0][i * d + k] = (rows.data[(start + i) * d + k] - this.inputOffset[k]) / this.inputScale[k];
      forward(this.layout, this.activation, this.parameters, acts, b);
      const last = acts[acts.length - 1];
      for (let i = 0; i < b; i++) for (let j = 0; j < p; j++) out[(start + i) * p + j] = this.outputMean[j] + this.outputSd[j] * last[i * p + j];
    }
    return out;
  }

  toJSON(): MlpJson {
    return {
      kind: 'mlpRegressor',
      version: 1,
      sizes: [...this.layout.sizes],
      activation: this.activation,
      inputScaling: { offset: Array.from(this.inputOffset), scale: Array.from(this.inputScale) },
      outputScaling: { mean: Array.from(this.outputMean), sd: Array.from(this.outputSd) },
      parameters: Array.from(this.parameters),
      epochs: this.epochs,
      validationLoss: this.validationLoss,
    };
  }

  static fromJSON(json: unknown): MlpRegressor {
    const j = parseOptions(mlpJsonSchema, json, 'mlpRegressor', 'stored MLP');
    const layout = networkLayout(j.sizes);
    const d = j.sizes[0];
    const p = j.sizes[j.sizes.length - 1];
    const check = (field: string, length: number, expected: number) => {
      if (length !== expected) throw new SurrogateError('MlpRegressor.fromJSON', field, `expected ${expected} values, got ${length}`);
    };
    check('parameters', j.parameters.length, layout.parameterCount);
    check('inputScaling.offset', j.inputScaling.offset.length, d);
    check('inputScaling.scale', j.inputScaling.scale.length, d);
    check('outputScaling.mean', j.outputScaling.mean.length, p);
    check('outputScaling.sd', j.outputScaling.sd.length, p);
    return new MlpRegressor(j);
  }
}

function isRows(y: Rows | ArrayLike<number>): boolean {
  return y instanceof Float64Array || (Array.isArray(y) && y.length > 0 && typeof y[0] !== 'number');
}

function validationLoss(
  layout: NetworkLayout,
  activation: Activation,
  params: Float64Array,
  acts: Float64Array[],
  rows: Uint32Array,
  xn: Float64Array,
  yn: Float64Array,
  d: number,
  p: number,
): number {
  for (let r = 0; r < rows.length; r++) acts[0].set(xn.subarray(rows[r] * d, rows[r] * d + d), r * d);
  forward(layout, activation, params, acts, rows.length);
  const out = acts[acts.length - 1];
  let loss = 0;
  for (let r = 0; r < rows.length; r++) {
    for (let j = 0; j < p; j++) loss += (out[r * p + j] - yn[rows[r] * p + j]) ** 2;
  }
  return (0.5 * loss) / rows.length;
}

function addWeightDecay(layout: NetworkLayout, params: Float64Array, gradient: Float64Array, lambda: number): void {
  for (let l = 0; l + 1 < layout.sizes.length; l++) {
    const o = layout.weightOffsets[l];
    const count = layout.sizes[l] * layout.sizes[l + 1];
    for (let i = o; i < o + count; i++) gradient[i] += lambda * params[i];
  }
}

/** 0..n−1 in a seeded random order (Fisher–Yates). */
function shuffled(n: number, rng: Xoshiro128): Uint32Array {
  const a = new Uint32Array(n);
  for (let i = 0; i < n; i++) a[i] = i;
  return shuffleInPlace(a, rng);
}

function shuffleInPlace(a: Uint32Array, rng: Xoshiro128): Uint32Array {
  for (let i = a.length - 1; i > 0; i--) {
    const j = Math.floor(rng.nextDouble() * (i + 1));
    const t = a[i];
    a[i] = a[j];
    a[j] = t;
  }
  return a;
}
