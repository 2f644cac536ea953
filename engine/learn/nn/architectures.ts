import type { LayerSpec, NetworkGraph } from '../../stats/index.js';

/**
 * The three network families, as NetworkGraphs. Defaults follow the papers:
 * the CNN of Åkesson et al. 2021 ("Convolutional neural networks as summary
 * statistics for approximate Bayesian computation", IEEE/ACM TCBB,
 * doi:10.1109/TCBB.2021.3108695); the PEN of Wiqvist et al. 2019 (ICML,
 * arXiv:1901.10230); a fully connected DNN on the flattened series as the
 * baseline both compare with.
 */

export interface CnnOptions {
  /** Filters of each block of two Conv1D + ReLU; max pooling between blocks. Default [32, 48, 64, 96]. */
  readonly filters?: readonly number[];
  readonly kernelSize?: number;
  readonly poolSize?: number;
  /** Dense layers after global average pooling, each with batch norm and ReLU. Default [100, 100, 100]. */
  readonly dense?: readonly number[];
}

export interface DnnOptions {
  /** Hidden layers on the flattened series, each with batch norm and ReLU. Default [100, 100, 100]. */
  readonly hidden?: readonly number[];
}

export interface PenOptions {
  /** Markov order d: φ sees windows of d + 1 consecutive points. Default 2. */
  readonly order?: number;
  /** φ's layers (ReLU after each). Default [100, 50, 10]. */
  readonly inner?: readonly number[];
  /** ρ's hidden layers (ReLU after each) before the linear output. Default [50, 50, 20]. */
  readonly outer?: readonly number[];
}

export type ArchitectureOptions =
  | ({ readonly architecture: 'cnn' } & CnnOptions)
  | ({ readonly architecture: 'dnn' } & DnnOptions)
  | ({ readonly architecture: 'pen' } & PenOptions);

export const BATCH_NORM_EPSILON = 1e-3;

const denseBlocks = (units: readonly number[]): LayerSpec[] =>
  units.flatMap((u): LayerSpec[] => [{ type: 'dense', units: u }, { type: 'batchNorm', epsilon: BATCH_NORM_EPSILON }, { type: 'relu' }]);

export function cnnGraph(outputs: number, options: CnnOptions = {}): NetworkGraph {
  const filters = options.filters ?? [32, 48, 64, 96];
  const kernelSize = options.kernelSize ?? 3;
  const poolSize = options.poolSize ?? 2;
  const layers: LayerSpec[] = [];
  filters.forEach((f, i) => {
    if (i > 0) layers.push({ type: 'maxPool1d', poolSize });
    layers.push({ type: 'conv1d', filters: f, kernelSize }, { type: 'relu' }, { type: 'conv1d', filters: f, kernelSize }, { type: 'relu' });
  });
  layers.push({ type: 'globalAveragePool1d' }, ...denseBlocks(options.dense ?? [100, 100, 100]), { type: 'dense', units: outputs });
  return { type: 'sequential', layers };
}

export function dnnGraph(outputs: number, options: DnnOptions = {}): NetworkGraph {
  return { type: 'sequential', layers: [{ type: 'flatten' }, ...denseBlocks(options.hidden ?? [100, 100, 100]), { type: 'dense', units: outputs }] };
}

export function penGraph(outputs: number, options: PenOptions = {}): NetworkGraph {
  const relu = (units: readonly number[]): LayerSpec[] => units.flatMap((u): LayerSpec[] => [{ type: 'dense', units: u }, { type: 'relu' }]);
  return {
    type: 'pen',
    order: options.order ?? 2,
    inner: relu(options.inner ?? [100, 50, 10]),
    outer: [...relu(options.outer ?? [50, 50, 20]), { type: 'dense', units: outputs }],
  };
}

export function architectureGraph(outputs: number, options: ArchitectureOptions): NetworkGraph {
  switch (options.architecture) {
    case 'cnn':
      return cnnGraph(outputs, options);
    case 'dnn':
      return dnnGraph(outputs, options);
    case 'pen':
      return penGraph(outputs, options);
  }
}
