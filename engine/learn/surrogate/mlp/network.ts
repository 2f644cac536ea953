import type { RandomSource } from '../../../sample/priors/types.js';

export type Activation = 'tanh' | 'relu';

/**
 * A fully connected network as one flat parameter vector: for layer l
 * (sizes[l] → sizes[l+1]) the weights W_l (out × in, row-major) then the
 * biases b_l. Hidden layers apply the activation; the output layer is linear
 * (regression).
 */
export interface NetworkLayout {
  readonly sizes: readonly number[];
  /** Offset of W_l in the parameter vector; b_l follows at weightOffsets[l] + out·in. */
  readonly weightOffsets: readonly number[];
  readonly parameterCount: number;
}

export function networkLayout(sizes: readonly number[]): NetworkLayout {
  const weightOffsets: number[] = [];
  let offset = 0;
  for (let l = 0; l + 1 < sizes.length; l++) {
    weightOffsets.push(offset);
    offset += sizes[l] * sizes[l + 1] + sizes[l + 1];
  }
  return { sizes, weightOffsets, parameterCount: offset };
}

/**
 * Seeded initialisation: Glorot uniform for tanh layers (Glorot & Bengio
 * 2010, AISTATS, https://proceedings.mlr.press/v9/glorot10a.html), He normal
 * for ReLU layers (He et al. 2015, doi:10.1109/ICCV.2015.123); biases zero.
 */
export function initialiseParameters(layout: NetworkLayout, activation: Activation, rng: RandomSource): Float64Array {
  const params = new Float64Array(layout.parameterCount);
  for (let l = 0; l + 1 < layout.sizes.length; l++) {
    const fanIn = layout.sizes[l];
    const fanOut = layout.sizes[l + 1];
    const o = layout.weightOffsets[l];
    const relu = activation === 'relu' && l + 2 < layout.sizes.length;
    const limit = Math.sqrt(6 / (fanIn + fanOut));
    const sd = Math.sqrt(2 / fanIn);
    for (let i = 0; i < fanIn * fanOut; i++) params[o + i] = relu ? sd * rng.nextNormal() : limit * (2 * rng.nextDouble() - 1);
  }
  return params;
}

/** Per-layer activations for a batch: acts[0] is the input (B × sizes[0]), acts[l] is B × sizes[l]. */
export function allocateActivations(layout: NetworkLayout, batch: number): Float64Array[] {
  return layout.sizes.map((size) => new Float64Array(batch * size));
}

/**
 * tanh through one exp: V8's Math.tanh costs several times more, and the
 * forward pass calls it once per hidden unit per row. Relative error below
 * about 1e-12 (cancellation in e − 1 near 1e-4, where the cubic takes over);
 * beyond |s| = 19 tanh is ±1 in double precision.
 */
function fastTanh(s: number): number {
  if (s > 19) return 1;
  if (s < -19) return -1;
  if (Math.abs(s) < 1e-4) return s - (s * s * s) / 3;
  const e = Math.exp(2 * s);
  return (e - 1) / (e + 1);
}

/** Forward pass for `batch` rows already in acts[0]; fills acts[1..L]. */
export function forward(layout: NetworkLayout, activation: Activation, params: Float64Array, acts: Float64Array[], batch: number): void {
  const { sizes, weightOffsets } = layout;
  const last = sizes.length - 1;
  for (let l = 0; l < last; l++) {
    const nIn = sizes[l];
    const nOut = sizes[l + 1];
    const w = weightOffsets[l];
    const bias = w + nIn * nOut;
    const a = acts[l];
    const z = acts[l + 1];
    const hidden = l + 1 < last;
    for (let r = 0; r < batch; r++) {
      const ar = r * nIn;
      for (let j = 0; j < nOut; j++) {
        let s = params[bias + j];
        const wj = w + j * nIn;
        for (let k = 0; k < nIn; k++) s += params[wj + k] * a[ar + k];
        z[r * nOut + j] = hidden ? (activation === 'tanh' ? fastTanh(s) : s > 0 ? s : 0) : s;
      }
    }
  }
}

/**
 * Backpropagation of the mean squared error ½·mean over the batch of
 * Σ_outputs (ŷ − y)² into `gradient` (overwritten). `deltas` are scratch
 * buffers shaped like the activations.
 */
export function backward(
  layout: NetworkLayout,
  activation: Activation,
  params: Float64Array,
  acts: Float64Array[],
  deltas: Float64Array[],
  target: Float64Array,
  batch: number,
  gradient: Float64Array,
): number {
  const { sizes, weightOffsets } = layout;
  const last = sizes.length - 1;
  const p = sizes[last];
  let loss = 0;
  const out = acts[last];
  const dOut = deltas[last];
  for (let i = 0; i < batch * p; i++) {
    const e = out[i] - target[i];
    loss += e * e;
    dOut[i] = e / batch;
  }
  gradient.fill(0);
  for (let l = last - 1; l >= 0; l--) {
    const nIn = sizes[l];
    const nOut = sizes[l + 1];
    const w = weightOffsets[l];
    const bias = w + nIn * nOut;
    const a = acts[l];
    const dz = deltas[l + 1];
    const da = deltas[l];
    for (let r = 0; r < batch; r++) {
      for (let j = 0; j < nOut; j++) {
        const g = dz[r * nOut + j];
        if (g === 0) continue;
        gradient[bias + j] += g;
        const wj = w + j * nIn;
        const ar = r * nIn;
        for (let k = 0; k < nIn; k++) gradient[wj + k] += g * a[ar + k];
      }
    }
    if (l === 0) break;
    // δ of the layer below: (δ W) ⊙ f'(z), with f' from the stored activation.
    for (let r = 0; r < batch; r++) {
      for (let k = 0; k < nIn; k++) {
        let s = 0;
        for (let j = 0; j < nOut; j++) s += dz[r * nOut + j] * params[w + j * nIn + k];
        const ak = a[r * nIn + k];
        da[r * nIn + k] = activation === 'tanh' ? s * (1 - ak * ak) : ak > 0 ? s : 0;
      }
    }
  }
  return (0.5 * loss) / batch;
}
