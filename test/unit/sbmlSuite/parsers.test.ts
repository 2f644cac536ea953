import { describe, expect, it } from 'vitest';
import {
  checkExpectations,
  formatCaseSelection,
  parseCaseHeader,
  parseCaseSelection,
  parseExpectations,
  parseResultCell,
  parseSuiteResults,
  parseSuiteSettings,
  refusalKind,
  settingsTimeGrid,
  summarizeSuite,
  type CaseOutcome,
} from '../../../engine/sbmlSuite/index.js';

const SETTINGS = `start: 0
duration: 5
steps: 50
variables: S1, S2, k
absolute: 1.000000e-007
relative: 0.0001
amount: S1, S2
concentration:
`;

describe('parseSuiteSettings', () => {
  it('reads the grid, the variables, the tolerances and the amount/concentration lists', () => {
    expect(parseSuiteSettings(SETTINGS, 'a-settings.txt')).toEqual({
      start: 0,
      duration: 5,
      steps: 50,
      variables: ['S1', 'S2', 'k'],
      absolute: 1e-7,
      relative: 1e-4,
      amount: ['S1', 'S2'],
      concentration: [],
    });
  });

  it('reads CRLF files and ignores keys it does not know', () => {
    expect(parseSuiteSettings(`${SETTINGS}\nextra: whatever\n`.replace(/\n/g, '\r\n'), 'f').steps).toBe(50);
  });

  it.each([
    [SETTINGS.replace('steps: 50', 'steps: 5.5'), 'x-settings.txt, line 3: steps: expected an integer >= 1, got "5.5"'],
    [SETTINGS.replace('duration: 5', 'duration: five'), 'x-settings.txt, line 2: duration: expected a number > 0, got "five"'],
    [SETTINGS.replace('start: 0', 'start:'), 'x-settings.txt, line 1: start: expected a number >= 0, got ""'],
    [SETTINGS.replace('relative: 0.0001\n', ''), 'x-settings.txt: missing "relative"'],
    [SETTINGS.replace('absolute:', 'absolute'), 'x-settings.txt, line 5: expected "key: value", got "absolute 1.000000e-007"'],
    [`${SETTINGS}steps: 3\n`, 'x-settings.txt, line 9: "steps" given twice (first on line 3)'],
    [SETTINGS.replace('amount: S1, S2', 'amount: S1, X'), 'x-settings.txt, line 7: amount: "X" is not among the variables'],
    [
      SETTINGS.replace('variables: S1, S2, k', 'variables: S1 S2, k'),
      'x-settings.txt, line 4: variables: "S1 S2" is not one name (names are separated by commas)',
    ],
  ])('names the file and the line of a malformed setting (%#)', (text, message) => {
    expect(() => parseSuiteSettings(text, 'x-settings.txt')).toThrow(message);
  });

  it('gives steps + 1 output times from start to start + duration, the last exact', () => {
    const grid = settingsTimeGrid({ ...parseSuiteSettings(SETTINGS, 'f'), start: 1, duration: 0.3, steps: 3 });
    expect([...grid]).toEqual([1, 1.1, 1.2, 1.3]);
  });
});

describe('parseSuiteResults', () => {
  it('reads columns by name, with INF, -INF and NaN, and the first column as time whatever its name', () => {
    const results = parseSuiteResults('Time,P, Q, R,Time\n0,INF,-INF, NaN,1\n0.5,1e-3,2.5E+2,-0.25,2\n', 'r.csv');
    expect([...results.time]).toEqual([0, 0.5]);
    expect([...(results.columns.get('P') ?? [])]).toEqual([Infinity, 0.001]);
    expect([...(results.columns.get('Q') ?? [])]).toEqual([-Infinity, 250]);
    expect(results.columns.get('R')?.[0]).toBeNaN();
    expect([...(results.columns.get('Time') ?? [])]).toEqual([1, 2]);
  });

  it('refuses cells that are not numbers, naming file, line and column', () => {
    expect(() => parseSuiteResults('time,A\n0,1\n1,\n', 'r.csv')).toThrow('r.csv, line 3: column "A": "" is not a number');
    expect(() => parseSuiteResults('time,A\n0,1,2\n', 'r.csv')).toThrow('r.csv, line 2: expected 2 cells, got 3');
    expect(() => parseSuiteResults('time,A,A\n0,1,2\n', 'r.csv')).toThrow('r.csv, line 1: column "A" appears twice');
  });

  it.each([['1'], ['-1.5'], ['.5'], ['2.'], ['1e-7'], ['+3E+2']])('parses %s as Number does', (cell) => expect(parseResultCell(cell)).toBe(Number(cell)));
  it.each([['1,5'], ['0x10'], ['abc'], ['']])('rejects %j', (cell) => expect(parseResultCell(cell)).toBeUndefined());
});

describe('parseCaseHeader', () => {
  it('reads testType and the tags from the first header block only', () => {
    const text = `(*\ncategory: Test\ncomponentTags: Compartment, Species , Reaction\ntestTags:      Amount\ntestType:      TimeCourse\n\nThe model...\ntestType: FluxBalanceSteadyState\ncomponentTags: Other\n*)`;
    expect(parseCaseHeader(text, 'm')).toEqual({
      testType: 'TimeCourse',
      componentTags: ['Compartment', 'Species', 'Reaction'],
      testTags: ['Amount'],
      synopsis: undefined,
    });
  });

  it('gives empty tag lists when a header has none, and refuses a header without testType', () => {
    expect(parseCaseHeader('testType: TimeCourse\n', 'm')).toMatchObject({ componentTags: [], testTags: [] });
    expect(() => parseCaseHeader('componentTags: A\n', '00001-model.m')).toThrow('00001-model.m: no "testType:" line in the header');
  });
});

describe('case selection', () => {
  it('expands ranges and lists into sorted, distinct 5-digit ids', () => {
    expect(parseCaseSelection('3, 1-2,2,10')).toEqual(['00001', '00002', '00003', '00010']);
    expect(parseCaseSelection('1-1821')).toHaveLength(1821);
  });

  it.each([['0-3'], ['5-2'], ['a'], ['1,,2'], ['100000']])('refuses %j with the expected form', (text) => {
    expect(() => parseCaseSelection(text)).toThrow(/expected case numbers like 1-1821 or 1-50,77,100-120/);
  });

  it('formats ids back into the shortest ranges', () => {
    expect(formatCaseSelection(['00001', '00002', '00003', '00077', '00100', '00101'])).toBe('1-3,77,100-101');
    expect(parseCaseSelection(formatCaseSelection(parseCaseSelection('1-50,77,100-120')))).toEqual(parseCaseSelection('1-50,77,100-120'));
  });
});

const outcome = (id: string, result: CaseOutcome['outcome'], extra: Partial<CaseOutcome> = {}): CaseOutcome => ({
  id,
  outcome: result,
  testType: 'TimeCourse',
  componentTags: ['Species'],
  testTags: ['Amount'],
  ms: 1,
  ...extra,
});

describe('expectations', () => {
  it('reads ids with comments and blank lines, and names the line of a bad one', () => {
    expect([...parseExpectations('# passing\n00001\n\n2 # short form\n', 'e.txt')]).toEqual(['00001', '00002']);
    expect(() => parseExpectations('00001\nabc\n', 'e.txt')).toThrow('e.txt, line 2: expected a case id (e.g. 00001), got "abc"');
  });

  it('lists every expected case that no longer passes, and the new passes', () => {
    const outcomes = [outcome('00001', 'pass'), outcome('00002', 'wrong', { reason: 'S1 at t=1' }), outcome('00004', 'pass')];
    const check = checkExpectations(new Set(['00001', '00002', '00003', '00009']), outcomes, (id) => id !== '00009');
    expect(check.regressions).toEqual([
      { id: '00002', outcome: 'wrong', reason: 'S1 at t=1' },
      { id: '00003', outcome: 'not run', reason: 'no such case in the folder' },
    ]);
    expect(check.newlyPassing).toEqual(['00004']);
  });
});

describe('summarizeSuite', () => {
  it('counts outcomes, the pass rate over TimeCourse cases, pass/total per tag and groups refusals', () => {
    const summary = summarizeSuite([
      outcome('00001', 'pass', { componentTags: ['Species', 'Reaction'] }),
      outcome('00002', 'refused', { problems: ['line 12: event "E1": delays are not supported'] }),
      outcome('00003', 'refused', { problems: ['line 40: event "E9": delays are not supported'] }),
      outcome('00004', 'not-time-course', { testType: 'FluxBalanceSteadyState' }),
    ]);
    expect(summary.counts).toMatchObject({ pass: 1, refused: 2, 'not-time-course': 1, wrong: 0 });
    expect(summary.timeCourse).toBe(3);
    expect(summary.passRate).toBeCloseTo(1 / 3, 12);
    expect(summary.componentTags).toEqual([
      { tag: 'Reaction', passed: 1, total: 1 },
      { tag: 'Species', passed: 1, total: 3 },
    ]);
    expect(summary.topRefusals).toEqual([
      { reason: 'event "…": delays are not supported', cases: 2, example: '00002: line 12: event "E1": delays are not supported' },
    ]);
    expect(refusalKind('line 3, column 5: rule "r2": 2 variables')).toBe('rule "…": N variables');
  });
});
