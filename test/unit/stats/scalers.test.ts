import { describe, expect, it } from 'vitest';
import {
  createScaler,
  dropUninformativeFeatures,
  fitMinMaxScaler,
  fitRobustScaler,
  fitScaler,
  fitStandardScaler,
  FeatureShapeError,
  SCALER_KINDS,
  selectFeatures,
} from '../../../engine/stats/index.js';

/** Prior-predictive rows: a spread column, one with a NaN, a constant one. */
const rows = [
  [1, 10, 7],
  [2, NaN, 7],
  [3, 30, 7],
  [4, 40, 7],
  [5, 50, 7],
].map((r) => Float64Array.from(r));

describe('scalers fitted on prior-predictive rows', () => {
  it('standard: mean and population SD of the finite values; a constant column gets scale 1', () => {
    const scaler = fitStandardScaler(rows);
    // column 0: mean 3, var (4 + 1 + 0 + 1 + 4) / 5 = 2; column 1 (10, 30, 40, 50): mean 32.5, var 875 / 4
    expect(Array.from(scaler.center)).toEqual([3, 32.5, 7]);
    expect(scaler.scale[0]).toBeCloseTo(Math.SQRT2, 14);
    expect(scaler.scale[1]).toBeCloseTo(Math.sqrt(875 / 4), 12);
    expect(scaler.scale[2]).toBe(1);
  });

  it('min-max maps the fitted range onto [0, 1]', () => {
    const scaler = fitMinMaxScaler(rows);
    expect(Array.from(scaler.center)).toEqual([1, 10, 7]);
    expect(Array.from(scaler.scale)).toEqual([4, 40, 1]);
    expect(Array.from(scaler.transform(rows[4], new Float64Array(3)))).toEqual([1, 1, 0]);
  });

  it('robust: median and interquartile range (linear interpolation)', () => {
    const scaler = fitRobustScaler(rows);
    // column 0: median 3, q25 = 2, q75 = 4; column 1 (10, 30, 40, 50): median 35, q25 = 25, q75 = 42.5
    expect(Array.from(scaler.center)).toEqual([3, 35, 7]);
    expect(Array.from(scaler.scale)).toEqual([2, 17.5, 1]);
  });

  it.each(SCALER_KINDS)('%s: transform then inverse returns the input; NaN passes through; JSON rebuilds it exactly', (kind) => {
    const scaler = fitScaler(kind, rows);
    const z = new Float64Array(3);
    const back = new Float64Array(3);
    for (const row of rows) {
      scaler.inverseTransform(scaler.transform(row, z), back);
      row.forEach((v, j) =>
        Number.isNaN(v) ? expect(back[j]).toBeNaN() : expect(Math.abs(back[j] - v)).toBeLessThanOrEqual(1e-12 * Math.max(1, Math.abs(v))),
      );
    }
    const rebuilt = createScaler(JSON.parse(JSON.stringify(scaler.toJSON())));
    expect(rebuilt.kind).toBe(kind);
    const x = Float64Array.from([2.5, 33, 8]);
    expect(Array.from(rebuilt.transform(x, new Float64Array(3)))).toEqual(Array.from(scaler.transform(x, new Float64Array(3))));
  });

  it('standardised prior rows have mean 0 and SD 1 per spread column', () => {
    const scaler = fitStandardScaler(rows);
    const column = rows.map((row) => scaler.transform(row, new Float64Array(3))[0]);
    expect(column.reduce((s, v) => s + v, 0)).toBeCloseTo(0, 14);
    expect(column.reduce((s, v) => s + v * v, 0) / column.length).toBeCloseTo(1, 14);
  });

  it('wrong lengths are FeatureShapeErrors', () => {
    const scaler = fitStandardScaler(rows);
    expect(() => scaler.transform(new Float64Array(2), new Float64Array(3))).toThrow(FeatureShapeError);
    expect(() => fitStandardScaler([new Float64Array(2), new Float64Array(3)])).toThrow(FeatureShapeError);
  });
});

describe('dropUninformativeFeatures', () => {
  it('keeps spread finite columns and says why each other one is dropped', () => {
    const prior = [
      [1, 5, 2, 0],
      [2, NaN, 2, 1],
      [3, 6, 2, Infinity],
    ].map((r) => Float64Array.from(r));
    const selection = dropUninformativeFeatures(prior, ['A:mean', 'A:autocorrelation_lag1', 'Da:maximum', 'A:kurtosis']);
    expect(selection.keep).toEqual([0]);
    expect(selection.dropped).toEqual([
      { index: 1, name: 'A:autocorrelation_lag1', reason: 'non-finite' },
      { index: 2, name: 'Da:maximum', reason: 'constant' },
      { index: 3, name: 'A:kurtosis', reason: 'non-finite' },
    ]);
    expect(Array.from(selectFeatures(prior[2], selection.keep, new Float64Array(1)))).toEqual([3]);
  });
});
