/** engine/learn/wasmKernels: gradient kernels for the WASM backend of TensorFlow.js (pinned to one tfjs release). */
export { registerWasmTrainingKernels, PINNED_TFJS_VERSION } from './registerWasmKernels.js';
export { conv2dBackpropFilter } from './conv2dBackpropFilter.js';
export { conv2dBackpropInputKernel } from './conv2dBackpropInput.js';
export { maxPoolGrad } from './maxPoolGrad.js';
export { sumLeadingAxesKernel } from './sumLeadingAxes.js';
export { sharedIdentityKernel } from './sharedIdentity.js';
