import * as tf from '@tensorflow/tfjs';

/**
 * Run another kernel of the same backend from inside a kernel: the backend
 * level, not the op level, so nothing lands on the gradient tape and no
 * Tensor objects are made. Every TensorInfo a caller gets back and does not
 * return must be released with `release`.
 */
export type BackendKernelRunner = (kernelName: string, inputs: tf.NamedTensorInfoMap, attrs?: tf.NamedAttrMap) => tf.TensorInfo;

export function backendKernelRunner(backendName: string, backend: tf.KernelBackend): BackendKernelRunner {
  return (kernelName, inputs, attrs = {}) => {
    const kernel = tf.getKernel(kernelName, backendName);
    if (!kernel) throw new Error(`the ${backendName} backend has no ${kernelName} kernel`);
    return kernel.kernelFunc({ inputs, attrs, backend }) as tf.TensorInfo;
  };
}

/** Drop intermediate results made with a BackendKernelRunner. */
export function release(backend: tf.KernelBackend, ...infos: tf.TensorInfo[]): void {
  for (const info of infos) backend.disposeData(info.dataId);
}
