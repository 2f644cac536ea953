import { describe, expect, it } from 'vitest';
import { Xoshiro128 } from '../../../engine/sample/random/Xoshiro128.js';
import * as f from '../../../engine/stats/features/index.js';

/** x_t = phi1 x_{t-1} + phi2 x_{t-2} + e_t, e ~ N(0, 1), after a burn-in of 1000 steps. */
function autoregressive(n: number, phi1: number, phi2: number, seed: number): Float64Array {
  const rng = Xoshiro128.fromSeed(seed);
  const x = new Float64Array(n);
  let a = 0;
  let b = 0;
  for (let t = -1000; t < n; t++) {
    const v = phi1 * a + phi2 * b + rng.nextNormal();
    b = a;
    a = v;
    if (t >= 0) x[t] = v;
  }
  return x;
}

function acfAndPacf(x: Float64Array, maxLag: number) {
  const n = x.length;
  const mean = f.mean(x, 0, n);
  const acf = f.autocorrelationFunction(x, 0, n, mean, f.variance(x, 0, n, mean), maxLag, new Float64Array(maxLag + 1));
  const pacf = f.partialAutocorrelation(acf, maxLag, new Float64Array(maxLag + 1), new Float64Array(2 * (maxLag + 1)));
  return { acf, pacf };
}

describe('autocorrelation and partial autocorrelation of autoregressive series (n = 20000, fixed seeds)', () => {
  const n = 20_000;

  it('AR(1), phi = 0.6: acf(k) = phi^k, pacf(1) = phi, pacf(k > 1) = 0', () => {
    const { acf, pacf } = acfAndPacf(autoregressive(n, 0.6, 0, 11), 10);
    // Bartlett: sd(r_k) <= sqrt((1 + phi^2) / ((1 - phi^2) n)) = 0.0103; tolerance 0.05 is about 5 sd.
    for (const k of [1, 2, 3, 5, 10]) expect(Math.abs(acf[k] - 0.6 ** k)).toBeLessThan(0.05);
    // sd(pacf_k) ~ 1 / sqrt(n) = 0.0071 beyond the order; sd(pacf_1) = sqrt((1 - phi^2) / n) = 0.0057; tolerance 0.035.
    expect(Math.abs(pacf[1] - 0.6)).toBeLessThan(0.035);
    for (let k = 2; k <= 10; k++) expect(Math.abs(pacf[k])).toBeLessThan(0.035);
  });

  it('AR(2), phi = (0.5, 0.3): pacf(1) = phi1 / (1 - phi2), pacf(2) = phi2, pacf(k > 2) = 0', () => {
    const { acf, pacf } = acfAndPacf(autoregressive(n, 0.5, 0.3, 12), 5);
    const rho1 = 0.5 / 0.7;
    const rho2 = 0.5 * rho1 + 0.3; // Yule-Walker
    // sd of r_1, r_2 for this AR(2) is below 0.01; tolerance 0.05.
    expect(Math.abs(acf[1] - rho1)).toBeLessThan(0.05);
    expect(Math.abs(acf[2] - rho2)).toBeLessThan(0.05);
    expect(Math.abs(pacf[1] - rho1)).toBeLessThan(0.035);
    expect(Math.abs(pacf[2] - 0.3)).toBeLessThan(0.035);
    for (let k = 3; k <= 5; k++) expect(Math.abs(pacf[k])).toBeLessThan(0.035);
  });

  it('white noise: aggregated autocorrelation over lags 1..40 is about 0', () => {
    const x = autoregressive(n, 0, 0, 13);
    const { acf } = acfAndPacf(x, 40);
    // Each r_k has sd 1/sqrt(n) = 0.0071; their mean over 40 lags about 0.0011; tolerance 0.01.
    expect(Math.abs(f.aggregatedAutocorrelation(acf, 40, 'mean', new Float64Array(40)))).toBeLessThan(0.01);
    expect(f.aggregatedAutocorrelation(acf, 40, 'variance', new Float64Array(40))).toBeLessThan(4 / n); // about 1 / n
  });
});

describe('magnitude spectrum: FFT (radix-2, Bluestein) and plain DFT against the textbook DFT', () => {
  /** |sum_t x_t e^{-2 pi i k t / n}| with the angle reduced exactly (k t mod n). */
  function naiveMagnitudes(x: Float64Array): Float64Array {
    const n = x.length;
    const out = new Float64Array((n >> 1) + 1);
    for (let k = 0; k < out.length; k++) {
      let re = 0;
      let im = 0;
      for (let t = 0; t < n; t++) {
        const angle = (2 * Math.PI * ((k * t) % n)) / n;
        re += x[t] * Math.cos(angle);
        im -= x[t] * Math.sin(angle);
      }
      out[k] = Math.hypot(re, im);
    }
    return out;
  }

  it.each([1, 2, 3, 5, 8, 12, 16, 100, 127, 128, 201, 256, 401, 1000])('n = %i, every method', (n) => {
    const rng = Xoshiro128.fromSeed(21, n);
    const x = Float64Array.from({ length: n }, () => Math.floor(rng.nextDouble() * 500));
    const expected = naiveMagnitudes(x);
    let l1 = 0;
    for (const v of x) l1 += Math.abs(v);
    // Error of an FFT grows like eps log2(m) * sum |x|; 1e-12 * sum |x| is ample and still catches any wrong bin.
    const tolerance = 1e-12 * l1 + 1e-300;
    for (const method of ['auto', 'fft', 'dft'] as const) {
      const plan = new f.MagnitudeSpectrum(n, method);
      expect(plan.size).toBe(expected.length);
      const got = plan.compute(x, 0, new Float64Array(plan.size));
      for (let k = 0; k < expected.length; k++) expect(Math.abs(got[k] - expected[k])).toBeLessThanOrEqual(tolerance);
    }
    const first = f.dftMagnitudes(x, 0, n, 5, f.twiddleFactors(n), new Float64Array(5));
    for (let k = 0; k < 5; k++) {
      if (k < expected.length) expect(Math.abs(first[k] - expected[k])).toBeLessThanOrEqual(tolerance);
      else expect(first[k]).toBeNaN();
    }
  });

  it('chooses radix-2 for powers of two, Bluestein for long odd lengths, the DFT for short ones', () => {
    expect(new f.MagnitudeSpectrum(256).method).toBe('radix2');
    expect(new f.MagnitudeSpectrum(201).method).toBe('bluestein');
    expect(new f.MagnitudeSpectrum(f.BLUESTEIN_MIN_LENGTH - 1).method).toBe('dft');
  });
});

describe('burstiness', () => {
  it('a periodic series of inter-event times (all equal) has B = B_n = -1', () => {
    const periodic = new Float64Array(200).fill(5);
    const mean = f.mean(periodic, 0, 200);
    const sd = f.standardDeviation(periodic, 0, 200, mean);
    expect(f.burstiness(mean, sd)).toBe(-1);
    expect(f.finiteSizeBurstiness(mean, sd, 200)).toBe(-1);
  });

  it('exponential inter-event times (a Poisson process) have B about 0', () => {
    const rng = Xoshiro128.fromSeed(31);
    const n = 20_000;
    const gaps = Float64Array.from({ length: n }, () => -Math.log(rng.nextOpenDouble()));
    const mean = f.mean(gaps, 0, n);
    const sd = f.standardDeviation(gaps, 0, n, mean);
    // The sample CV of n exponentials has sd about 1/sqrt(n) = 0.007, B about half that; tolerance 0.02.
    expect(Math.abs(f.burstiness(mean, sd))).toBeLessThan(0.02);
    expect(Math.abs(f.finiteSizeBurstiness(mean, sd, n))).toBeLessThan(0.02);
  });

  it('the most bursty finite sequence (one non-zero gap) has B_n = 1', () => {
    const n = 50;
    const gaps = new Float64Array(n);
    gaps[7] = 100;
    const mean = f.mean(gaps, 0, n);
    expect(f.finiteSizeBurstiness(mean, f.standardDeviation(gaps, 0, n, mean), n)).toBeCloseTo(1, 12);
  });
});
