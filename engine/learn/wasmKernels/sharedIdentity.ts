import type * as tf from '@tensorflow/tfjs';

/**
 * Identity that shares the input's buffer (one more reference, as the
 * backend's Reshape does and as tfjs's CPU backend does for Identity) rather
 * than copying it: tensors are immutable, so a copy buys nothing, and the
 * WASM backend's copy cost a few ms per training step (tf.layers and the
 * gradient tape clone activations). Strings keep the backend's own kernel.
 */
export function sharedIdentityKernel(fallback: tf.KernelFunc): tf.KernelFunc {
  return (args) => {
    const { inputs, backend } = args as { inputs: tf.NamedTensorInfoMap; backend: tf.KernelBackend & { incRef(dataId: tf.DataId): void } };
    const { x } = inputs as { x: tf.TensorInfo };
    if (x.dtype === 'string') return fallback(args);
    backend.incRef(x.dataId);
    return { dataId: x.dataId, shape: x.shape, dtype: x.dtype };
  };
}
