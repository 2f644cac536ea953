import { describe, expect, it } from 'vitest';
import { trajectoryMeanSd } from '../../../engine/stats/trajectoryBands.js';

describe('trajectoryMeanSd', () => {
  it('gives the mean and the sample sd (n - 1) across runs, point by point', () => {
    // Three runs of two points: (1, 10), (2, 20), (3, 60). Means 2 and 30; sds 1 and sqrt(((−20)² + (−10)² + 30²) / 2) = sqrt(700).
    const { mean, sd } = trajectoryMeanSd(Float64Array.of(1, 10, 2, 20, 3, 60), 3, 2);
    expect(mean).toEqual([2, 30]);
    expect(sd[0]).toBeCloseTo(1, 14);
    expect(sd[1]).toBeCloseTo(Math.sqrt(700), 12);
  });

  it('gives sd 0 for one run, and no cancellation for large equal values', () => {
    expect(trajectoryMeanSd(Float64Array.of(5, 6), 1, 2)).toEqual({ mean: [5, 6], sd: [0, 0] });
    const big = 1e9 + 0.5;
    const { sd } = trajectoryMeanSd(Float64Array.of(big, big, big), 3, 1);
    expect(sd[0]).toBe(0);
  });
});
