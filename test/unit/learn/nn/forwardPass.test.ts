import { beforeAll, describe, expect, it } from 'vitest';
import { initLearnBackend, tf } from '../../../../engine/learn/backend.js';
import { cnnGraph, dnnGraph, penGraph } from '../../../../engine/learn/nn/architectures.js';
import { buildModel } from '../../../../engine/learn/nn/buildModel.js';
import { toNetworkSpec } from '../../../../engine/learn/nn/networkSpec.js';
import { createSummaryStatistics, NeuralNetworkStatistics, type NetworkGraph } from '../../../../engine/stats/index.js';
import { Xoshiro128 } from '../../../../engine/sample/random/Xoshiro128.js';
import { deriveStreamState } from '../../../../engine/sample/random/seedDerivation.js';

beforeAll(async () => {
  await initLearnBackend();
});

const T = 37;
const S = 3;
const P = 2;

/** Random weights everywhere (batch-norm variances positive), so every layer's arithmetic shows in the output. */
function randomiseWeights(model: tf.LayersModel, rng: Xoshiro128): void {
  model.setWeights(
    model.weights.map((w) => {
      const positive = w.name.includes('moving_variance');
      const shape = w.shape as number[];
      const size = shape.reduce((a, b) => a * b, 1);
      const values = Float32Array.from({ length: size }, () => (positive ? 0.5 + rng.nextDouble() : 0.4 * rng.nextNormal()));
      return tf.tensor(values, shape);
    }),
  );
}

const cases: Array<[string, 'cnn' | 'dnn' | 'pen', NetworkGraph]> = [
  ['CNN', 'cnn', cnnGraph(P, { filters: [8, 12], kernelSize: 3, dense: [16, 16] })],
  ['CNN with an even kernel', 'cnn', cnnGraph(P, { filters: [6, 6, 6], kernelSize: 4, poolSize: 3, dense: [10] })],
  ['DNN', 'dnn', dnnGraph(P, { hidden: [20, 12] })],
  ['PEN', 'pen', penGraph(P, { order: 2, inner: [16, 8], outer: [12] })],
];

describe('pure-TypeScript forward pass', () => {
  it.each(cases)('%s equals tf model.predict on random inputs to 1e-5', (_name, architecture, graph) => {
    const rng = new Xoshiro128(deriveStreamState(11));
    const built = buildModel(graph, T, S, 5);
    randomiseWeights(built.model, rng);
    const spec = toNetworkSpec(built, {
      architecture,
      graph,
      species: ['A', 'B', 'C'],
      timePoints: T,
      parameters: ['k1', 'k2'],
      lower: [0, 0],
      upper: [1, 1],
      normalisation: { transform: 'none', mean: [0, 0, 0], sd: [1, 1, 1] },
    });
    const statistics = createSummaryStatistics(JSON.parse(JSON.stringify(spec))) as NeuralNetworkStatistics;
    const n = 6;
    const inputs = Float32Array.from({ length: n * T * S }, () => rng.nextNormal());
    const predicted = tf.tidy(() => (built.model.predict(tf.tensor3d(inputs, [n, T, S])) as tf.Tensor).dataSync());
    // Float32 in TensorFlow.js against float64 accumulation here: agreement to ~1e-6 relative; 1e-5 absolute plus relative is the stated bound.
    for (let i = 0; i < n; i++) {
      const y = statistics.evaluateNormalised(Float64Array.from(inputs.subarray(i * T * S, (i + 1) * T * S)));
      for (let j = 0; j < P; j++) expect(Math.abs(y[j] - predicted[i * P + j])).toBeLessThan(1e-5 * (1 + Math.abs(predicted[i * P + j])));
    }
    built.model.dispose();
  });

  it('compute() normalises species-major trajectories and averages the runs', () => {
    const graph = cnnGraph(P, { filters: [4], dense: [6] });
    const built = buildModel(graph, T, 2, 1);
    randomiseWeights(built.model, new Xoshiro128(deriveStreamState(3)));
    const spec = toNetworkSpec(built, {
      architecture: 'cnn',
      graph,
      species: ['Y', 'X'],
      timePoints: T,
      parameters: ['a', 'b'],
      lower: [0, 1],
      upper: [2, 3],
      normalisation: { transform: 'log1p', mean: [1, 2], sd: [2, 0.5] },
    });
    const statistics = createSummaryStatistics(spec);
    expect(statistics.featureNames(['X', 'Y', 'Z'], new Float64Array(T))).toEqual(['nn:a', 'nn:b']);
    const rng = new Xoshiro128(deriveStreamState(4));
    const data = Float64Array.from({ length: 2 * 3 * T }, () => Math.floor(50 * rng.nextDouble()));
    const out = new Float64Array(2);
    statistics.compute({ speciesIds: ['X', 'Y', 'Z'], time: new Float64Array(T), runs: 2, data, events: 0 }, out);
    const expected = [0, 0];
    for (let run = 0; run < 2; run++) {
      const x = new Float32Array(T * 2);
      ['Y', 'X'].forEach((id, s) => {
        const row = ['X', 'Y', 'Z'].indexOf(id);
        for (let t = 0; t < T; t++) x[t * 2 + s] = (Math.log1p(data[(run * 3 + row) * T + t]) - spec.normalisation.mean[s]) / spec.normalisation.sd[s];
      });
      const y = tf.tidy(() => (built.model.predict(tf.tensor3d(x, [1, T, 2])) as tf.Tensor).dataSync());
      expected[0] += y[0] / 2;
      expected[1] += y[1] / 2;
    }
    expect(out[0]).toBeCloseTo(expected[0], 4);
    expect(out[1]).toBeCloseTo(expected[1], 4);
    built.model.dispose();
  });

  it('rejects a spec whose weights do not fit its layers, naming the field', () => {
    const graph = dnnGraph(1, { hidden: [3] });
    const built = buildModel(graph, 4, 1, 1);
    const spec = toNetworkSpec(built, {
      architecture: 'dnn',
      graph,
      species: ['A'],
      timePoints: 4,
      parameters: ['k'],
      lower: [0],
      upper: [1],
      normalisation: { transform: 'none', mean: [0], sd: [1] },
    });
    expect(() => createSummaryStatistics({ ...spec, timePoints: 5 })).toThrow(/statistics\.weights: expected \d+ float32 values for this network, got \d+/);
    expect(() => createSummaryStatistics({ ...spec, parameters: ['k', 'j'], lower: [0, 0], upper: [1, 1] })).toThrow(
      /statistics\.network\.layers: the network outputs 1 values; expected 2/,
    );
    built.model.dispose();
  });
});
