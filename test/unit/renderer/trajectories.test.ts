import { describe, expect, it } from 'vitest';
import { histogram, meanOf, valueAt, type TrajectorySet } from '../../../renderer/src/charts/trajectories';

describe('trajectory chart data', () => {
  // 2 runs × 2 species × 3 time points, row-major.
  const set: TrajectorySet = { time: [0, 1, 2], species: ['A', 'B'], count: 2, data: [1, 2, 3, 10, 20, 30, 3, 4, Number.NaN, 30, 40, 50] };

  it('reads run × species × time values', () => {
    expect(valueAt(set, 0, 1, 2)).toBe(30);
    expect(valueAt(set, 1, 0, 1)).toBe(4);
  });

  it('averages over runs per time point, skipping missing values', () => {
    expect(meanOf(set, 0)).toEqual([2, 3, 3]);
    expect(meanOf(set, 1)).toEqual([20, 30, 40]);
  });

  it('bins values over the given bounds, or over the data range', () => {
    const h = histogram([0, 0.1, 0.6, 1, 2], 2, 0, 1);
    expect(h.counts).toEqual([2, 2]);
    expect(h.centres).toEqual([0.25, 0.75]);
    expect(histogram([5, 5], 4).width).toBe(0.25);
    expect(histogram([], 3).centres).toEqual([]);
  });
});
