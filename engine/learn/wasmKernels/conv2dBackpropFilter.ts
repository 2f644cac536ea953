import * as tf from '@tensorflow/tfjs';
import { backendKernelRunner, release } from './backendKernels.js';

type Conv2DBackpropFilterAttrs = {
  strides: [number, number] | number;
  pad: 'valid' | 'same' | number | tf.backend_util.ExplicitPadding;
  dataFormat: 'NHWC' | 'NCHW';
  dimRoundingMode?: 'floor' | 'round' | 'ceil';
  filterShape: [number, number, number, number];
};

/**
 * The filter gradient of a 2-D convolution (NHWC, dilation 1) as one
 * forward convolution, so it runs on the backend's fast Conv2D (XNNPACK on
 * WASM). With x [N, H, W, C], dy [N, oh, ow, F], strides (sh, sw) and
 * padding (top, left),
 *   dW[a, b, c, f] = Σ_{n, i, j} x[n, i·sh + a − top, j·sw + b − left, c] · dy[n, i, j, f],
 * which is a convolution of x with the batch axis as its channels
 * (x' = [C, H, W, N]) by dy as the filter (dy' = [oh, ow, N, F]) at dilation
 * (sh, sw): out[c, a, b, f] = dW[a, b, c, f] (the standard identity, e.g.
 * Dumoulin & Visin 2016, "A guide to convolution arithmetic for deep
 * learning", arXiv:1603.07285, section 4). Padding after is whatever makes
 * the output at least [kh, kw]; extra rows or columns are cut off.
 */
export function conv2dBackpropFilter({ inputs, attrs, backend }: { inputs: tf.NamedTensorInfoMap; attrs?: tf.NamedAttrMap; backend: tf.KernelBackend }): tf.TensorInfo {
  const { x, dy } = inputs as { x: tf.TensorInfo; dy: tf.TensorInfo };
  const { strides, pad, dataFormat, dimRoundingMode, filterShape } = attrs as unknown as Conv2DBackpropFilterAttrs;
  if (dataFormat !== 'NHWC') throw new Error(`Conv2DBackpropFilter on wasm supports NHWC only, got ${dataFormat}`);
  const info = tf.backend_util.computeConv2DInfo(x.shape as [number, number, number, number], filterShape, strides, 1, pad, dimRoundingMode, false, 'channelsLast');
  const { filterHeight: kh, filterWidth: kw, strideHeight: sh, strideWidth: sw, inHeight, inWidth, outHeight, outWidth } = info;
  const { top, left } = info.padInfo;
  // Padding after so that the output has at least kh rows (kw columns); never negative.
  const bottom = Math.max(0, kh - 1 + (outHeight - 1) * sh + 1 - inHeight - top);
  const right = Math.max(0, kw - 1 + (outWidth - 1) * sw + 1 - inWidth - left);
  const run = backendKernelRunner('wasm', backend);
  const xT = run('Transpose', { x }, { perm: [3, 1, 2, 0] });
  const dyT = run('Transpose', { x: dy }, { perm: [1, 2, 0, 3] });
  const product = run('Conv2D', { x: xT, filter: dyT }, { strides: [1, 1], pad: [[0, 0], [top, bottom], [left, right], [0, 0]], dataFormat: 'NHWC', dilations: [sh, sw] });
  release(backend, xT, dyT);
  let cropped = product;
  if (product.shape[1] !== kh || product.shape[2] !== kw) {
    cropped = run('Slice', { x: product }, { begin: [0, 0, 0, 0], size: [-1, kh, kw, -1] });
    release(backend, product);
  }
  const dw = run('Transpose', { x: cropped }, { perm: [1, 2, 0, 3] });
  release(backend, cropped);
  return dw;
}
