import { describe, expect, it } from 'vitest';
import * as f from '../../../engine/stats/features/index.js';

/**
 * Every kernel on one small series, against numpy 2.4 (the script's lines are
 * quoted next to each value). pandas/scipy/statsmodels formulas are written
 * out in numpy where tsfresh calls them. Tolerance: 1e-12 relative: the
 * kernels sum at most a few hundred terms of size ~10^2, so round-off is
 * around 1e-14; 1e-12 leaves room for a different summation order.
 */
const x = Float64Array.from([3, 1, 4, 1, 5, 9, 2, 6, 5, 3, 5, 8]);
const n = x.length;
const TOLERANCE = 1e-12;

function close(actual: number, expected: number, tolerance = TOLERANCE): void {
  expect(Math.abs(actual - expected)).toBeLessThanOrEqual(tolerance * Math.max(1, Math.abs(expected)));
}

/** The same series at an offset inside a larger buffer, as series sit in an ensemble. */
const padded = new Float64Array(5 + n + 3).fill(-99);
padded.set(x, 5);

describe('feature kernels on [3,1,4,1,5,9,2,6,5,3,5,8]', () => {
  const mean = f.mean(x, 0, n);
  const variance = f.variance(x, 0, n, mean);

  it('minimal set: sum, mean, variance, standard deviation, min, max, median', () => {
    close(f.sum(x, 0, n), 52); // x.sum()
    close(mean, 52 / 12); // x.mean()
    close(variance, 5.888888888888889); // x.var()
    close(f.standardDeviation(x, 0, n, mean), 2.4267032964268394); // x.std()
    expect(f.minimum(x, 0, n)).toBe(1);
    expect(f.maximum(x, 0, n)).toBe(9);
    const sorted = f.sortInto(x, 0, n, new Float64Array(n));
    close(f.quantileOfSorted(sorted, n, 0.5), 4.5); // np.median(x): (4 + 5) / 2
  });

  it('reads a series at an offset without touching its neighbours', () => {
    close(f.sum(padded, 5, n), 52);
    close(f.mean(padded, 5, n), 52 / 12);
    expect(f.minimum(padded, 5, n)).toBe(1);
    expect(f.numberPeaks(padded, 5, n, 1)).toBe(3);
  });

  it('quantiles by linear interpolation (np.quantile)', () => {
    const sorted = f.sortInto(x, 0, n, new Float64Array(n));
    const expected: Array<[number, number]> = [
      [0.1, 1.1],
      [0.25, 2.75],
      [0.75, 5.25],
      [0.9, 7.800000000000001],
      [0, 1],
      [1, 9],
    ];
    for (const [q, value] of expected) close(f.quantileOfSorted(sorted, n, q), value);
  });

  it('skewness and kurtosis (pandas: adjusted Fisher-Pearson G1, excess G2)', () => {
    // n sqrt(n-1)/(n-2) m3/m2^1.5 and n(n+1)(n-1) m4/((n-2)(n-3) m2^2) - 3(n-1)^2/((n-2)(n-3)), m_k = sum d^k
    close(f.skewness(x, 0, n, mean), 0.4347364122867455);
    close(f.kurtosis(x, 0, n, mean), -0.42057671769312854);
  });

  it('autocorrelation (tsfresh: sum d_t d_{t+l} / ((n - l) var)) and its aggregates over lags 1..11', () => {
    const expected: Array<[number, number]> = [
      [1, -0.0840480274442539],
      [2, -0.10566037735849056],
      [3, 0.36477987421383645],
      [5, -0.18328840970350402],
      [10, -1.1132075471698113],
    ];
    for (const [lag, value] of expected) close(f.autocorrelation(x, 0, n, lag, mean, variance), value);
    const acf = f.autocorrelationFunction(x, 0, n, mean, variance, 40, new Float64Array(41));
    expect(acf[0]).toBe(1);
    expect(acf[12]).toBeNaN(); // lag >= n
    const scratch = new Float64Array(40);
    // lags = min(n - 1, 40) = 11; np.mean / np.median / np.var of acf[1:12]
    close(f.aggregatedAutocorrelation(acf, 11, 'mean', scratch), -0.22553258633876128);
    close(f.aggregatedAutocorrelation(acf, 11, 'median', scratch), -0.12830188679245288);
    close(f.aggregatedAutocorrelation(acf, 11, 'variance', scratch), 0.2043585419301775);
  });

  it('partial autocorrelation: Durbin-Levinson equals the last Yule-Walker coefficient (np.linalg.solve on the Toeplitz system)', () => {
    const acf = f.autocorrelationFunction(x, 0, n, mean, variance, 5, new Float64Array(6));
    const pacf = f.partialAutocorrelation(acf, 5, new Float64Array(6), new Float64Array(12));
    const expected = [1, -0.0840480274442539, -0.11352640686483667, 0.3523475515812314, -0.5076136049773403, -0.13749522122189956];
    expected.forEach((value, k) => close(pacf[k], value, 1e-10)); // linear solves lose a few digits more
  });

  it('counts and longest strikes relative to the mean (4.33)', () => {
    expect(f.countAboveMean(x, 0, n, mean)).toBe(6); // 5 9 6 5 5 8
    expect(f.countBelowMean(x, 0, n, mean)).toBe(6);
    expect(f.longestStrikeAboveMean(x, 0, n, mean)).toBe(2); // 5 9
    expect(f.longestStrikeBelowMean(x, 0, n, mean)).toBe(4); // 3 1 4 1
  });

  it('number of peaks with support 1, 3, 5', () => {
    // support 1: 4 (i=2), 9 (i=5), 6 (i=7); support 3: 9 only; support 5: 9 (i=5 needs 5 on each side: 0..10)
    expect(f.numberPeaks(x, 0, n, 1)).toBe(3);
    expect(f.numberPeaks(x, 0, n, 3)).toBe(1);
    expect(f.numberPeaks(x, 0, n, 5)).toBe(1);
    expect(f.numberPeaks(x, 0, n, 6)).toBe(0); // 2 * 6 + 1 > n
  });

  it('FFT coefficients |rfft(x)[k]| and spectrum moments weighted by |X_k|', () => {
    const magnitudes = new f.MagnitudeSpectrum(n).compute(x, 0, new Float64Array(7));
    const expected = [52, 6.762547656583935, 10.14889156509222, 2.8284271247461903, 14.730919862656233];
    expected.forEach((value, k) => close(magnitudes[k], value, 1e-10));
    const dft = f.dftMagnitudes(x, 0, n, 8, f.twiddleFactors(n), new Float64Array(8));
    expected.forEach((value, k) => close(dft[k], value, 1e-10));
    expect(dft[7]).toBeNaN(); // past the Nyquist index 6
    // w = F / F.sum(); centroid sum k w; central moments sum (k - mu)^p w
    const moments = f.spectrumMoments(magnitudes, 7, new Float64Array(4));
    close(moments[0], 1.5569023508866338, 1e-10);
    close(moments[1], 3.918526423631276, 1e-10);
    close(moments[2], 0.8548326258005756, 1e-10);
    close(moments[3], 2.2271289216153116, 1e-10);
  });

  it('linear trend against the sample index (np.linalg.lstsq, np.corrcoef, residual standard error)', () => {
    const trend = f.linearTrend(x, 0, n, mean, new Float64Array(4));
    close(trend[0], 0.3496503496503496);
    close(trend[1], 2.41025641025641);
    close(trend[2], 0.4973872890601887);
    close(trend[3], 0.19285153024072232, 1e-10);
  });

  it('mean absolute change inside the 0.2-0.8 quantile corridor [2.2, 5.8]', () => {
    // steps with both ends inside: 3->4 (|1|) is not (1 outside)... inside values 3,4,5,2,5,3,5: pairs (5,3),(3,5) only -> mean 2
    close(f.meanAbsoluteChangeInCorridor(x, 0, n, 2.2, 5.800000000000001), 2);
    expect(f.meanAbsoluteChangeInCorridor(x, 0, n, 4, 4)).toBe(0); // equal edges: tsfresh returns 0
  });

  it('burstiness (Goh-Barabasi) and its finite-size form (Kim-Jo)', () => {
    const sd = Math.sqrt(variance);
    close(f.burstiness(mean, sd), -0.28204433516126315); // (s - m) / (s + m)
    close(f.finiteSizeBurstiness(mean, sd, n), -0.30777121463571333); // (sqrt(n+1) r - sqrt(n-1)) / ((sqrt(n+1) - 2) r + sqrt(n-1))
  });

  it('Pearson correlation (np.corrcoef)', () => {
    const y = Float64Array.from([2, 7, 1, 8, 2, 8, 1, 8, 2, 8, 4, 5]);
    close(f.pearsonCorrelation(x, 0, mean, y, 0, f.mean(y, 0, n), n), 0.09979900759721555);
    close(f.pearsonCorrelation(x, 0, mean, x, 0, mean, n), 1);
  });

  it('comprehensive extras: abs energy, absolute sum of changes, mean change, RMS, CID complexity', () => {
    close(f.absEnergy(x, 0, n), 296);
    close(f.absoluteSumOfChanges(x, 0, n), 35);
    close(f.meanChange(x, 0, n), 5 / 11); // (8 - 3) / 11
    close(f.rootMeanSquare(x, 0, n), 4.96655480858378);
    close(f.complexityEstimate(x, 0, n, NaN), 11.704699910719626);
    close(f.complexityEstimate(x, 0, n, Math.sqrt(variance)), 4.823292541759853);
  });
});

describe('degenerate series: NaN for correlation-type features, never a throw or Infinity', () => {
  const constant = new Float64Array(50).fill(0.1);
  const n = constant.length;
  const mean = f.mean(constant, 0, n);

  it('the mean of a constant series is its value exactly, so deviations are exactly 0', () => {
    expect(mean).toBe(0.1);
    expect(f.variance(constant, 0, n, mean)).toBe(0);
  });

  it('correlation-type and standardised features are NaN', () => {
    expect(f.autocorrelation(constant, 0, n, 1, mean, 0)).toBeNaN();
    const acf = f.autocorrelationFunction(constant, 0, n, mean, 0, 5, new Float64Array(6));
    expect(f.aggregatedAutocorrelation(acf, 5, 'median', new Float64Array(5))).toBeNaN();
    const pacf = f.partialAutocorrelation(acf, 5, new Float64Array(6), new Float64Array(12));
    for (let k = 1; k <= 5; k++) expect(pacf[k]).toBeNaN();
    expect(f.skewness(constant, 0, n, mean)).toBeNaN();
    expect(f.kurtosis(constant, 0, n, mean)).toBeNaN();
    expect(f.pearsonCorrelation(constant, 0, mean, constant, 0, mean, n)).toBeNaN();
    expect(f.linearTrend(constant, 0, n, mean, new Float64Array(4))[2]).toBeNaN();
    const spectrum = f.spectrumMoments(new f.MagnitudeSpectrum(n).compute(constant, 0, new Float64Array(26)), 26, new Float64Array(4));
    // All power at k = 0, up to the FFT's round-off (|X_k| ~ 1e-15 |X_0| for k > 0).
    expect(spectrum[0]).toBeLessThan(1e-10);
    expect(spectrum[1]).toBeLessThan(1e-10);
    expect(spectrum[2]).toBeNaN();
  });

  it('defined features keep their values; burstiness of a regular series is -1', () => {
    expect(f.countAboveMean(constant, 0, n, mean)).toBe(0);
    expect(f.longestStrikeBelowMean(constant, 0, n, mean)).toBe(0);
    expect(f.linearTrend(constant, 0, n, mean, new Float64Array(4))[3]).toBe(0);
    expect(f.burstiness(mean, 0)).toBe(-1);
    expect(f.finiteSizeBurstiness(mean, 0, n)).toBe(-1);
  });

  it('all-zero series: burstiness and spectrum moments NaN rather than Infinity', () => {
    const zeros = new Float64Array(8);
    expect(f.burstiness(0, 0)).toBeNaN();
    expect(f.finiteSizeBurstiness(0, 0, 8)).toBeNaN();
    const spectrum = f.spectrumMoments(new f.MagnitudeSpectrum(8).compute(zeros, 0, new Float64Array(5)), 5, new Float64Array(4));
    expect(Array.from(spectrum).every(Number.isNaN)).toBe(true);
  });

  it('series too short for a feature give NaN', () => {
    const two = Float64Array.from([1, 2]);
    expect(f.skewness(two, 0, 2, 1.5)).toBeNaN();
    expect(f.kurtosis(Float64Array.from([1, 2, 3]), 0, 3, 2)).toBeNaN();
    expect(f.autocorrelation(two, 0, 2, 2, 1.5, 0.25)).toBeNaN();
    expect(f.linearTrend(two, 0, 2, 1.5, new Float64Array(4))[3]).toBeNaN();
    expect(f.mean(two, 0, 0)).toBeNaN();
  });
});
