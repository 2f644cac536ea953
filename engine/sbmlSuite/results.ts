/**
 * `NNNNN-results.csv` of an SBML Test Suite case: a header `time, X, Y...`
 * and one row per output time (the first column is the time, whatever its
 * name). Cells may be INF, -INF or NaN (cases on
 * infinities and undefined values).
 */
import { SuiteFileError } from './suiteFileError.js';

export interface SuiteResults {
  time: Float64Array;
  /** Expected values by column name (the header, trimmed), `time` excluded. */
  columns: Map<string, Float64Array>;
}

/** A cell as a number: decimal or exponent notation, ±INF / ±Infinity, NaN (any case); undefined when it is none of these. */
export function parseResultCell(cell: string): number | undefined {
  const text = cell.trim();
  if (/^[+-]?inf(inity)?$/i.test(text)) return text.startsWith('-') ? -Infinity : Infinity;
  if (/^nan$/i.test(text)) return NaN;
  if (!/^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(text)) return undefined;
  return Number(text);
}

export function parseSuiteResults(text: string, file: string): SuiteResults {
  const lines = text.split(/\r?\n/);
  while (lines.length > 0 && lines[lines.length - 1].trim() === '') lines.pop();
  if (lines.length < 2) throw new SuiteFileError(file, 'expected a header and at least one row');
  const names = lines[0].split(',').map((h) => h.trim());
  if (names[0].toLowerCase() !== 'time') throw new SuiteFileError(file, `the first column must be "time", got "${names[0]}"`, 1);
  // The first column is the time whatever its name: a variable may be called "Time" too (01820).
  const duplicate = names.find((n, i) => i > 0 && names.indexOf(n, 1) !== i);
  if (duplicate !== undefined) throw new SuiteFileError(file, `column "${duplicate}" appears twice`, 1);
  const rows = lines.length - 1;
  const data = names.map(() => new Float64Array(rows));
  for (let r = 0; r < rows; r++) {
    const cells = lines[r + 1].split(',');
    if (cells.length !== names.length) throw new SuiteFileError(file, `expected ${names.length} cells, got ${cells.length}`, r + 2);
    cells.forEach((cell, c) => {
      const value = parseResultCell(cell);
      if (value === undefined) throw new SuiteFileError(file, `column "${names[c]}": "${cell.trim()}" is not a number`, r + 2);
      data[c][r] = value;
    });
  }
  return { time: data[0], columns: new Map(names.slice(1).map((n, i) => [n, data[i + 1]])) };
}
