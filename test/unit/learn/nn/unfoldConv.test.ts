import { beforeAll, describe, expect, it } from 'vitest';
import { initLearnBackend, tf } from '../../../../engine/learn/backend.js';
import { matMulExplicitGrad, UnfoldConv1D } from '../../../../engine/learn/nn/layers.js';

let backend: string;
beforeAll(async () => {
  backend = await initLearnBackend();
});

function convModel(T: number, C: number, filters: number, kernelSize: number, seed: number) {
  const input = tf.input({ shape: [T, C] });
  const layer = new UnfoldConv1D({ filters, kernelSize, seed });
  return { model: tf.model({ inputs: input, outputs: layer.apply(input) as tf.SymbolicTensor }), layer };
}

describe('UnfoldConv1D (unfold + matMul)', () => {
  it.each([
    [3, 1],
    [4, 2],
    [5, 3],
  ])('equals tf.conv1d with "same" padding (kernel %i, %i channels)', (kernelSize, C) => {
    const T = 29;
    const filters = 5;
    const { model, layer } = convModel(T, C, filters, kernelSize, 1);
    const [kernel, bias] = layer.getWeights();
    tf.tidy(() => {
      const x = tf.randomNormal([4, T, C], 0, 1, 'float32', 7);
      const ours = model.predict(x) as tf.Tensor;
      const reference = tf.add(tf.conv1d(x as tf.Tensor3D, tf.reshape(kernel, [kernelSize, C, filters]) as tf.Tensor3D, 1, 'same'), bias);
      // Both sum the same float32 products; 1e-5 bounds the differing summation order.
      expect(tf.max(tf.abs(tf.sub(ours, reference))).dataSync()[0]).toBeLessThan(1e-5);
    });
    model.dispose();
  });

  it('matMulExplicitGrad has the gradients of tf.matMul', () => {
    tf.tidy(() => {
      const a = tf.randomNormal([50, 7], 0, 1, 'float32', 1);
      const b = tf.randomNormal([7, 4], 0, 1, 'float32', 2);
      const loss = (f: (x: tf.Tensor, y: tf.Tensor) => tf.Tensor) => (x: tf.Tensor, y: tf.Tensor) => tf.sum(tf.square(f(x, y)));
      const ours = tf.grads(loss(matMulExplicitGrad))([a, b]);
      const reference = tf.grads(loss((x, y) => tf.matMul(x as tf.Tensor2D, y as tf.Tensor2D)))([a, b]);
      // Same products in float32, summed in possibly different orders.
      for (let i = 0; i < 2; i++) expect(tf.max(tf.abs(tf.sub(ours[i], reference[i]))).dataSync()[0]).toBeLessThan(1e-3);
    });
  });

  it(`has gradients and trains on the backend in use without convolution gradient kernels`, async () => {
    expect(['wasm', 'tensorflow', 'cpu']).toContain(backend);
    const T = 40;
    const C = 2;
    const { model } = convModel(T, C, 3, 3, 2);
    const target = tf.randomNormal([3, C, 3], 0, 1, 'float32', 3) as tf.Tensor3D;
    const x = tf.randomNormal([64, T, C], 0, 1, 'float32', 4) as tf.Tensor3D;
    const y = tf.conv1d(x, target, 1, 'same');
    model.compile({ optimizer: tf.train.adam(0.05), loss: 'meanSquaredError' });
    const first = (await model.trainOnBatch(x, y)) as number;
    let last = first;
    for (let step = 0; step < 150; step++) last = (await model.trainOnBatch(x, y)) as number;
    // A linear least-squares problem with an exact solution: Adam must drive the loss down by orders of magnitude.
    expect(last).toBeLessThan(0.01 * first);
    tf.dispose([target, x, y]);
    model.dispose();
  });
});
