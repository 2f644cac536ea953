import { describe, expect, it } from 'vitest';
import { axisRange, binCount, column, extent, weightedHistogram, weightGrid } from '../../../renderer/src/components/plots/binning';

describe('posterior plot binning', () => {
  it('picks about sqrt(n) bins, between 8 and 40', () => {
    expect(binCount(0)).toBe(8);
    expect(binCount(400)).toBe(20);
    expect(binCount(1e6)).toBe(40);
  });

  it('gives a weighted density that integrates to one and clamps values outside the range into the edge bins', () => {
    const h = weightedHistogram([0.1, 0.1, 0.9, -5, 7, Number.NaN], [1, 1, 2, 1, 1, 1], 0, 1, 2);
    expect(h.edges).toEqual([0, 0.5, 1]);
    // bin 0: 0.1, 0.1 and the clamped -5 (weight 3); bin 1: 0.9 (2) and the clamped 7 (1); NaN skipped.
    expect(h.density[0]).toBeCloseTo(3 / (6 * 0.5), 12);
    expect(h.density[1]).toBeCloseTo(3 / (6 * 0.5), 12);
    const integral = h.density.reduce((s, d) => s + d * 0.5, 0);
    expect(integral).toBeCloseTo(1, 12);
  });

  it('skips zero and negative weights, and is all zeros when nothing is left', () => {
    expect(weightedHistogram([0.2, 0.7], [0, -1], 0, 1, 4).density).toEqual([0, 0, 0, 0]);
  });

  it('widens a degenerate extent and ignores non-finite values', () => {
    expect(extent([3, Number.POSITIVE_INFINITY, 3])).toEqual([1.5, 4.5]);
    expect(extent([0, 0])).toEqual([-0.5, 0.5]);
    expect(extent([])).toEqual([0, 1]);
    expect(extent([2, -1, 5])).toEqual([-1, 5]);
  });

  it('shows the prior range padded by 3%, or the particles when the prior is unbounded', () => {
    expect(axisRange(0, 10, [100])).toEqual([-0.3, 10.3]);
    const [lo, hi] = axisRange(0, Number.POSITIVE_INFINITY, [2, 4]);
    expect(lo).toBeCloseTo(1.94, 12);
    expect(hi).toBeCloseTo(4.06, 12);
  });

  it('reads one column of a row-major matrix', () => {
    expect(Array.from(column([1, 2, 3, 4, 5, 6], 3, 1))).toEqual([2, 5]);
  });

  it('puts weight shares in 2-D cells that sum to one, leaving empty cells out', () => {
    const { cells, max } = weightGrid([0.1, 0.1, 0.9], [0.1, 0.1, 0.9], [1, 1, 2], [0, 1], [0, 1], 2, 2);
    expect(cells).toHaveLength(2);
    expect(cells.reduce((s, c) => s + c[4], 0)).toBeCloseTo(1, 12);
    expect(max).toBeCloseTo(0.5, 12);
    expect(cells[0].slice(0, 4)).toEqual([0, 0.5, 0, 0.5]);
  });
});
