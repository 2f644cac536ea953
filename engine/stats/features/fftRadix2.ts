/**
 * In-place complex FFT of length m (a power of two) over (re, im):
 * X_k = sum_t z_t e^{-2 pi i k t / m}, or with `inverse` the unscaled
 * inverse (e^{+...}; divide by m yourself).
 *
 * Method: iterative radix-2 decimation in time with a bit-reversal
 * permutation (Cooley & Tukey 1965, doi:10.1090/S0025-5718-1965-0178586-1).
 * `cos`/`sin` are the twiddle tables of length m (twiddleFactors(m)).
 */
export function fftRadix2(re: Float64Array, im: Float64Array, m: number, cos: Float64Array, sin: Float64Array, inverse: boolean): void {
  for (let i = 1, j = 0; i < m; i++) {
    let bit = m >> 1;
    for (; j & bit; bit >>= 1) j ^= bit;
    j ^= bit;
    if (i < j) {
      let t = re[i];
      re[i] = re[j];
      re[j] = t;
      t = im[i];
      im[i] = im[j];
      im[j] = t;
    }
  }
  const sign = inverse ? 1 : -1;
  for (let size = 2; size <= m; size <<= 1) {
    const half = size >> 1;
    const step = m / size;
    for (let start = 0; start < m; start += size) {
      for (let k = 0, w = 0; k < half; k++, w += step) {
        const wr = cos[w];
        const wi = sign * sin[w];
        const a = start + k;
        const b = a + half;
        const tr = re[b] * wr - im[b] * wi;
        const ti = re[b] * wi + im[b] * wr;
        re[b] = re[a] - tr;
        im[b] = im[a] - ti;
        re[a] += tr;
        im[a] += ti;
      }
    }
  }
}
