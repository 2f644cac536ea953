import { autocorrelationFunction } from '../features/autocorrelationFunction.js';
import { dftMagnitudes } from '../features/dftMagnitudes.js';
import { linearTrend } from '../features/linearTrend.js';
import { MagnitudeSpectrum } from '../features/MagnitudeSpectrum.js';
import { maximum } from '../features/maximum.js';
import { mean } from '../features/mean.js';
import { minimum } from '../features/minimum.js';
import { partialAutocorrelation } from '../features/partialAutocorrelation.js';
import { sortInto } from '../features/sortInto.js';
import { spectrumMoments } from '../features/spectrumMoments.js';
import { sum } from '../features/sum.js';
import { twiddleFactors, type TwiddleFactors } from '../features/twiddleFactors.js';
import { variance } from '../features/variance.js';

/** What the features of a plan need computed once per series before they are read. */
export interface SeriesNeeds {
  sorted: boolean;
  /** Highest autocorrelation lag needed, -1 for none. */
  acfMaxLag: number;
  /** Highest partial-autocorrelation lag needed, 0 for none. */
  pacfMaxLag: number;
  /** Highest FFT coefficient index needed, -1 for none. */
  fftMaxK: number;
  spectrum: boolean;
  trend: boolean;
}

export const noNeeds = (): SeriesNeeds => ({ sorted: false, acfMaxLag: -1, pacfMaxLag: 0, fftMaxK: -1, spectrum: false, trend: false });

const EMPTY = new Float64Array(0);

/**
 * The shared intermediate results of one series of length n (mean,
 * variance, sorted copy, autocorrelations, spectrum, trend), computed once
 * by `load` and read by every feature of the series. Owns all its buffers:
 * after construction nothing is allocated. One workspace serves every
 * series of the same length, one after the other.
 */
export class SeriesWorkspace {
  readonly n: number;
  readonly needs: SeriesNeeds;
  x: Float64Array = EMPTY;
  offset = 0;
  sum = NaN;
  mean = NaN;
  variance = NaN;
  standardDeviation = NaN;
  minimum = NaN;
  maximum = NaN;
  /** The series sorted ascending (if needed). */
  readonly sorted: Float64Array;
  /** x - mean (if autocorrelations are needed). */
  readonly centered: Float64Array;
  readonly acf: Float64Array;
  readonly pacf: Float64Array;
  /** Scratch for the median of autocorrelations (sorted copy). */
  readonly aggregateScratch: Float64Array;
  /** |X_k| for k = 0..floor(n/2) if the spectrum is needed, else the first fftMaxK + 1. */
  readonly magnitudes: Float64Array;
  /** Spectrum centroid, variance, skew, kurtosis. */
  readonly spectrumMoments = new Float64Array(4);
  /** Linear trend slope, intercept, r-value, stderr. */
  readonly trend = new Float64Array(4);
  private readonly pacfScratch: Float64Array;
  private readonly spectrumPlan: MagnitudeSpectrum | undefined;
  private readonly twiddles: TwiddleFactors | undefined;

  constructor(n: number, needs: SeriesNeeds) {
    this.n = n;
    this.needs = needs;
    this.sorted = new Float64Array(needs.sorted ? n : 0);
    const acfLags = Math.max(needs.acfMaxLag, needs.pacfMaxLag);
    this.centered = new Float64Array(acfLags >= 0 ? n : 0);
    this.acf = new Float64Array(acfLags + 1);
    this.aggregateScratch = new Float64Array(acfLags + 1);
    this.pacf = new Float64Array(needs.pacfMaxLag + 1);
    this.pacfScratch = new Float64Array(2 * (needs.pacfMaxLag + 1));
    this.spectrumPlan = needs.spectrum ? new MagnitudeSpectrum(n) : undefined;
    this.twiddles = !needs.spectrum && needs.fftMaxK >= 0 ? twiddleFactors(n) : undefined;
    this.magnitudes = new Float64Array(needs.spectrum ? (n >> 1) + 1 : needs.fftMaxK + 1);
  }

  /** Compute the intermediate results of x[offset .. offset + n). */
  load(x: Float64Array, offset: number): void {
    const { n, needs } = this;
    this.x = x;
    this.offset = offset;
    this.sum = sum(x, offset, n);
    this.minimum = minimum(x, offset, n);
    this.maximum = maximum(x, offset, n);
    // A constant series gets its value as mean exactly, hence deviations of exactly 0.
    this.mean = this.minimum === this.maximum ? this.minimum : mean(x, offset, n);
    this.variance = variance(x, offset, n, this.mean);
    this.standardDeviation = Math.sqrt(this.variance);
    if (needs.sorted) sortInto(x, offset, n, this.sorted);
    const acfLags = Math.max(needs.acfMaxLag, needs.pacfMaxLag);
    if (acfLags >= 0) {
      for (let i = 0; i < n; i++) this.centered[i] = x[offset + i] - this.mean;
      autocorrelationFunction(this.centered, 0, n, 0, this.variance, acfLags, this.acf);
    }
    if (needs.pacfMaxLag > 0) partialAutocorrelation(this.acf, needs.pacfMaxLag, this.pacf, this.pacfScratch);
    if (this.spectrumPlan) {
      this.spectrumPlan.compute(x, offset, this.magnitudes);
      spectrumMoments(this.magnitudes, this.spectrumPlan.size, this.spectrumMoments);
    } else if (this.twiddles) {
      dftMagnitudes(x, offset, n, needs.fftMaxK + 1, this.twiddles, this.magnitudes);
    }
    if (needs.trend) linearTrend(x, offset, n, this.mean, this.trend);
  }
}
