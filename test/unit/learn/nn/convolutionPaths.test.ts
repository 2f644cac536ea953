import { describe, expect, it } from 'vitest';
import { convolutionGradients, initLearnBackend, tf } from '../../../../engine/learn/backend.js';
import { cnnGraph } from '../../../../engine/learn/nn/architectures.js';
import { buildModel, exportWeights, type BuiltModel } from '../../../../engine/learn/nn/buildModel.js';
import { toNetworkSpec } from '../../../../engine/learn/nn/networkSpec.js';
import { createSummaryStatistics, NeuralNetworkStatistics } from '../../../../engine/stats/index.js';

/**
 * The two ways the CNN computes Conv1D, tf.layers.conv1d (trained with the
 * WASM replacement kernels) and UnfoldConv1D (unfold + matMul, what networks
 * were trained with before), hold the same weights in the same order: a seed
 * gives the same initial network, a spec exported from either runs in the
 * other, and a network stored from the unfold path still evaluates the same.
 */

await initLearnBackend();
const T = 45;
const C = 3;
const graph = cnnGraph(2, { filters: [6, 8], kernelSize: 3, dense: [10] });

/** Load a spec's flat weights into a built model, layer by layer in storage order. */
function loadFlatWeights(built: BuiltModel, flat: Float32Array): void {
  let at = 0;
  for (const layer of built.layers) {
    const values = layer.getWeights().map((w) => {
      const size = w.size;
      const t = tf.tensor(flat.subarray(at, at + size), w.shape);
      at += size;
      return t;
    });
    if (values.length > 0) layer.setWeights(values);
    tf.dispose(values);
  }
  expect(at).toBe(flat.length);
}

const inputs = () => tf.randomNormal([5, T, C], 0, 1, 'float32', 9);

describe('Conv1D paths: tf.layers.conv1d and UnfoldConv1D', () => {
  it(`the backend in use picks tf.layers convolutions when it has fast gradients (${convolutionGradients() ? 'it does' : 'it does not'})`, () => {
    const built = buildModel(graph, T, C, 1);
    const conv = built.layers.find((l) => l.getClassName() === 'Conv1D' || l.getClassName() === 'UnfoldConv1D')!;
    expect(conv.getClassName()).toBe(convolutionGradients() ? 'Conv1D' : 'UnfoldConv1D');
    built.model.dispose();
  });

  it('a seed gives the same initial weights and outputs on both paths', () => {
    const layers = buildModel(graph, T, C, 4, { convolution: 'layers' });
    const unfold = buildModel(graph, T, C, 4, { convolution: 'unfold' });
    expect(Array.from(exportWeights(layers))).toEqual(Array.from(exportWeights(unfold)));
    tf.tidy(() => {
      const x = inputs();
      const difference = tf.max(tf.abs(tf.sub(layers.model.predict(x) as tf.Tensor, unfold.model.predict(x) as tf.Tensor))).dataSync()[0];
      // Same float32 products summed in another order: 1e-5 bounds the rounding.
      expect(difference).toBeLessThan(1e-5);
    });
    layers.model.dispose();
    unfold.model.dispose();
  });

  it('a network stored from the unfold path loads into the tf.layers path and evaluates the same', () => {
    const unfold = buildModel(graph, T, C, 7, { convolution: 'unfold' });
    // Weights a trained network might have: random, batch-norm variances positive.
    unfold.model.setWeights(
      unfold.model.weights.map((w, i) =>
        tf.tidy(() =>
          w.name.includes('moving_variance')
            ? tf.randomUniform(w.shape as number[], 0.5, 1.5, 'float32', i)
            : tf.randomNormal(w.shape as number[], 0, 0.4, 'float32', i),
        ),
      ),
    );
    const spec = JSON.parse(
      JSON.stringify(
        toNetworkSpec(unfold, {
          architecture: 'cnn',
          graph,
          species: ['A', 'B', 'C'],
          timePoints: T,
          parameters: ['k1', 'k2'],
          lower: [0, 0],
          upper: [1, 1],
          normalisation: { transform: 'none', mean: [0, 0, 0], sd: [1, 1, 1] },
        }),
      ),
    );
    const statistics = createSummaryStatistics(spec) as NeuralNetworkStatistics;
    const layers = buildModel(graph, T, C, 0, { convolution: 'layers' });
    loadFlatWeights(layers, exportWeights(unfold));
    const x = inputs();
    const [fromUnfold, fromLayers] = [unfold, layers].map((b) => tf.tidy(() => (b.model.predict(x) as tf.Tensor).dataSync()));
    const series = x.dataSync();
    for (let i = 0; i < 5; i++) {
      const y = statistics.evaluateNormalised(Float64Array.from(series.subarray(i * T * C, (i + 1) * T * C)));
      for (let j = 0; j < 2; j++) {
        // float32 in TensorFlow.js against float64 here (see forwardPass.test.ts): 1e-5 absolute plus relative.
        const bound = 1e-5 * (1 + Math.abs(fromUnfold[i * 2 + j]));
        expect(Math.abs(fromLayers[i * 2 + j] - fromUnfold[i * 2 + j])).toBeLessThan(bound);
        expect(Math.abs(y[j] - fromLayers[i * 2 + j])).toBeLessThan(bound);
      }
    }
    x.dispose();
    unfold.model.dispose();
    layers.model.dispose();
  });

  it('both paths train alike: the same losses over a few Adam steps', async () => {
    const losses: number[][] = [];
    for (const convolution of ['layers', 'unfold'] as const) {
      const built = buildModel(graph, T, C, 3, { convolution });
      built.model.compile({ optimizer: tf.train.adam(1e-2), loss: 'meanSquaredError' });
      const x = inputs();
      const y = tf.randomUniform([5, 2], 0, 1, 'float32', 10);
      const path: number[] = [];
      for (let step = 0; step < 5; step++) path.push((await built.model.trainOnBatch(x, y)) as number);
      losses.push(path);
      tf.dispose([x, y]);
      built.model.dispose();
    }
    // Identical networks and data; only float32 summation order differs, which five steps amplify to well under 1e-3 relative.
    losses[0].forEach((loss, step) => expect(Math.abs(loss - losses[1][step])).toBeLessThan(1e-3 * losses[1][step]));
    expect(losses[0][4]).toBeLessThan(losses[0][0]);
  });
});
