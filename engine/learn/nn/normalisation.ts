import type { InputNormalisation } from '../../stats/index.js';

/** sign(x)·log(1 + |x|): the same transform NeuralNetworkStatistics applies before the network. */
export const signedLog1p = (v: number): number => (v >= 0 ? Math.log1p(v) : -Math.log1p(-v));

/**
 * Per-species mean and sd of the transformed training series ([n, T, S]),
 * stored with the network so inference scales inputs the same way.
 * A constant species gets sd 1 (it carries no information; keep it finite).
 */
export function fitNormalisation(inputs: Float32Array, channels: number, transform: 'log1p' | 'none'): InputNormalisation {
  const sum = new Float64Array(channels);
  const sumSq = new Float64Array(channels);
  const count = inputs.length / channels;
  for (let i = 0; i < inputs.length; i++) {
    const v = transform === 'log1p' ? signedLog1p(inputs[i]) : inputs[i];
    sum[i % channels] += v;
    sumSq[i % channels] += v * v;
  }
  const mean = Array.from(sum, (s) => s / count);
  const sd = mean.map((m, s) => {
    const variance = sumSq[s] / count - m * m;
    return variance > 1e-12 ? Math.sqrt(variance) : 1;
  });
  return { transform, mean, sd };
}

/** Apply a normalisation to [n, T, S] series, into a new array. */
export function normalise(inputs: Float32Array, channels: number, n: InputNormalisation): Float32Array {
  const out = new Float32Array(inputs.length);
  for (let i = 0; i < inputs.length; i++) {
    const s = i % channels;
    const v = n.transform === 'log1p' ? signedLog1p(inputs[i]) : inputs[i];
    out[i] = (v - n.mean[s]) / n.sd[s];
  }
  return out;
}
