/**
 * The architecture of a neural-network summary statistic as plain data: a
 * sequential stack of layers (CNN, DNN) or a partially exchangeable network
 * (PEN). Training (engine/learn, TensorFlow.js) and inference (the pure
 * TypeScript forward pass here, which runs in any worker) both read it, and
 * the weights are stored flat in the order `weightShapes` lists them.
 *
 * Activations are [rows, columns] matrices: a series is [time, channels]
 * (channels last, as in TensorFlow's NWC), a vector is [1, units].
 */

export type LayerSpec =
  /** 'same' zero padding, stride 1; kernel stored as [kernelSize · channelsIn, filters] (row = tap · channelsIn + channel), then bias [filters]. */
  | { readonly type: 'conv1d'; readonly filters: number; readonly kernelSize: number }
  | { readonly type: 'relu' }
  /** Non-overlapping windows (stride = poolSize, 'valid': a ragged tail is dropped). */
  | { readonly type: 'maxPool1d'; readonly poolSize: number }
  | { readonly type: 'globalAveragePool1d' }
  | { readonly type: 'flatten' }
  /** Kernel [in, units] then bias [units]; acts on every row. */
  | { readonly type: 'dense'; readonly units: number }
  /** Inference mode: (x − movingMean) / sqrt(movingVariance + epsilon) · gamma + beta, per column; stored gamma, beta, movingMean, movingVariance. */
  | { readonly type: 'batchNorm'; readonly epsilon: number };

export type LayerType = LayerSpec['type'];
export const LAYER_TYPES: readonly LayerType[] = ['conv1d', 'relu', 'maxPool1d', 'globalAveragePool1d', 'flatten', 'dense', 'batchNorm'];

/**
 * `sequential`: layers applied in order to the [time, species] input.
 * `pen`: PEN-d of Wiqvist et al. 2019 (ICML, "Partially exchangeable
 * networks and architectures for learning summary statistics in ABC",
 * arXiv:1901.10230): the inner network φ maps each window x[i..i+d]
 * (flattened, (d+1)·species values) to a vector, the vectors are summed over
 * windows, and the outer network ρ maps [x[0..d−1] flattened, Σφ] to the output.
 * φ and ρ hold dense, relu and batchNorm layers only.
 */
export type NetworkGraph =
  | { readonly type: 'sequential'; readonly layers: readonly LayerSpec[] }
  | { readonly type: 'pen'; readonly order: number; readonly inner: readonly LayerSpec[]; readonly outer: readonly LayerSpec[] };

export interface Shape {
  readonly rows: number;
  readonly cols: number;
}

/** One layer with the shape it reads and writes and its weight tensors' sizes. */
export interface PlannedLayer {
  readonly layer: LayerSpec;
  readonly input: Shape;
  readonly output: Shape;
  /** Sizes of its weight tensors, in storage order. */
  readonly weights: readonly number[];
}

export interface NetworkPlan {
  /** Sequential: every layer. PEN: φ's layers. */
  readonly layers: readonly PlannedLayer[];
  /** PEN only: ρ's layers. */
  readonly outer: readonly PlannedLayer[];
  readonly output: number;
  /** Total float count of the weights. */
  readonly weightCount: number;
}

/** A problem with a topology; `path` is relative to the network (e.g. `layers[3]`). */
export interface TopologyIssue {
  readonly path: string;
  readonly message: string;
}

function planLayers(
  layers: readonly LayerSpec[],
  input: Shape,
  path: string,
  issues: TopologyIssue[],
  vectorOnly: boolean,
): { planned: PlannedLayer[]; output: Shape } {
  const planned: PlannedLayer[] = [];
  let shape = input;
  layers.forEach((layer, i) => {
    const at = `${path}[${i}]`;
    let out: Shape = shape;
    let weights: number[] = [];
    if (vectorOnly && layer.type !== 'dense' && layer.type !== 'relu' && layer.type !== 'batchNorm') {
      issues.push({ path: `${at}.type`, message: `a PEN sub-network holds dense, relu and batchNorm layers only, got "${layer.type}"` });
      return;
    }
    switch (layer.type) {
      case 'conv1d':
        weights = [layer.kernelSize * shape.cols * layer.filters, layer.filters];
        out = { rows: shape.rows, cols: layer.filters };
        break;
      case 'maxPool1d':
        out = { rows: Math.floor(shape.rows / layer.poolSize), cols: shape.cols };
        if (out.rows < 1)
          issues.push({
            path: at,
            message: `pooling ${shape.rows} time points by ${layer.poolSize} leaves none; use fewer pooling layers or a smaller poolSize`,
          });
        break;
      case 'globalAveragePool1d':
        out = { rows: 1, cols: shape.cols };
        break;
      case 'flatten':
        out = { rows: 1, cols: shape.rows * shape.cols };
        break;
      case 'dense':
        weights = [shape.cols * layer.units, layer.units];
        out = { rows: shape.rows, cols: layer.units };
        break;
      case 'batchNorm':
        weights = [shape.cols, shape.cols, shape.cols, shape.cols];
        break;
      case 'relu':
        break;
    }
    planned.push({ layer, input: shape, output: out, weights });
    shape = out;
  });
  return { planned, output: shape };
}

/**
 * Shapes and weight sizes of every layer for an input of `timePoints` ×
 * `channels`, with the output width checked against `outputs`. Returns the
 * problems instead of a plan when the topology cannot run.
 */
export function planNetwork(graph: NetworkGraph, timePoints: number, channels: number, outputs: number): NetworkPlan | { issues: TopologyIssue[] } {
  const issues: TopologyIssue[] = [];
  let layers: PlannedLayer[];
  let outer: PlannedLayer[] = [];
  let output: Shape;
  if (graph.type === 'sequential') {
    ({ planned: layers, output } = planLayers(graph.layers, { rows: timePoints, cols: channels }, 'layers', issues, false));
    if (output.rows !== 1 && issues.length === 0)
      issues.push({ path: 'layers', message: `the network ends with ${output.rows} rows; end the series part with globalAveragePool1d or flatten` });
  } else {
    const windows = timePoints - graph.order;
    if (windows < 1) issues.push({ path: 'order', message: `a PEN of order ${graph.order} needs more than ${graph.order} time points, got ${timePoints}` });
    const inner = planLayers(graph.inner, { rows: Math.max(windows, 1), cols: (graph.order + 1) * channels }, 'inner', issues, true);
    layers = inner.planned;
    const rho = planLayers(graph.outer, { rows: 1, cols: graph.order * channels + inner.output.cols }, 'outer', issues, true);
    outer = rho.planned;
    output = rho.output;
  }
  if (issues.length === 0 && output.cols !== outputs)
    issues.push({
      path: graph.type === 'pen' ? 'outer' : 'layers',
      message: `the network outputs ${output.cols} values; expected ${outputs} (one per parameter): end with a dense layer of ${outputs} units`,
    });
  if (issues.length > 0) return { issues };
  const weightCount = [...layers, ...outer].reduce((n, l) => n + l.weights.reduce((a, b) => a + b, 0), 0);
  return { layers, outer, output: output.cols, weightCount };
}
