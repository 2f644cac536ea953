import * as tf from '@tensorflow/tfjs';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';

type MaxPoolGradAttrs = {
  filterSize: [number, number] | number;
  strides: [number, number] | number;
  pad: 'valid' | 'same' | number | tf.backend_util.ExplicitPadding;
  dimRoundingMode?: 'floor' | 'round' | 'ceil';
};

/**
 * The gradient of 2-D max pooling (NHWC), a plain loop over the WASM heap:
 * each output's gradient goes to the first maximum of its window in
 * row-major order (strict >, padding excluded), the rule of tfjs's CPU
 * kernel and TensorFlow's. The WASM backend's own MaxPoolGrad was several
 * times slower than this loop on the CNN's [64, 401, 32] activations.
 */
export function maxPoolGrad({ inputs, attrs, backend }: { inputs: tf.NamedTensorInfoMap; attrs?: tf.NamedAttrMap; backend: tf.KernelBackend }): tf.TensorInfo {
  const wasm = backend as unknown as BackendWasm;
  const { dy, input } = inputs as { dy: tf.TensorInfo; input: tf.TensorInfo };
  const { filterSize, strides, pad, dimRoundingMode } = attrs as unknown as MaxPoolGradAttrs;
  const info = tf.backend_util.computePool2DInfo(input.shape as [number, number, number, number], filterSize, strides, 1, pad, dimRoundingMode);
  const {
    batchSize,
    inHeight: H,
    inWidth: W,
    inChannels: C,
    outHeight,
    outWidth,
    strideHeight,
    strideWidth,
    effectiveFilterHeight: fh,
    effectiveFilterWidth: fw,
  } = info;
  const { top, left } = info.padInfo;
  const out = wasm.makeOutput(input.shape, 'float32');
  // Views after makeOutput: an allocation may grow (and replace) the heap.
  const x = wasm.typedArrayFromHeap(input) as Float32Array;
  const g = wasm.typedArrayFromHeap(dy) as Float32Array;
  const dx = wasm.typedArrayFromHeap(out) as Float32Array;
  dx.fill(0);
  if (fh * fw === 2 && strideHeight === fh && strideWidth === fw && top === 0 && left === 0 && outHeight * fh <= H && outWidth * fw <= W) {
    pairWindows(x, g, dx, info);
    return out;
  }
  const best = new Float32Array(C);
  const where = new Int32Array(C);
  for (let n = 0; n < batchSize; n++) {
    for (let i = 0; i < outHeight; i++) {
      const r0 = i * strideHeight - top;
      for (let j = 0; j < outWidth; j++) {
        const c0 = j * strideWidth - left;
        best.fill(-Infinity);
        where.fill(-1);
        for (let r = Math.max(0, r0); r < Math.min(H, r0 + fh); r++) {
          for (let col = Math.max(0, c0); col < Math.min(W, c0 + fw); col++) {
            const base = ((n * H + r) * W + col) * C;
            for (let c = 0; c < C; c++) {
              const v = x[base + c];
              if (v > best[c]) {
                best[c] = v;
                where[c] = base + c;
              }
            }
          }
        }
        const from = ((n * outHeight + i) * outWidth + j) * C;
        for (let c = 0; c < C; c++) if (where[c] >= 0) dx[where[c]] += g[from + c];
      }
    }
  }
  return out;
}

/**
 * Windows of two cells that tile the input without overlap or padding: the
 * CNN's pooling (tf.layers.maxPooling1d pools [N, W, 1, C] with 2 × 1 windows
 * at stride 2). Each output's gradient goes to the second cell only if it is
 * strictly larger (the first maximum, as in the general loop), chosen by
 * arithmetic rather than a branch: on activations the comparison is a coin
 * toss, and the mispredicted branch made the general loop about 4x slower.
 */
function pairWindows(x: Float32Array, g: Float32Array, dx: Float32Array, info: tf.backend_util.Conv2DInfo): void {
  const { batchSize, inHeight: H, inWidth: W, inChannels: C, outHeight, outWidth, effectiveFilterHeight: fh, effectiveFilterWidth: fw } = info;
  // The second cell is one row down (2 × 1 windows) or one column right (1 × 2).
  const step = fh === 2 ? W * C : C;
  let from = 0;
  for (let n = 0; n < batchSize; n++) {
    for (let i = 0; i < outHeight; i++) {
      for (let j = 0; j < outWidth; j++) {
        const base = ((n * H + i * fh) * W + j * fw) * C;
        for (let c = 0; c < C; c++, from++) {
          const at = base + c;
          dx[at + step * +(x[at + step] > x[at])] = g[from];
        }
      }
    }
  }
}
