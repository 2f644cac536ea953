/**
 * `npx tsx test/bench/accuracy/c2stSpeed.ts`: seconds per training epoch of
 * C2ST's classifier (16,000 rows, d → 10d → 10d → 1, batch 200, Adam) by
 * the hand-written typed-array MLP (engine/stats/c2st) and by TensorFlow.js
 * on its WebAssembly backend, for d = 2 and d = 10. The faster one is what
 * c2st uses; run it again after changing either.
 */
import * as tf from '@tensorflow/tfjs';
import { initLearnBackend } from '../../../engine/learn/backend.js';
import { Xoshiro128 } from '../../../engine/sample/random/Xoshiro128.js';
import { trainMlpClassifier } from '../../../engine/stats/c2st/index.js';

const rows = 16_000;
const epochs = 3;
const backend = await initLearnBackend('wasm');
for (const d of [2, 10]) {
  const rng = Xoshiro128.fromSeed(d);
  const x = Float64Array.from({ length: rows * d }, () => rng.nextNormal());
  const labels = Uint8Array.from({ length: rows }, (_, i) => i % 2);
  let started = performance.now();
  // tol = -Infinity: never stop early, so exactly `epochs` epochs run.
  trainMlpClassifier(x, labels, d, { hidden: [10 * d, 10 * d], maxEpochs: epochs, tol: -Infinity }, Xoshiro128.fromSeed(1));
  const ours = (performance.now() - started) / 1000 / epochs;

  const model = tf.sequential({
    layers: [
      tf.layers.dense({ inputShape: [d], units: 10 * d, activation: 'relu' }),
      tf.layers.dense({ units: 10 * d, activation: 'relu' }),
      tf.layers.dense({ units: 1, activation: 'sigmoid' }),
    ],
  });
  model.compile({ optimizer: tf.train.adam(1e-3), loss: 'binaryCrossentropy' });
  const xs = tf.tensor2d(Float32Array.from(x), [rows, d]);
  const ys = tf.tensor2d(Float32Array.from(labels), [rows, 1]);
  await model.fit(xs, ys, { batchSize: 200, epochs: 1, verbose: 0 }); // warm-up
  started = performance.now();
  await model.fit(xs, ys, { batchSize: 200, epochs, verbose: 0 });
  const tfjs = (performance.now() - started) / 1000 / epochs;
  tf.dispose([xs, ys]);
  model.dispose();
  console.log(`d = ${d}: hand-written ${ours.toFixed(3)} s/epoch, tfjs (${backend}) ${tfjs.toFixed(3)} s/epoch`);
}
