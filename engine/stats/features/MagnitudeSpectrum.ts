import { dftMagnitudes } from './dftMagnitudes.js';
import { fftRadix2 } from './fftRadix2.js';
import { twiddleFactors, type TwiddleFactors } from './twiddleFactors.js';

/** How a MagnitudeSpectrum computes: an FFT (radix-2, or Bluestein for other lengths) or the plain DFT. */
export type SpectrumMethod = 'auto' | 'fft' | 'dft';

/**
 * Below this length the plain O(n^2) DFT beats Bluestein's three-FFT detour
 * (measured on Node 20, see test/bench/features.bench.ts); powers of two
 * always take the radix-2 FFT.
 */
export const BLUESTEIN_MIN_LENGTH = 128;

/**
 * A plan for the magnitude spectrum |X_k|, k = 0..floor(n/2), of real series
 * of one length n (numpy's `np.abs(np.fft.rfft(x))`). It owns every buffer,
 * so `compute` allocates nothing.
 *
 * Method: for n a power of two, a radix-2 FFT; otherwise Bluestein's chirp-z
 * algorithm (Bluestein 1970, doi:10.1109/TAU.1970.1162132): with
 * w_j = e^{-i pi j^2 / n}, X_k = w_k sum_t (x_t w_t) conj(w_{k-t}), a
 * circular convolution of length m >= 2n - 1 (a power of two) done with
 * two FFTs, the chirp's transform being computed once here. |w_k| = 1, so
 * the magnitudes need no final chirp. j^2 is reduced mod 2n before taking
 * the angle, which keeps the chirp accurate for long series.
 */
export class MagnitudeSpectrum {
  readonly n: number;
  /** Number of magnitudes: floor(n / 2) + 1. */
  readonly size: number;
  readonly method: 'radix2' | 'bluestein' | 'dft';
  private readonly m: number;
  private readonly re: Float64Array;
  private readonly im: Float64Array;
  private readonly chirpRe: Float64Array;
  private readonly chirpIm: Float64Array;
  private readonly filterRe: Float64Array;
  private readonly filterIm: Float64Array;
  private readonly twiddles: TwiddleFactors;

  constructor(n: number, method: SpectrumMethod = 'auto') {
    this.n = n;
    this.size = (n >> 1) + 1;
    const powerOfTwo = n > 0 && (n & (n - 1)) === 0;
    if (method === 'dft' || (method === 'auto' && !powerOfTwo && n < BLUESTEIN_MIN_LENGTH)) this.method = 'dft';
    else this.method = powerOfTwo ? 'radix2' : 'bluestein';
    let m = 1;
    if (this.method === 'radix2') m = n;
    else if (this.method === 'bluestein') while (m < 2 * n - 1) m <<= 1;
    this.m = m;
    this.twiddles = twiddleFactors(this.method === 'dft' ? n : m);
    const buffer = this.method === 'dft' ? 0 : m;
    this.re = new Float64Array(buffer);
    this.im = new Float64Array(buffer);
    const chirp = this.method === 'bluestein' ? n : 0;
    this.chirpRe = new Float64Array(chirp);
    this.chirpIm = new Float64Array(chirp);
    this.filterRe = new Float64Array(this.method === 'bluestein' ? m : 0);
    this.filterIm = new Float64Array(this.filterRe.length);
    if (this.method === 'bluestein') this.prepareChirp();
  }

  private prepareChirp(): void {
    const { n, m } = this;
    for (let j = 0; j < n; j++) {
      const angle = (Math.PI * ((j * j) % (2 * n))) / n;
      this.chirpRe[j] = Math.cos(angle);
      this.chirpIm[j] = -Math.sin(angle);
      // The filter is conj(w_j) at j and at m - j (the negative lags).
      this.filterRe[j] = this.chirpRe[j];
      this.filterIm[j] = -this.chirpIm[j];
      if (j > 0) {
        this.filterRe[m - j] = this.chirpRe[j];
        this.filterIm[m - j] = -this.chirpIm[j];
      }
    }
    fftRadix2(this.filterRe, this.filterIm, m, this.twiddles.cos, this.twiddles.sin, false);
  }

  /** |X_0| .. |X_{size-1}| of x[offset .. offset + n) into out (length >= size). */
  compute(x: Float64Array, offset: number, out: Float64Array): Float64Array {
    const { n, m, re, im } = this;
    if (this.method === 'dft') return dftMagnitudes(x, offset, n, this.size, this.twiddles, out);
    if (this.method === 'radix2') {
      for (let t = 0; t < n; t++) {
        re[t] = x[offset + t];
        im[t] = 0;
      }
      fftRadix2(re, im, m, this.twiddles.cos, this.twiddles.sin, false);
      for (let k = 0; k < this.size; k++) out[k] = Math.sqrt(re[k] * re[k] + im[k] * im[k]);
      return out;
    }
    for (let t = 0; t < n; t++) {
      const v = x[offset + t];
      re[t] = v * this.chirpRe[t];
      im[t] = v * this.chirpIm[t];
    }
    re.fill(0, n);
    im.fill(0, n);
    fftRadix2(re, im, m, this.twiddles.cos, this.twiddles.sin, false);
    for (let k = 0; k < m; k++) {
      const a = re[k];
      const b = im[k];
      re[k] = a * this.filterRe[k] - b * this.filterIm[k];
      im[k] = a * this.filterIm[k] + b * this.filterRe[k];
    }
    fftRadix2(re, im, m, this.twiddles.cos, this.twiddles.sin, true);
    for (let k = 0; k < this.size; k++) out[k] = Math.sqrt(re[k] * re[k] + im[k] * im[k]) / m;
    return out;
  }
}
