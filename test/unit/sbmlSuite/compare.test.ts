import { describe, expect, it } from 'vitest';
import { compareWithExpected, parseSuiteResults, parseSuiteSettings, withinTolerance } from '../../../engine/sbmlSuite/index.js';

describe('withinTolerance: |sim − exp| <= absolute + relative·|exp|', () => {
  it('accepts exactly at the bound and refuses just beyond it', () => {
    // absolute 0.5 + relative 0.25 · |−4| = 1.5, all exact in binary floating point.
    expect(withinTolerance(-2.5, -4, 0.5, 0.25)).toBe(true);
    expect(withinTolerance(-5.5, -4, 0.5, 0.25)).toBe(true);
    expect(withinTolerance(-5.5000001, -4, 0.5, 0.25)).toBe(false);
    expect(withinTolerance(0.5, 0, 0.5, 0.25)).toBe(true);
    expect(withinTolerance(-0.5000001, 0, 0.5, 0.25)).toBe(false);
  });

  it('matches NaN with NaN only and an infinity with the same infinity only', () => {
    expect(withinTolerance(NaN, NaN, 1, 1)).toBe(true);
    expect(withinTolerance(0, NaN, 1, 1)).toBe(false);
    expect(withinTolerance(NaN, 0, 1, 1)).toBe(false);
    expect(withinTolerance(Infinity, Infinity, 1, 1)).toBe(true);
    expect(withinTolerance(-Infinity, Infinity, 1, 1)).toBe(false);
    expect(withinTolerance(1e308, Infinity, 1, 1)).toBe(false);
    expect(withinTolerance(Infinity, 1e308, 1, 1)).toBe(false);
  });
});

describe('compareWithExpected', () => {
  const settings = parseSuiteSettings('start: 0\nduration: 2\nsteps: 2\nvariables: A, B\nabsolute: 0.001\nrelative: 0.001\namount: A\nconcentration: B\n', 's');
  const expected = parseSuiteResults('time,A,B\n0,1,10\n1,2,20\n2,3,30\n', 'r');

  it('passes when every variable is within tolerance at every time', () => {
    const series = new Map([
      ['A', [1.0005, 2.002, 3.003]],
      ['B', [10, 20.02, 30]],
    ]);
    expect(compareWithExpected(settings, expected, (v) => series.get(v))).toEqual({ kind: 'pass', points: 6 });
  });

  it('names the earliest failing point (then the first variable there) and counts the failing points', () => {
    // At t=1: A allowed ±0.003 (fails by 0.01), B allowed ±0.021 (fails by 0.5); at t=2 A fails again.
    const series = new Map([
      ['A', [1, 2.01, 3.1]],
      ['B', [10, 20.5, 30]],
    ]);
    expect(compareWithExpected(settings, expected, (v) => series.get(v))).toEqual({
      kind: 'wrong',
      variable: 'A',
      time: 1,
      simulated: 2.01,
      expected: 2,
      allowed: 0.001 + 0.001 * 2,
      failedPoints: 3,
      points: 6,
    });
  });

  it('reports a variable the simulation lacks', () => {
    expect(compareWithExpected(settings, expected, (v) => (v === 'A' ? [1, 2, 3] : undefined))).toEqual({ kind: 'missing', variable: 'B' });
  });
});
