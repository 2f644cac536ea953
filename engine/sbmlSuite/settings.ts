/**
 * `NNNNN-settings.txt` of an SBML Test Suite semantic case: `key: value`
 * lines giving the output grid (start, duration, steps: steps + 1 points),
 * the variables to report, the tolerances (a value passes when
 * |simulated − expected| <= absolute + relative·|expected|) and which species
 * are reported as amounts and which as concentrations.
 */
import { SuiteFileError } from './suiteFileError.js';

export interface SuiteSettings {
  start: number;
  duration: number;
  steps: number;
  variables: string[];
  absolute: number;
  relative: number;
  /** Species reported as amounts. */
  amount: string[];
  /** Species reported as concentrations. */
  concentration: string[];
}

const NUMBER_KEYS = ['start', 'duration', 'steps', 'absolute', 'relative'] as const;
const LIST_KEYS = ['variables', 'amount', 'concentration'] as const;
const KNOWN_KEYS = new Set<string>([...NUMBER_KEYS, ...LIST_KEYS]);

/** Parse a settings file; `file` names it in errors, which also give the line. Unknown keys are ignored (later suite versions may add some). */
export function parseSuiteSettings(text: string, file: string): SuiteSettings {
  const fields = new Map<string, { value: string; line: number }>();
  text.split(/\r?\n/).forEach((raw, index) => {
    const line = index + 1;
    if (raw.trim() === '') return;
    const colon = raw.indexOf(':');
    if (colon <= 0) throw new SuiteFileError(file, `expected "key: value", got "${raw.trim()}"`, line);
    const key = raw.slice(0, colon).trim();
    if (!KNOWN_KEYS.has(key)) return;
    if (fields.has(key)) throw new SuiteFileError(file, `"${key}" given twice (first on line ${fields.get(key)?.line})`, line);
    fields.set(key, { value: raw.slice(colon + 1).trim(), line });
  });
  const field = (key: string) => {
    const entry = fields.get(key);
    if (!entry) throw new SuiteFileError(file, `missing "${key}"`);
    return entry;
  };
  const number = (key: (typeof NUMBER_KEYS)[number], check: (v: number) => boolean, expected: string) => {
    const { value, line } = field(key);
    const n = value === '' ? NaN : Number(value);
    if (!Number.isFinite(n) || !check(n)) throw new SuiteFileError(file, `${key}: expected ${expected}, got "${value}"`, line);
    return n;
  };
  const list = (key: (typeof LIST_KEYS)[number]) => {
    const { value, line } = field(key);
    const names = value
      .split(',')
      .map((v) => v.trim())
      .filter(Boolean);
    const bad = names.find((n) => /\s/.test(n));
    if (bad !== undefined) throw new SuiteFileError(file, `${key}: "${bad}" is not one name (names are separated by commas)`, line);
    return names;
  };
  const settings: SuiteSettings = {
    start: number('start', (v) => v >= 0, 'a number >= 0'),
    duration: number('duration', (v) => v > 0, 'a number > 0'),
    steps: number('steps', (v) => Number.isInteger(v) && v >= 1, 'an integer >= 1'),
    variables: list('variables'),
    absolute: number('absolute', (v) => v >= 0, 'a number >= 0'),
    relative: number('relative', (v) => v >= 0, 'a number >= 0'),
    amount: list('amount'),
    concentration: list('concentration'),
  };
  if (settings.variables.length === 0) throw new SuiteFileError(file, 'variables: expected at least one variable', field('variables').line);
  for (const key of ['amount', 'concentration'] as const) {
    const stray = settings[key].find((v) => !settings.variables.includes(v));
    if (stray !== undefined) throw new SuiteFileError(file, `${key}: "${stray}" is not among the variables`, field(key).line);
  }
  const both = settings.amount.find((v) => settings.concentration.includes(v));
  if (both !== undefined) throw new SuiteFileError(file, `"${both}" is listed both as an amount and as a concentration`, field('concentration').line);
  return settings;
}

/** The output times: start + i·duration/steps, i = 0..steps (multiplied, not accumulated, so the last is exact). */
export function settingsTimeGrid(settings: SuiteSettings): Float64Array {
  const grid = new Float64Array(settings.steps + 1);
  for (let i = 0; i <= settings.steps; i++) grid[i] = settings.start + (settings.duration * i) / settings.steps;
  return grid;
}
