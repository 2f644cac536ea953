import { createRequire } from 'node:module';
import { dirname } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { registerWasmTrainingKernels } from './wasmKernels/index.js';

/**
 * The TensorFlow.js backend for training, chosen once per process:
 * `tensorflow` (the native @tensorflow/tfjs-node, an optional dependency that
 * downloads libtensorflow at install time) when it loads, else `wasm`
 * (@tensorflow/tfjs-backend-wasm, XNNPACK with SIMD), else the pure-JS `cpu`.
 * Inference never needs any of them (see NeuralNetworkStatistics).
 *
 * The WASM backend has no gradient for convolutions: on the pinned tfjs
 * release it gets replacement kernels (engine/learn/wasmKernels) and trains
 * tf.layers convolutions; otherwise the networks of engine/learn/nn express
 * Conv1D as unfold + matMul (see UnfoldConv1D and convolutionGradients).
 */
export type LearnBackend = 'tensorflow' | 'wasm' | 'cpu';

let chosen: Promise<LearnBackend> | undefined;
let wasmConvolutionGradients = false;

// The name is a variable so that TypeScript and bundlers do not require the optional package.
const TFJS_NODE = '@tensorflow/tfjs-node';

async function tryNative(): Promise<boolean> {
  try {
    await import(TFJS_NODE);
    return await tf.setBackend('tensorflow');
  } catch {
    return false;
  }
}

async function tryWasm(): Promise<boolean> {
  try {
    const wasm = await import('@tensorflow/tfjs-backend-wasm');
    // In Node the .wasm binaries are read from disk: point the backend at the installed package's dist folder.
    const require = createRequire(import.meta.url);
    const folder = dirname(require.resolve('@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm'));
    wasm.setWasmPaths(`${folder}/`);
    if (!(await tf.setBackend('wasm'))) return false;
    wasmConvolutionGradients = registerWasmTrainingKernels(wasm.version_wasm);
    return true;
  } catch {
    return false;
  }
}

async function choose(preferred?: LearnBackend): Promise<LearnBackend> {
  const order: LearnBackend[] = preferred ? [preferred, 'tensorflow', 'wasm', 'cpu'] : ['tensorflow', 'wasm', 'cpu'];
  for (const name of order) {
    if (name === 'tensorflow' && (await tryNative())) return name;
    if (name === 'wasm' && (await tryWasm())) return name;
    if (name === 'cpu' && (await tf.setBackend('cpu'))) return name;
  }
  throw new Error('no TensorFlow.js backend could be initialised');
}

/**
 * Initialise the training backend (once; later calls return the same
 * choice). `preferred` (or the SCIOPE_TF_BACKEND environment variable) is
 * tried first, then the native, WASM and CPU backends in that order.
 */
export function initLearnBackend(preferred?: LearnBackend): Promise<LearnBackend> {
  const fromEnv = process.env.SCIOPE_TF_BACKEND as LearnBackend | undefined;
  chosen ??= choose(preferred ?? (fromEnv && ['tensorflow', 'wasm', 'cpu'].includes(fromEnv) ? fromEnv : undefined));
  return chosen;
}

/** The backend in use, so the CLI and the app can state it ("wasm"); initialises it if needed. */
export async function learnBackendName(): Promise<LearnBackend> {
  return initLearnBackend();
}

/**
 * Whether the backend in use has fast gradients for convolutions, so the
 * networks use tf.layers convolutions rather than unfold + matMul: the
 * native and CPU backends have them; WASM once its replacement kernels are
 * registered. False before initLearnBackend has chosen a backend.
 */
export function convolutionGradients(): boolean {
  const name = tf.engine().backendName;
  return name === 'tensorflow' || name === 'cpu' || (name === 'wasm' && wasmConvolutionGradients);
}

export { tf };
