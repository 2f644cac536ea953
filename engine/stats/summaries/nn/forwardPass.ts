import * as k from './kernels.js';
import type { NetworkGraph, NetworkPlan, PlannedLayer } from './topology.js';

/**
 * A network ready to evaluate: each layer bound to its weight views and its
 * output buffer, built once from the plan and the flat Float32 weights.
 */
interface BoundLayer {
  readonly planned: PlannedLayer;
  readonly weights: readonly Float32Array[];
  readonly out: Float64Array;
}

function bind(layers: readonly PlannedLayer[], weights: Float32Array, offset: { at: number }): BoundLayer[] {
  return layers.map((planned) => {
    const views = planned.weights.map((size) => {
      const view = weights.subarray(offset.at, offset.at + size);
      offset.at += size;
      return view;
    });
    return { planned, weights: views, out: new Float64Array(planned.output.rows * planned.output.cols) };
  });
}

function run(layers: readonly BoundLayer[], input: Float64Array): Float64Array {
  let x = input;
  for (const { planned, weights: w, out } of layers) {
    const { rows, cols } = planned.input;
    const layer = planned.layer;
    switch (layer.type) {
      case 'conv1d':
        k.conv1d(x, rows, cols, w[0], w[1], layer.kernelSize, layer.filters, out);
        break;
      case 'dense':
        k.dense(x, rows, cols, w[0], w[1], layer.units, out);
        break;
      case 'relu':
        k.relu(x, rows * cols, out);
        break;
      case 'maxPool1d':
        k.maxPool1d(x, rows, cols, layer.poolSize, out);
        break;
      case 'globalAveragePool1d':
        k.globalAveragePool1d(x, rows, cols, out);
        break;
      case 'flatten':
        out.set(x.subarray(0, rows * cols));
        break;
      case 'batchNorm':
        k.batchNorm(x, rows, cols, w[0], w[1], w[2], w[3], layer.epsilon, out);
        break;
    }
    x = out;
  }
  return x;
}

/**
 * Forward pass of a sequential network or a PEN in pure TypeScript (no
 * TensorFlow.js), so that workers and remote nodes evaluate a learned summary
 * statistic with nothing but the engine bundle.
 */
export class ForwardPass {
  private readonly layers: BoundLayer[];
  private readonly outer: BoundLayer[];
  private readonly windows: Float64Array | null;
  private readonly head: Float64Array | null;
  readonly outputs: number;

  constructor(
    private readonly graph: NetworkGraph,
    private readonly plan: NetworkPlan,
    weights: Float32Array,
    private readonly timePoints: number,
    private readonly channels: number,
  ) {
    const offset = { at: 0 };
    this.layers = bind(plan.layers, weights, offset);
    this.outer = bind(plan.outer, weights, offset);
    this.outputs = plan.output;
    if (graph.type === 'pen') {
      const width = (graph.order + 1) * channels;
      this.windows = new Float64Array((timePoints - graph.order) * width);
      this.head = new Float64Array(graph.order * channels + (plan.layers.at(-1)?.output.cols ?? width));
    } else {
      this.windows = null;
      this.head = null;
    }
  }

  /** `input` is [timePoints, channels] row-major (time-major, channels last); returns a view of the output valid until the next call. */
  evaluate(input: Float64Array): Float64Array {
    if (this.graph.type === 'sequential') return run(this.layers, input);
    const d = this.graph.order;
    const c = this.channels;
    const width = (d + 1) * c;
    const windows = this.windows!;
    const count = this.timePoints - d;
    // Window i is x[i..i+d] flattened time-major: rows of the unfolded series.
    for (let i = 0; i < count; i++) windows.set(input.subarray(i * c, i * c + width), i * width);
    const phi = run(this.layers, windows);
    const inner = this.plan.layers.at(-1)?.output.cols ?? width;
    const head = this.head!;
    head.set(input.subarray(0, d * c));
    for (let j = 0; j < inner; j++) {
      let sum = 0;
      for (let i = 0; i < count; i++) sum += phi[i * inner + j];
      head[d * c + j] = sum;
    }
    return run(this.outer, head);
  }
}
