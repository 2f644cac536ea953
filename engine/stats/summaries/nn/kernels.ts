/**
 * Inference kernels of the pure-TypeScript forward pass. Activations are
 * row-major [rows, cols] Float64Arrays; weights are Float32Array views of the
 * network's flat weight vector; every kernel writes into a caller-owned
 * `out`, so a forward pass allocates nothing.
 */

/**
 * 1-D convolution, stride 1, 'same' zero padding as TensorFlow pads it
 * (floor((k−1)/2) before, the rest after). Kernel row = tap · cin + channel.
 */
export function conv1d(
  x: Float64Array,
  rows: number,
  cin: number,
  kernel: Float32Array,
  bias: Float32Array,
  taps: number,
  filters: number,
  out: Float64Array,
): void {
  const before = (taps - 1) >> 1;
  for (let t = 0; t < rows; t++) {
    const o = t * filters;
    for (let f = 0; f < filters; f++) out[o + f] = bias[f];
    for (let k = 0; k < taps; k++) {
      const src = t + k - before;
      if (src < 0 || src >= rows) continue;
      for (let c = 0; c < cin; c++) {
        const v = x[src * cin + c];
        if (v === 0) continue;
        const w = (k * cin + c) * filters;
        for (let f = 0; f < filters; f++) out[o + f] += v * kernel[w + f];
      }
    }
  }
}

/** out[r, :] = x[r, :] · kernel + bias for every row. */
export function dense(x: Float64Array, rows: number, cin: number, kernel: Float32Array, bias: Float32Array, units: number, out: Float64Array): void {
  for (let r = 0; r < rows; r++) {
    const o = r * units;
    for (let u = 0; u < units; u++) out[o + u] = bias[u];
    for (let c = 0; c < cin; c++) {
      const v = x[r * cin + c];
      if (v === 0) continue;
      const w = c * units;
      for (let u = 0; u < units; u++) out[o + u] += v * kernel[w + u];
    }
  }
}

export function relu(x: Float64Array, length: number, out: Float64Array): void {
  for (let i = 0; i < length; i++) out[i] = x[i] > 0 ? x[i] : 0;
}

/** Max over non-overlapping windows of `size` rows; a ragged tail is dropped ('valid'). */
export function maxPool1d(x: Float64Array, rows: number, cols: number, size: number, out: Float64Array): void {
  const outRows = Math.floor(rows / size);
  for (let r = 0; r < outRows; r++) {
    for (let c = 0; c < cols; c++) {
      let m = -Infinity;
      for (let k = 0; k < size; k++) {
        const v = x[(r * size + k) * cols + c];
        if (v > m) m = v;
      }
      out[r * cols + c] = m;
    }
  }
}

/** Mean over rows: [rows, cols] → [1, cols]. */
export function globalAveragePool1d(x: Float64Array, rows: number, cols: number, out: Float64Array): void {
  for (let c = 0; c < cols; c++) out[c] = 0;
  for (let r = 0; r < rows; r++) for (let c = 0; c < cols; c++) out[c] += x[r * cols + c];
  for (let c = 0; c < cols; c++) out[c] /= rows;
}

/** Batch normalisation in inference mode (Ioffe & Szegedy 2015, arXiv:1502.03167), per column. */
export function batchNorm(
  x: Float64Array,
  rows: number,
  cols: number,
  gamma: Float32Array,
  beta: Float32Array,
  mean: Float32Array,
  variance: Float32Array,
  epsilon: number,
  out: Float64Array,
): void {
  for (let c = 0; c < cols; c++) {
    const scale = gamma[c] / Math.sqrt(variance[c] + epsilon);
    const shift = beta[c] - mean[c] * scale;
    for (let r = 0; r < rows; r++) out[r * cols + c] = x[r * cols + c] * scale + shift;
  }
}
