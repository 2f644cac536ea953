import { afterAll, describe, expect, it } from 'vitest';
import { convolutionGradients, initLearnBackend, tf } from '../../../../engine/learn/backend.js';
import { PINNED_TFJS_VERSION, registerWasmTrainingKernels } from '../../../../engine/learn/wasmKernels/index.js';

/**
 * The WASM replacement kernels (Conv2DBackpropFilter, Conv2DBackpropInput,
 * MaxPoolGrad) against tfjs's own gradients on the CPU backend: tf.grads of
 * conv2d / conv1d / maxPool on small shapes, batch > 1, several channels,
 * strides, 'same', 'valid' and explicit padding, dilation 1.
 *
 * Tolerance: every gradient entry is a float32 sum of at most a few hundred
 * products of O(1) numbers, summed in a different order on each backend;
 * float32 rounding (ε ≈ 6e-8 per operation) then bounds the difference by
 * about 1e-5 of the largest entry, which is the stated bound. A wrong index,
 * tap or padding shows up as an error of the size of the entries themselves.
 */

const backend = await initLearnBackend();
const onWasm = backend === 'wasm' && convolutionGradients();

afterAll(async () => {
  await tf.setBackend(backend);
});

/** The loss Σ y ⊙ sin(1..n): every output gets a distinct weight, so each gradient entry is distinct too. */
const weightedSum = (y: tf.Tensor) => tf.sum(tf.mul(y, tf.reshape(tf.sin(tf.range(1, 1 + y.size)), y.shape)));

/** The gradients of `loss` at `inputs` (given as nested arrays) on a backend, as flat Float32Arrays. */
async function gradientsOn(name: string, loss: (...xs: tf.Tensor[]) => tf.Tensor, inputs: { values: number[]; shape: number[] }[]): Promise<Float32Array[]> {
  await tf.setBackend(name);
  return tf.tidy(() =>
    tf
      .grads(loss)(inputs.map((x) => tf.tensor(x.values, x.shape)))
      .map((g) => g.dataSync() as Float32Array),
  );
}

function expectClose(got: Float32Array[], reference: Float32Array[]): void {
  expect(got.map((g) => g.length)).toEqual(reference.map((r) => r.length));
  reference.forEach((r, i) => {
    const scale = Math.max(1, ...Array.from(r, Math.abs));
    const error = Math.max(...Array.from(r, (v, j) => Math.abs(v - got[i][j])));
    expect(error).toBeLessThan(1e-5 * scale);
  });
}

/** Seeded normal values; `round` makes ties on purpose (max pooling must pick the first maximum). */
function values(shape: number[], seed: number, round = false): { values: number[]; shape: number[] } {
  const t = tf.tidy(() => {
    const x = tf.randomNormal(shape, 0, 1, 'float32', seed);
    return round ? tf.round(tf.mul(x, 2)) : x;
  });
  const out = { values: Array.from(t.dataSync()), shape };
  t.dispose();
  return out;
}

type Pad = 'same' | 'valid' | [[number, number], [number, number], [number, number], [number, number]];

describe.runIf(onWasm)('WASM training kernels against tfjs CPU gradients', () => {
  it.each<[string, number[], number[], [number, number], Pad]>([
    ['3×2 filter, stride 1, same', [2, 7, 8, 3], [3, 2, 3, 4], [1, 1], 'same'],
    ['3×2 filter, strides (2, 1), same', [3, 7, 8, 3], [3, 2, 3, 4], [2, 1], 'same'],
    ['3×2 filter, strides (2, 3), valid', [2, 7, 8, 3], [3, 2, 3, 4], [2, 3], 'valid'],
    ['2×2 filter, strides (1, 2), valid', [2, 6, 9, 2], [2, 2, 2, 5], [1, 2], 'valid'],
    ['3×3 filter, strides (3, 3), same', [2, 8, 7, 3], [3, 3, 3, 2], [3, 3], 'same'],
    ['4×1 filter (even), stride 1, same', [2, 9, 5, 3], [4, 1, 3, 3], [1, 1], 'same'],
    [
      'explicit padding',
      [2, 6, 6, 2],
      [3, 3, 2, 3],
      [1, 2],
      [
        [0, 0],
        [1, 2],
        [2, 0],
        [0, 0],
      ],
    ],
    ['one row, 1×4 filter (even), stride 1, same (the Conv1D matrix-product path)', [3, 1, 11, 3], [1, 4, 3, 5], [1, 1], 'same'],
    ['one row, 1×3 filter, stride 1, valid', [2, 1, 9, 4], [1, 3, 4, 2], [1, 1], 'valid'],
    [
      'one row, explicit padding (2 before, 0 after)',
      [2, 1, 8, 2],
      [1, 3, 2, 3],
      [1, 1],
      [
        [0, 0],
        [0, 0],
        [2, 0],
        [0, 0],
      ],
    ],
    [
      'one row padded to three rows (not the one-row path)',
      [2, 1, 8, 2],
      [1, 3, 2, 3],
      [1, 1],
      [
        [0, 0],
        [1, 1],
        [1, 1],
        [0, 0],
      ],
    ],
    [
      'explicit padding wider than the filter (the backend kernel)',
      [2, 5, 5, 2],
      [2, 2, 2, 3],
      [1, 1],
      [
        [0, 0],
        [3, 1],
        [0, 2],
        [0, 0],
      ],
    ],
  ])('conv2d, %s: dx and dW', async (_name, xShape, wShape, strides, pad) => {
    const loss = (x: tf.Tensor, w: tf.Tensor) => weightedSum(tf.conv2d(x as tf.Tensor4D, w as tf.Tensor4D, strides, pad));
    const inputs = [values(xShape, 1), values(wShape, 2)];
    expectClose(await gradientsOn('wasm', loss, inputs), await gradientsOn('cpu', loss, inputs));
  });

  it.each<[string, number, 'same' | 'valid']>([
    ['stride 1, same (the CNN layer)', 1, 'same'],
    ['stride 2, same', 2, 'same'],
    ['stride 2, valid', 2, 'valid'],
  ])('conv1d, kernel 3, %s: dx and dW', async (_name, stride, pad) => {
    const loss = (x: tf.Tensor, w: tf.Tensor) => weightedSum(tf.conv1d(x as tf.Tensor3D, w as tf.Tensor3D, stride, pad));
    const inputs = [values([4, 41, 3], 3), values([3, 3, 6], 4)];
    expectClose(await gradientsOn('wasm', loss, inputs), await gradientsOn('cpu', loss, inputs));
  });

  it.each<[string, [number, number], [number, number], 'same' | 'valid']>([
    ['1×2 window, stride 2, valid, odd width', [1, 2], [1, 2], 'valid'],
    ['2×1 window, strides (2, 1), valid, odd height (tf.layers.maxPooling1d, the CNN pooling)', [2, 1], [2, 1], 'valid'],
    ['2×1 window, strides (2, 1), same, odd height (the last window half padding)', [2, 1], [2, 1], 'same'],
    ['2×2, stride 2, valid', [2, 2], [2, 2], 'valid'],
    ['3×3, strides (2, 1), same (overlapping)', [3, 3], [2, 1], 'same'],
    ['2×3, strides (3, 2), same', [2, 3], [3, 2], 'same'],
    ['3×2, stride 1, valid', [3, 2], [1, 1], 'valid'],
  ])('maxPool %s, with ties: dx', async (_name, window, strides, pad) => {
    const loss = (x: tf.Tensor) => weightedSum(tf.maxPool(x as tf.Tensor4D, window, strides, pad));
    const inputs = [values([2, 7, 9, 3], 5, true)];
    expectClose(await gradientsOn('wasm', loss, inputs), await gradientsOn('cpu', loss, inputs));
  });

  it.each<[string, number[], number[], boolean]>([
    ['[N, W, F] over the two leading axes (a Conv1D bias gradient)', [5, 13, 7], [0, 1], false],
    ['[N, F] over the leading axis, kept dims (a dense bias gradient)', [9, 4], [0], true],
    ['a middle axis (the backend kernel)', [3, 5, 2], [1], false],
    ['every axis (the backend kernel)', [4, 6], [0, 1], false],
  ])('sum of %s', async (_name, shape, axis, keepDims) => {
    const loss = (x: tf.Tensor) => weightedSum(tf.sum(tf.mul(x, x), axis, keepDims));
    const inputs = [values(shape, 8)];
    const value = async (name: string) => {
      await tf.setBackend(name);
      return tf.tidy(() => tf.sum(tf.tensor(inputs[0].values, shape), axis, keepDims).dataSync() as Float32Array);
    };
    expectClose([await value('wasm')], [await value('cpu')]);
    expectClose(await gradientsOn('wasm', loss, inputs), await gradientsOn('cpu', loss, inputs));
  });

  it('Identity shares the buffer, and the values outlive the original', async () => {
    await tf.setBackend('wasm');
    const buffers = tf.engine().backend.numDataIds();
    const x = tf.tensor([1, 2, 3, 4], [2, 2]);
    const copy = tf.clone(x);
    expect(tf.engine().backend.numDataIds()).toBe(buffers + 1);
    x.dispose();
    expect(Array.from(copy.dataSync())).toEqual([1, 2, 3, 4]);
    copy.dispose();
    expect(tf.engine().backend.numDataIds()).toBe(buffers);
  });

  it('leaves no tensors or backend buffers behind', async () => {
    await tf.setBackend('wasm');
    const x = tf.randomNormal([2, 1, 21, 3], 0, 1, 'float32', 6);
    const w = tf.randomNormal([1, 3, 3, 4], 0, 1, 'float32', 7);
    const run = () =>
      tf.tidy(() => {
        const strided = tf.grads((a: tf.Tensor, b: tf.Tensor) =>
          weightedSum(tf.maxPool(tf.conv2d(a as tf.Tensor4D, b as tf.Tensor4D, [1, 2], 'same'), [1, 2], [1, 2], 'valid')),
        )([x, w]);
        // Stride 1 on one row: the matrix-product filter gradient, the leading-axes Sum of the bias, the 2×1 pooling.
        const layer = tf.grads((a: tf.Tensor, b: tf.Tensor) =>
          weightedSum(
            tf.maxPool(
              tf.reshape(
                tf.add(tf.conv1d(tf.squeeze(a, [1]) as tf.Tensor3D, tf.squeeze(b, [0]) as tf.Tensor3D, 1, 'same'), tf.ones([4])),
                [2, 21, 1, 4],
              ) as tf.Tensor4D,
              [2, 1],
              [2, 1],
              'valid',
            ),
          ),
        )([x, w]);
        [...strided, ...layer].forEach((g) => g.dataSync());
      });
    run();
    const before = { tensors: tf.memory().numTensors, buffers: tf.engine().backend.numDataIds() };
    run();
    expect({ tensors: tf.memory().numTensors, buffers: tf.engine().backend.numDataIds() }).toEqual(before);
    tf.dispose([x, w]);
  });
});

describe('registerWasmTrainingKernels', () => {
  it(`registers nothing and warns in one line unless tfjs is ${PINNED_TFJS_VERSION}`, () => {
    const warnings: string[] = [];
    expect(registerWasmTrainingKernels('4.21.0', (m) => warnings.push(m))).toBe(false);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(new RegExp(`not the pinned ${PINNED_TFJS_VERSION.replaceAll('.', '\\.')}.*unfold \\+ matMul`));
    expect(warnings[0]).not.toContain('\n');
  });
});
