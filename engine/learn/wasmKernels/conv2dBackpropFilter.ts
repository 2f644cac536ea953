import * as tf from '@tensorflow/tfjs';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import { backendKernelRunner, release, type BackendKernelRunner } from './backendKernels.js';

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
export function conv2dBackpropFilter({
  inputs,
  attrs,
  backend,
}: {
  inputs: tf.NamedTensorInfoMap;
  attrs?: tf.NamedAttrMap;
  backend: tf.KernelBackend;
}): tf.TensorInfo {
  const { x, dy } = inputs as { x: tf.TensorInfo; dy: tf.TensorInfo };
  const { strides, pad, dataFormat, dimRoundingMode, filterShape } = attrs as unknown as Conv2DBackpropFilterAttrs;
  if (dataFormat !== 'NHWC') throw new Error(`Conv2DBackpropFilter on wasm supports NHWC only, got ${dataFormat}`);
  const info = tf.backend_util.computeConv2DInfo(
    x.shape as [number, number, number, number],
    filterShape,
    strides,
    1,
    pad,
    dimRoundingMode,
    false,
    'channelsLast',
  );
  const { filterHeight: kh, filterWidth: kw, strideHeight: sh, strideWidth: sw, inHeight, inWidth, outHeight, outWidth } = info;
  const { top, left } = info.padInfo;
  const run = backendKernelRunner('wasm', backend);
  if (kh === 1 && inHeight === 1 && outHeight === 1 && sh === 1 && sw === 1) return rowFilterGradient(x, dy, info, run, backend);
  // Padding after so that the output has at least kh rows (kw columns); never negative.
  const bottom = Math.max(0, kh - 1 + (outHeight - 1) * sh + 1 - inHeight - top);
  const right = Math.max(0, kw - 1 + (outWidth - 1) * sw + 1 - inWidth - left);
  const xT = run('Transpose', { x }, { perm: [3, 1, 2, 0] });
  const dyT = run('Transpose', { x: dy }, { perm: [1, 2, 0, 3] });
  const product = run(
    'Conv2D',
    { x: xT, filter: dyT },
    {
      strides: [1, 1],
      pad: [
        [0, 0],
        [top, bottom],
        [left, right],
        [0, 0],
      ],
      dataFormat: 'NHWC',
      dilations: [sh, sw],
    },
  );
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

/**
 * The filter gradient of a convolution along one row (x [N, 1, W, C], a
 * 1 × k filter, stride 1: what tf.conv1d runs) as one matrix product on
 * XNNPACK's fully connected operator:
 *   dW[tap·C + c, f] = Σ_{n, j} x[n, j + tap − left, c] · dy[n, j, f] = (Uᵀ · DY)[tap·C + c, f],
 * with DY = dy as an [N·ow, F] matrix (no copy) and Uᵀ the transposed unfold
 * (im2col) of x, [k·C, N·ow], zero where j + tap − left falls in the padding.
 * Uᵀ is built from x transposed to [C, N, W]: each of its rows is then a run
 * of contiguous copies. The general path above (a dilated convolution with the
 * batch as channels) computes the same sum but with an output of only k
 * columns, on which XNNPACK runs at about half its forward speed.
 */
function rowFilterGradient(
  x: tf.TensorInfo,
  dy: tf.TensorInfo,
  info: tf.backend_util.Conv2DInfo,
  run: BackendKernelRunner,
  backend: tf.KernelBackend,
): tf.TensorInfo {
  const wasm = backend as unknown as BackendWasm;
  const { batchSize: n, inWidth: w, inChannels: c, outWidth: ow, outChannels: f, filterWidth: k } = info;
  const { left } = info.padInfo;
  const xT = run('Transpose', { x }, { perm: [3, 0, 1, 2] });
  const unfolded = wasm.makeOutput([1, k * c, n * ow], 'float32');
  // One view of the whole heap, taken after makeOutput (an allocation may grow and replace the heap); copyWithin moves runs without allocating.
  const heap = new Float32Array((wasm.typedArrayFromHeap(unfolded) as Float32Array).buffer);
  const source = (wasm.typedArrayFromHeap(xT) as Float32Array).byteOffset >> 2;
  const target = (wasm.typedArrayFromHeap(unfolded) as Float32Array).byteOffset >> 2;
  for (let tap = 0; tap < k; tap++) {
    const shift = tap - left;
    // Output columns j whose input column j + shift lies inside [0, w).
    const from = Math.max(0, -shift);
    const to = Math.max(from, Math.min(ow, w - shift));
    for (let channel = 0; channel < c; channel++) {
      const row = target + (tap * c + channel) * n * ow;
      for (let series = 0; series < n; series++) {
        const out = row + series * ow;
        const src = source + (channel * n + series) * w + shift;
        if (from > 0) heap.fill(0, out, out + from);
        heap.copyWithin(out + from, src + from, src + to);
        if (to < ow) heap.fill(0, out + to, out + ow);
      }
    }
  }
  release(backend, xT);
  const dyMatrix = run('Reshape', { x: dy }, { shape: [1, n * ow, f] });
  const product = run('BatchMatMul', { a: unfolded, b: dyMatrix }, { transposeA: false, transposeB: false });
  release(backend, unfolded, dyMatrix);
  const dw = run('Reshape', { x: product }, { shape: [1, k, c, f] });
  release(backend, product);
  return dw;
}
