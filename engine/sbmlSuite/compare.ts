/**
 * The SBML Test Suite's acceptance rule: a simulated value passes when
 * |simulated − expected| <= absolute + relative·|expected|; an expected NaN
 * is matched by NaN only, an expected ±Infinity by the same infinity only.
 */
import type { SuiteSettings } from './settings.js';
import type { SuiteResults } from './results.js';

export function withinTolerance(simulated: number, expected: number, absolute: number, relative: number): boolean {
  if (Number.isNaN(expected)) return Number.isNaN(simulated);
  if (!Number.isFinite(expected)) return simulated === expected;
  return Math.abs(simulated - expected) <= absolute + relative * Math.abs(expected);
}

export type Comparison =
  | { kind: 'pass'; points: number }
  /** The earliest failing point (ties: the first variable in the settings' order), and how many points fail. */
  | { kind: 'wrong'; variable: string; time: number; simulated: number; expected: number; allowed: number; failedPoints: number; points: number }
  | { kind: 'missing'; variable: string }
  | { kind: 'no-expected-column'; variable: string };

/**
 * Compare every reported variable at every output time. `series(variable)`
 * gives the simulated values on the same grid as `expected.time` (as amount
 * or concentration per the settings), or undefined when the model lacks it.
 */
export function compareWithExpected(settings: SuiteSettings, expected: SuiteResults, series: (variable: string) => ArrayLike<number> | undefined): Comparison {
  const columns: Array<{ variable: string; want: Float64Array; got: ArrayLike<number> }> = [];
  for (const variable of settings.variables) {
    const want = expected.columns.get(variable);
    if (!want) return { kind: 'no-expected-column', variable };
    const got = series(variable);
    if (!got) return { kind: 'missing', variable };
    columns.push({ variable, want, got });
  }
  const nT = expected.time.length;
  const points = nT * columns.length;
  let first: Extract<Comparison, { kind: 'wrong' }> | undefined;
  let failedPoints = 0;
  for (let g = 0; g < nT; g++) {
    for (const { variable, want, got } of columns) {
      if (withinTolerance(got[g], want[g], settings.absolute, settings.relative)) continue;
      failedPoints++;
      first ??= {
        kind: 'wrong',
        variable,
        time: expected.time[g],
        simulated: got[g],
        expected: want[g],
        allowed: settings.absolute + settings.relative * Math.abs(want[g]),
        failedPoints: 0,
        points,
      };
    }
  }
  return first ? { ...first, failedPoints } : { kind: 'pass', points };
}
