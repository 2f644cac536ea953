import { tf } from '../backend.js';
import { Xoshiro128 } from '../../sample/random/Xoshiro128.js';
import { deriveStreamState } from '../../sample/random/seedDerivation.js';

/**
 * Custom TensorFlow.js layers the networks need. Every one is built from
 * ops that have gradients on every backend, WASM included (which lacks the
 * convolution filter gradient, Conv2DBackpropFilter).
 */

type LayerArgs = ConstructorParameters<typeof tf.layers.Layer>[0];
const first = (inputs: tf.Tensor | tf.Tensor[]): tf.Tensor => (Array.isArray(inputs) ? inputs[0] : inputs);
const shapeOf = (shape: tf.Shape | tf.Shape[]): tf.Shape => (Array.isArray(shape[0]) ? (shape[0] as tf.Shape) : (shape as tf.Shape));

/**
 * x[:, t..t+k−1, :] for every t, side by side: [batch, T, C] → [batch, T − k + 1, k·C],
 * column = tap · C + channel. The unfold (im2col) of a 1-D convolution.
 */
export function unfoldTime(x: tf.Tensor, taps: number): tf.Tensor {
  const length = x.shape[1]! - taps + 1;
  if (taps === 1) return x;
  const slices: tf.Tensor[] = [];
  for (let k = 0; k < taps; k++) slices.push(tf.slice(x, [0, k, 0], [-1, length, -1]));
  return tf.concat(slices, 2);
}

/**
 * a · b with a gradient that multiplies explicitly transposed operands:
 * the WASM backend runs matMul with a transpose flag on a slow generic path
 * (several times slower than XNNPACK's), and the default gradient of
 * matMul uses those flags (dA = dy · bᵀ, dB = aᵀ · dy).
 */
export const matMulExplicitGrad = tf.customGrad(((a: tf.Tensor, b: tf.Tensor, save: tf.GradSaveFunc) => {
  save([a, b]);
  return {
    value: tf.matMul(a as tf.Tensor2D, b as tf.Tensor2D),
    gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => [
      tf.matMul(dy as tf.Tensor2D, tf.transpose(saved[1]) as tf.Tensor2D),
      tf.matMul(tf.transpose(saved[0]) as tf.Tensor2D, dy as tf.Tensor2D),
    ],
  };
}) as unknown as Parameters<typeof tf.customGrad>[0]) as unknown as (a: tf.Tensor, b: tf.Tensor) => tf.Tensor;

/**
 * Conv1D ('same' zero padding, stride 1) as unfold + matMul: pad the time
 * axis as TensorFlow does (floor((k−1)/2) before), concatenate the k shifted
 * slices and multiply by the [k·C, filters] kernel. Same numbers as
 * tf.conv1d, and it trains on the WASM backend without convolution gradient
 * kernels: buildModel uses it when the replacement kernels of
 * engine/learn/wasmKernels are not in place (another tfjs version), and
 * tf.layers.conv1d otherwise (same weights, same layout, about 3x faster).
 */
export class UnfoldConv1D extends tf.layers.Layer {
  static className = 'UnfoldConv1D';
  readonly filters: number;
  readonly kernelSize: number;
  readonly seed: number;
  private kernel!: tf.LayerVariable;
  private bias!: tf.LayerVariable;

  constructor(config: LayerArgs & { filters: number; kernelSize: number; seed: number }) {
    super(config);
    this.filters = config.filters;
    this.kernelSize = config.kernelSize;
    this.seed = config.seed;
  }

  override build(inputShape: tf.Shape | tf.Shape[]): void {
    const channels = shapeOf(inputShape)[2]!;
    this.kernel = this.addWeight('kernel', [this.kernelSize * channels, this.filters], 'float32', tf.initializers.glorotUniform({ seed: this.seed }));
    this.bias = this.addWeight('bias', [this.filters], 'float32', tf.initializers.zeros());
    this.built = true;
  }

  override computeOutputShape(inputShape: tf.Shape | tf.Shape[]): tf.Shape {
    const s = shapeOf(inputShape);
    return [s[0], s[1], this.filters];
  }

  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    return tf.tidy(() => {
      const x = first(inputs);
      const [, length, channels] = x.shape as number[];
      const before = (this.kernelSize - 1) >> 1;
      const padded = tf.pad(x, [
        [0, 0],
        [before, this.kernelSize - 1 - before],
        [0, 0],
      ]);
      const columns = tf.reshape(unfoldTime(padded, this.kernelSize), [-1, this.kernelSize * channels]);
      const y = tf.add(matMulExplicitGrad(columns, this.kernel.read()), this.bias.read());
      return tf.reshape(y, [-1, length, this.filters]);
    });
  }

  override getConfig(): tf.serialization.ConfigDict {
    return { ...super.getConfig(), filters: this.filters, kernelSize: this.kernelSize, seed: this.seed };
  }
}

/** PEN windows: [batch, T, C] → [batch, T − d, (d+1)·C], row i = x[i..i+d] flattened time-major. */
export class TimeWindows extends tf.layers.Layer {
  static className = 'TimeWindows';
  readonly order: number;

  constructor(config: LayerArgs & { order: number }) {
    super(config);
    this.order = config.order;
  }

  override computeOutputShape(inputShape: tf.Shape | tf.Shape[]): tf.Shape {
    const s = shapeOf(inputShape);
    return [s[0], s[1]! - this.order, (this.order + 1) * s[2]!];
  }

  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    return tf.tidy(() => unfoldTime(first(inputs), this.order + 1));
  }

  override getConfig(): tf.serialization.ConfigDict {
    return { ...super.getConfig(), order: this.order };
  }
}

/** Σ over the time axis: [batch, W, h] → [batch, h] (the exchangeable sum of PEN). */
export class SumOverTime extends tf.layers.Layer {
  static className = 'SumOverTime';

  override computeOutputShape(inputShape: tf.Shape | tf.Shape[]): tf.Shape {
    const s = shapeOf(inputShape);
    return [s[0], s[2]];
  }

  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    return tf.tidy(() => tf.sum(first(inputs), 1));
  }
}

/** The first d time points flattened: [batch, T, C] → [batch, d·C] (PEN's non-exchangeable head). */
export class LeadingPoints extends tf.layers.Layer {
  static className = 'LeadingPoints';
  readonly count: number;

  constructor(config: LayerArgs & { count: number }) {
    super(config);
    this.count = config.count;
  }

  override computeOutputShape(inputShape: tf.Shape | tf.Shape[]): tf.Shape {
    const s = shapeOf(inputShape);
    return [s[0], this.count * s[2]!];
  }

  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    return tf.tidy(() => {
      const x = first(inputs);
      return tf.reshape(tf.slice(x, [0, 0, 0], [-1, this.count, -1]), [-1, this.count * x.shape[2]!]);
    });
  }

  override getConfig(): tf.serialization.ConfigDict {
    return { ...super.getConfig(), count: this.count };
  }
}

/**
 * Inverted dropout (Srivastava et al. 2014, JMLR 15:1929) with a fresh mask
 * at every training call drawn from the stream (seed, call): reproducible
 * for a seed, unlike tf.layers.dropout, which with a seed draws the same
 * mask at every step and without one uses Math.random. The identity outside
 * training, so it has no place in the exported network.
 */
export class SeededDropout extends tf.layers.Layer {
  static className = 'SeededDropout';
  readonly rate: number;
  readonly seed: number;
  private calls = 0;

  constructor(config: LayerArgs & { rate: number; seed: number }) {
    super(config);
    this.rate = config.rate;
    this.seed = config.seed;
  }

  override call(inputs: tf.Tensor | tf.Tensor[], kwargs: { training?: boolean }): tf.Tensor {
    const x = first(inputs);
    if (!kwargs.training || this.rate <= 0) return tf.clone(x);
    const rng = new Xoshiro128(deriveStreamState(this.seed, this.calls++));
    const keep = 1 - this.rate;
    const mask = new Float32Array(x.size);
    for (let i = 0; i < mask.length; i++) mask[i] = rng.nextDouble() < keep ? 1 / keep : 0;
    return tf.tidy(() => tf.mul(x, tf.tensor(mask, x.shape)));
  }

  override getConfig(): tf.serialization.ConfigDict {
    return { ...super.getConfig(), rate: this.rate, seed: this.seed };
  }
}

for (const layer of [UnfoldConv1D, TimeWindows, SumOverTime, LeadingPoints, SeededDropout]) tf.serialization.registerClass(layer);
