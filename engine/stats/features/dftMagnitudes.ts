import type { TwiddleFactors } from './twiddleFactors.js';

/**
 * |X_k| for k = 0..count-1 of the real DFT X_k = sum_t x_t e^{-2 pi i k t / n}
 * (numpy's `np.abs(np.fft.rfft(x))[k]`, tsfresh's `fft_coefficient` with
 * attr "abs"), straight from the definition with a twiddle table of length
 * n. Costs count * n multiply-adds: for the handful of low coefficients a
 * feature set asks for this beats any FFT (see the benchmark). Coefficients
 * past the Nyquist index floor(n / 2) do not exist in a real DFT: NaN.
 */
export function dftMagnitudes(x: Float64Array, offset: number, n: number, count: number, twiddles: TwiddleFactors, out: Float64Array): Float64Array {
  const { cos, sin } = twiddles;
  const last = n >> 1;
  for (let k = 0; k < count; k++) {
    if (k > last || n === 0) {
      out[k] = NaN;
      continue;
    }
    let re = 0;
    let im = 0;
    let j = 0;
    for (let t = 0; t < n; t++) {
      const v = x[offset + t];
      re += v * cos[j];
      im -= v * sin[j];
      j += k;
      if (j >= n) j -= n;
    }
    out[k] = Math.sqrt(re * re + im * im);
  }
  return out;
}
