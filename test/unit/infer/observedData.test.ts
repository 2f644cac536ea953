/** Observed time series from CSV: the simulate command's layout, and precise errors for bad files. */
import { describe, expect, it } from 'vitest';
import { ObservedDataError, parseObservedCsv } from '../../../engine/infer';

const parse = (text: string, species?: string[]) => parseObservedCsv(text, { source: 'data.csv', species });
const errorOf = (text: string, species?: string[]): string => {
  try {
    parse(text, species);
  } catch (error) {
    expect(error).toBeInstanceOf(ObservedDataError);
    return (error as Error).message;
  }
  throw new Error('expected an ObservedDataError');
};

describe('parseObservedCsv', () => {
  it('reads one trajectory from time + species columns', () => {
    const data = parse('time,A,B\n0,1,10\n1,2,20\n2.5,3,30\n');
    expect(data.speciesIds).toEqual(['A', 'B']);
    expect(Array.from(data.time)).toEqual([0, 1, 2.5]);
    expect(data.runs).toBe(1);
    expect(Array.from(data.data)).toEqual([1, 2, 3, 10, 20, 30]);
  });

  it('reads many trajectories in the layout of `sciope simulate --out x.csv`, selecting and ordering species', () => {
    const text = 'trajectory,time,X,Y,Z\r\n0,0,1,2,3\r\n0,5,4,5,6\r\n1,0,7,8,9\r\n1,5,10,11,12\r\n';
    const data = parse(text, ['Z', 'X']);
    expect(data.speciesIds).toEqual(['Z', 'X']);
    expect(data.runs).toBe(2);
    expect(data.labels).toEqual(['0', '1']);
    // data[(run * species + s) * time + g]
    expect(Array.from(data.data)).toEqual([3, 6, 1, 4, 9, 12, 7, 10]);
  });

  it('skips blank lines and # comments, and a UTF-8 byte order mark', () => {
    expect(parse('\uFEFF# measured 2024\ntime,A\n\n0,1\n# gap\n1,2\n\n').runs).toBe(1);
  });

  it.each([
    ['', 'data.csv: the file is empty; expected a header line such as "time,A,B"'],
    ['t,A\n0,1\n', 'data.csv: line 1: missing column "time"; the header has t, A'],
    ['time,A,A\n0,1,2\n', 'data.csv: line 1, column 3 (A): column "A" appears twice (columns 2 and 3)'],
    ['time\n0\n', 'data.csv: line 1: no species columns; expected columns after "time", e.g. "time,A,B"'],
    ['time,A\n', 'data.csv: line 1: no data rows after the header'],
    ['time,A,B\n0,1,2\n1,2\n', 'data.csv: line 3: expected 3 cells (time,A,B), found 2'],
    ['time,A\n0,1\n1,abc\n', 'data.csv: line 3, column 2 (A): "abc" is not a number'],
    ['time,A\n0,1\n1,NaN\n', 'data.csv: line 3, column 2 (A): NaN is not allowed; observed values must be numbers'],
    ['time,A\n0,1\n1,\n', 'data.csv: line 3, column 2 (A): empty cell; expected a number'],
    ['time,A\n0,1\n1,Infinity\n', 'data.csv: line 3, column 2 (A): "Infinity" is not a finite number'],
    ['time,A\n0,1\n2,1\n1,1\n', 'data.csv: line 4, column 1 (time): time 1 comes after 2 (line 3) in trajectory 0; times must increase'],
    ['time,A\n0,1\n1,1\n1,2\n', 'data.csv: line 4, column 1 (time): time 1 appears twice in trajectory 0 (lines 3 and 4)'],
    [
      'trajectory,time,A\n0,0,1\n0,1,1\n1,0,1\n',
      'data.csv: line 4: trajectory 1 has 1 time points but trajectory 0 has 2; every trajectory needs the same times',
    ],
    ['trajectory,time,A\n0,0,1\n0,1,1\n1,0,1\n1,2,1\n', 'data.csv: line 5, column 2 (time): trajectory 1 has time 2 where trajectory 0 has 1 (time point 2)'],
    ['time,A\n-1,1\n0,1\n', 'data.csv: line 2, column 1 (time): time -1 is negative; simulations start at t = 0'],
  ])('reports %j precisely', (text, message) => {
    expect(errorOf(text)).toBe(message);
  });

  it('names missing species columns and the ones available', () => {
    expect(errorOf('trajectory,time,C,A\n0,0,1,2\n', ['C', 'A', 'R'])).toBe('data.csv: line 1: missing column "R"; the species columns are C, A');
  });

  it('carries file, line and column in the error details', () => {
    try {
      parse('time,A\n0,x\n');
    } catch (error) {
      expect((error as ObservedDataError).details).toMatchObject({ source: 'data.csv', line: 2, column: 2, columnName: 'A' });
      expect((error as ObservedDataError).code).toBe('OBSERVED_DATA');
    }
  });
});
