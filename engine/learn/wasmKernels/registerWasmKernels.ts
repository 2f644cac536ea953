import * as tf from '@tensorflow/tfjs';
import { conv2dBackpropFilter } from './conv2dBackpropFilter.js';
import { conv2dBackpropInputKernel } from './conv2dBackpropInput.js';
import { maxPoolGrad } from './maxPoolGrad.js';
import { sharedIdentityKernel } from './sharedIdentity.js';
import { sumLeadingAxesKernel } from './sumLeadingAxes.js';

/**
 * The tfjs release these kernels were written and tested against: they call
 * the WASM backend's kernels directly (Transpose, Conv2D, BatchMatMul, PadV2,
 * Slice, Reshape), read and write its heap and share its buffers (incRef),
 * with the attributes and internals of this release. package.json pins @tensorflow/tfjs and
 * @tensorflow/tfjs-backend-wasm to it.
 */
export const PINNED_TFJS_VERSION = '4.22.0';

let registered = false;

/**
 * Give the WASM backend fast gradients for convolutions and max pooling, so
 * tf.layers convolutions train there: Conv2DBackpropFilter (missing) as one
 * XNNPACK matrix product for Conv1D (a forward convolution otherwise),
 * Conv2DBackpropInput (a direct loop) as a forward convolution on its
 * XNNPACK Conv2D, MaxPoolGrad as a loop over its heap; and two kernels that
 * cost a training step several ms there: Sum over leading axes (bias
 * gradients) without a transpose, Identity without a copy. With any other tfjs version
 * this warns (one line) and registers nothing: the networks then keep unfold
 * + matMul. Returns whether the kernels are in place; registering twice is a
 * no-op.
 */
export function registerWasmTrainingKernels(wasmVersion: string, warn: (message: string) => void = console.warn): boolean {
  if (tf.version_core !== PINNED_TFJS_VERSION || wasmVersion !== PINNED_TFJS_VERSION) {
    warn(
      `sciope: tfjs-core ${tf.version_core} / tfjs-backend-wasm ${wasmVersion} is not the pinned ${PINNED_TFJS_VERSION}; training convolutions as unfold + matMul (slower)`,
    );
    return false;
  }
  if (registered) return true;
  const backpropInput = tf.getKernel('Conv2DBackpropInput', 'wasm');
  const sum = tf.getKernel('Sum', 'wasm');
  const identity = tf.getKernel('Identity', 'wasm');
  const missing =
    (name: string): tf.KernelFunc =>
    () => {
      throw new Error(`the wasm backend has no ${name} kernel for these arguments`);
    };
  const replacements: Record<string, tf.KernelFunc> = {
    Conv2DBackpropFilter: conv2dBackpropFilter as unknown as tf.KernelFunc,
    Conv2DBackpropInput: conv2dBackpropInputKernel(backpropInput?.kernelFunc ?? missing('Conv2DBackpropInput')),
    MaxPoolGrad: maxPoolGrad as unknown as tf.KernelFunc,
    ...(sum ? { Sum: sumLeadingAxesKernel(sum.kernelFunc) } : {}),
    ...(identity ? { Identity: sharedIdentityKernel(identity.kernelFunc) } : {}),
  };
  for (const [kernelName, kernelFunc] of Object.entries(replacements)) {
    // Unregister first: registering over an existing kernel logs a warning.
    if (tf.getKernel(kernelName, 'wasm')) tf.unregisterKernel(kernelName, 'wasm');
    tf.registerKernel({ kernelName, backendName: 'wasm', kernelFunc });
  }
  registered = true;
  return true;
}
