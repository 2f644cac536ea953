import { Xoshiro128 } from '../../../../engine/sample/random/Xoshiro128.js';

/** Two isotropic Gaussian blobs in 2-D (sd 1) centred at (-4, 0) and (4, 0); class = blob. */
export function twoBlobs(perBlob: number, seed: number, separation = 4): { rows: Float64Array[]; truth: Int32Array } {
  const rng = Xoshiro128.fromSeed(seed);
  const rows: Float64Array[] = [];
  const truth = new Int32Array(2 * perBlob);
  for (let i = 0; i < 2 * perBlob; i++) {
    const c = i < perBlob ? 0 : 1;
    truth[i] = c;
    rows.push(Float64Array.of((c === 0 ? -separation : separation) + rng.nextNormal(), rng.nextNormal()));
  }
  return { rows, truth };
}

/** Labels -1 except `perClass` points of each class (the first ones of each blob). */
export function fewLabels(truth: Int32Array, perBlob: number, perClass: number): Int32Array {
  const labels = new Int32Array(truth.length).fill(-1);
  for (let t = 0; t < perClass; t++) {
    labels[t] = truth[t];
    labels[perBlob + t] = truth[perBlob + t];
  }
  return labels;
}
