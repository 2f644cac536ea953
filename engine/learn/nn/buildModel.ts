import { convolutionGradients, tf } from '../backend.js';
import type { LayerSpec, NetworkGraph } from '../../stats/index.js';
import { LeadingPoints, SeededDropout, SumOverTime, TimeWindows, UnfoldConv1D } from './layers.js';

/**
 * A TensorFlow.js model built from a NetworkGraph, with the tf layer behind
 * each graph layer (sequential layers, or PEN's inner then outer layers), in
 * the order the exported weights are stored.
 */
export interface BuiltModel {
  readonly model: tf.LayersModel;
  readonly layers: readonly tf.layers.Layer[];
}

/**
 * How Conv1D layers are computed: `layers` is tf.layers.conv1d (fast where
 * the backend has convolution gradients), `unfold` is UnfoldConv1D (unfold +
 * matMul, trains on any backend), `auto` picks `layers` when
 * convolutionGradients() says so. Both hold the same weights in the same
 * order and compute the same function, so the exported spec is identical.
 */
export type ConvolutionPath = 'auto' | 'layers' | 'unfold';

export interface BuildModelOptions {
  readonly convolution?: ConvolutionPath;
  /**
   * Dropout rate after each hidden dense block (dense, batch norm, ReLU),
   * active in training only (Srivastava et al. 2014, JMLR 15:1929): it has no
   * weights, so the exported graph and spec do not change. Default 0.
   */
  readonly dropout?: number;
  /** L2 penalty on dense and tf.layers convolution kernels (not UnfoldConv1D's), added to the training loss: the reported training loss includes it, the validation loss does not. Default 0. */
  readonly weightDecay?: number;
}

interface Regularisation {
  readonly dropout: number;
  readonly weightDecay: number;
}

/** Moving averages of batch norm: 0.9 rather than Keras' 0.99, so the inference statistics catch up within the few hundred steps of a short training. */
const BATCH_NORM_MOMENTUM = 0.9;

/**
 * Give a tf.layers.conv1d UnfoldConv1D's initial weights: Glorot uniform over
 * the [kernelSize·channels, filters] matrix (Keras' convolution would count
 * the taps in the fan-out too) and zero bias, so a seed gives the same
 * network on either path.
 */
function initialiseAsUnfold(layer: tf.layers.Layer, seed: number): void {
  const [kernel, bias] = layer.getWeights();
  const [taps, channels, filters] = kernel.shape;
  const matrix = tf.initializers.glorotUniform({ seed }).apply([taps * channels, filters]);
  const values = [tf.reshape(matrix, kernel.shape), tf.zerosLike(bias)];
  layer.setWeights(values);
  tf.dispose([matrix, ...values]);
}

function tfLayer(spec: LayerSpec, seed: number, convolution: 'layers' | 'unfold', weightDecay: number): tf.layers.Layer {
  const kernelRegularizer = weightDecay > 0 ? tf.regularizers.l2({ l2: weightDecay }) : undefined;
  switch (spec.type) {
    case 'conv1d':
      if (convolution === 'unfold') return new UnfoldConv1D({ filters: spec.filters, kernelSize: spec.kernelSize, seed });
      return tf.layers.conv1d({ filters: spec.filters, kernelSize: spec.kernelSize, padding: 'same', kernelRegularizer });
    case 'dense':
      return tf.layers.dense({ units: spec.units, kernelInitializer: tf.initializers.glorotUniform({ seed }), kernelRegularizer });
    case 'relu':
      return tf.layers.reLU();
    case 'maxPool1d':
      return tf.layers.maxPooling1d({ poolSize: spec.poolSize, strides: spec.poolSize, padding: 'valid' });
    case 'globalAveragePool1d':
      return tf.layers.globalAveragePooling1d();
    case 'flatten':
      return tf.layers.flatten();
    case 'batchNorm':
      return tf.layers.batchNormalization({ axis: -1, epsilon: spec.epsilon, momentum: BATCH_NORM_MOMENTUM });
  }
}

function stack(
  specs: readonly LayerSpec[],
  input: tf.SymbolicTensor,
  seed: { next: number },
  convolution: 'layers' | 'unfold',
  regularisation: Regularisation,
  out: tf.layers.Layer[],
): tf.SymbolicTensor {
  let x = input;
  specs.forEach((spec, i) => {
    const layerSeed = seed.next++;
    const layer = tfLayer(spec, layerSeed, convolution, regularisation.weightDecay);
    out.push(layer);
    x = layer.apply(x) as tf.SymbolicTensor;
    if (spec.type === 'conv1d' && convolution === 'layers') initialiseAsUnfold(layer, layerSeed);
    // The end of a hidden dense block: dense, batch norm, ReLU. Dropout is not one of the graph's layers (no weights to export).
    if (regularisation.dropout > 0 && spec.type === 'relu' && specs[i - 1]?.type === 'batchNorm' && specs[i - 2]?.type === 'dense') {
      x = new SeededDropout({ rate: regularisation.dropout, seed: layerSeed }).apply(x) as tf.SymbolicTensor;
    }
  });
  return x;
}

/** Build the model for an input of [timePoints, channels]; initial weights are a function of `seed` only (each layer gets seed + its index). */
export function buildModel(graph: NetworkGraph, timePoints: number, channels: number, seed: number, options: BuildModelOptions = {}): BuiltModel {
  const requested = options.convolution ?? 'auto';
  const convolution = requested === 'auto' ? (convolutionGradients() ? 'layers' : 'unfold') : requested;
  const regularisation = { dropout: options.dropout ?? 0, weightDecay: options.weightDecay ?? 0 };
  const input = tf.input({ shape: [timePoints, channels] });
  const layers: tf.layers.Layer[] = [];
  const seeds = { next: seed };
  let output: tf.SymbolicTensor;
  if (graph.type === 'sequential') {
    output = stack(graph.layers, input, seeds, convolution, regularisation, layers);
  } else {
    const windows = new TimeWindows({ order: graph.order }).apply(input) as tf.SymbolicTensor;
    const phi = stack(graph.inner, windows, seeds, convolution, regularisation, layers);
    const summed = new SumOverTime({}).apply(phi) as tf.SymbolicTensor;
    const head = new LeadingPoints({ count: graph.order }).apply(input) as tf.SymbolicTensor;
    const joined = tf.layers.concatenate({ axis: -1 }).apply([head, summed]) as tf.SymbolicTensor;
    output = stack(graph.outer, joined, seeds, convolution, regularisation, layers);
  }
  return { model: tf.model({ inputs: input, outputs: output }), layers };
}

/** Every weight of the graph's layers, flat in storage order (kernel then bias; gamma, beta, moving mean, moving variance). */
export function exportWeights(built: BuiltModel): Float32Array {
  const parts = built.layers.flatMap((layer) => layer.getWeights().map((w) => w.dataSync() as Float32Array));
  const out = new Float32Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}
