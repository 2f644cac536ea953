import * as tf from '@tensorflow/tfjs';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import { backendKernelRunner, release } from './backendKernels.js';

type Conv2DBackpropInputAttrs = {
  strides: [number, number] | number;
  pad: 'valid' | 'same' | number | tf.backend_util.ExplicitPadding;
  dataFormat: 'NHWC' | 'NCHW';
  dimRoundingMode?: 'floor' | 'round' | 'ceil';
  inputShape: [number, number, number, number];
};

/**
 * The input gradient of a 2-D convolution (NHWC, dilation 1) as one forward
 * convolution on the backend's fast Conv2D (XNNPACK on WASM) instead of the
 * WASM backend's direct loop: dx is dy, with (s − 1) zeros inserted between
 * its rows and columns when strided, convolved with the filter rotated by
 * 180° and its channel axes swapped ([kh, kw, F, C]), padded by k − 1 − pad
 * before (the "transposed convolution" of Dumoulin & Visin 2016,
 * arXiv:1603.07285, section 4.6). Padding after is whatever gives [H, W];
 * trailing inserted zeros beyond that are cut off. NCHW, and explicit padding
 * wider than the filter, go to `fallback` (the backend's own kernel).
 */
export function conv2dBackpropInputKernel(fallback: tf.KernelFunc): tf.KernelFunc {
  return (args) => conv2dBackpropInput(args as KernelArgs) ?? fallback(args);
}

type KernelArgs = { inputs: tf.NamedTensorInfoMap; attrs?: tf.NamedAttrMap; backend: tf.KernelBackend };

function conv2dBackpropInput({ inputs, attrs, backend }: KernelArgs): tf.TensorInfo | undefined {
  const { dy, filter } = inputs as { dy: tf.TensorInfo; filter: tf.TensorInfo };
  const { strides, pad, dataFormat, dimRoundingMode, inputShape } = attrs as unknown as Conv2DBackpropInputAttrs;
  if (dataFormat !== 'NHWC') return undefined;
  const info = tf.backend_util.computeConv2DInfo(
    inputShape,
    filter.shape as [number, number, number, number],
    strides,
    1,
    pad,
    dimRoundingMode,
    false,
    'channelsLast',
  );
  const before = [info.filterHeight - 1 - info.padInfo.top, info.filterWidth - 1 - info.padInfo.left];
  if (before[0] < 0 || before[1] < 0) return undefined;
  const { batchSize, filterHeight: kh, filterWidth: kw, strideHeight: sh, strideWidth: sw, inHeight, inWidth, outHeight, outWidth, outChannels } = info;
  const run = backendKernelRunner('wasm', backend);
  let spread = dy;
  if (sh > 1 || sw > 1) {
    // [N, oh, ow, F] → [N, oh, 1, ow, 1, F], zeros after each entry → [N, oh·sh, ow·sw, F].
    const lifted = run('Reshape', { x: dy }, { shape: [batchSize, outHeight, 1, outWidth, 1, outChannels] });
    const padded = run(
      'PadV2',
      { x: lifted },
      {
        paddings: [
          [0, 0],
          [0, 0],
          [0, sh - 1],
          [0, 0],
          [0, sw - 1],
          [0, 0],
        ],
        constantValue: 0,
      },
    );
    spread = run('Reshape', { x: padded }, { shape: [batchSize, outHeight * sh, outWidth * sw, outChannels] });
    release(backend, lifted, padded);
  }
  // Padding after for an output of [H, W]; negative means cut inserted zeros off the end.
  const after = [inHeight + kh - 1 - spread.shape[1]! - before[0], inWidth + kw - 1 - spread.shape[2]! - before[1]];
  if (after[0] < 0 || after[1] < 0) {
    const cut = run(
      'Slice',
      { x: spread },
      { begin: [0, 0, 0, 0], size: [-1, spread.shape[1]! + Math.min(0, after[0]), spread.shape[2]! + Math.min(0, after[1]), -1] },
    );
    if (spread !== dy) release(backend, spread);
    spread = cut;
  }
  const swapped = rotatedSwapped(filter, backend);
  const dx = run(
    'Conv2D',
    { x: spread, filter: swapped },
    {
      strides: [1, 1],
      pad: [
        [0, 0],
        [before[0], Math.max(0, after[0])],
        [before[1], Math.max(0, after[1])],
        [0, 0],
      ],
      dataFormat: 'NHWC',
      dilations: [1, 1],
    },
  );
  release(backend, swapped);
  if (spread !== dy) release(backend, spread);
  return dx;
}

/**
 * The filter rotated by 180° with its channel axes swapped, in one pass over
 * the WASM heap: out[a, b, f, c] = w[kh − 1 − a, kw − 1 − b, c, f]. The
 * backend's Reverse then Transpose took about 0.5 ms per call on the CNN's
 * filters, mostly fixed cost; a filter has at most a few ten thousand weights.
 */
function rotatedSwapped(filter: tf.TensorInfo, backend: tf.KernelBackend): tf.TensorInfo {
  const wasm = backend as unknown as BackendWasm;
  const [kh, kw, c, f] = filter.shape as [number, number, number, number];
  const out = wasm.makeOutput([kh, kw, f, c], 'float32');
  // Views after makeOutput: an allocation may grow (and replace) the heap.
  const w = wasm.typedArrayFromHeap(filter) as Float32Array;
  const r = wasm.typedArrayFromHeap(out) as Float32Array;
  for (let a = 0; a < kh; a++) {
    for (let b = 0; b < kw; b++) {
      const from = ((kh - 1 - a) * kw + (kw - 1 - b)) * c * f;
      const to = (a * kw + b) * f * c;
      for (let ci = 0; ci < c; ci++) for (let fi = 0; fi < f; fi++) r[to + fi * c + ci] = w[from + ci * f + fi];
    }
  }
  return out;
}
