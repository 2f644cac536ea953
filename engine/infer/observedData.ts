import type { TrajectoryEnsemble } from '../simulate/types.js';
import { ObservedDataError } from './errors.js';

/** Observed time series: one or more trajectories on a shared time grid (events is 0). */
export interface ObservedData extends TrajectoryEnsemble {
  /** The trajectory labels of the file, in order of first appearance. */
  readonly labels: readonly string[];
}

export interface ObservedCsvOptions {
  /** Name used in error messages (the file path). */
  readonly source?: string;
  /** Species columns to read, in this order; every column but time and trajectory by default. */
  readonly species?: readonly string[];
}

interface Row {
  readonly line: number;
  readonly time: number;
  readonly values: Float64Array;
}

/**
 * Parse observed time series from CSV text: a `time` column, one column per
 * species and optionally a `trajectory` column for several trajectories
 * (the layout `sciope simulate --out x.csv` writes). Every trajectory must
 * have the same strictly increasing times. Errors name the source, line
 * and column. Pure: the caller reads the file.
 */
export function parseObservedCsv(text: string, options: ObservedCsvOptions = {}): ObservedData {
  const source = options.source ?? 'observed data';
  const fail = (message: string, line?: number, column?: number, columnName?: string): never => {
    throw new ObservedDataError(source, message, { line, column, columnName });
  };
  const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/);
  const headerLine = lines.findIndex((l) => l.trim() !== '' && !l.trimStart().startsWith('#'));
  if (headerLine < 0) fail('the file is empty; expected a header line such as "time,A,B"');
  const header = lines[headerLine].split(',').map((c) => c.trim());
  header.forEach((name, i) => {
    if (name === '') fail('empty column name in the header', headerLine + 1, i + 1);
    const first = header.indexOf(name);
    if (first !== i) fail(`column "${name}" appears twice (columns ${first + 1} and ${i + 1})`, headerLine + 1, i + 1, name);
  });
  const lower = header.map((h) => h.toLowerCase());
  const timeColumn = lower.indexOf('time');
  if (timeColumn < 0) fail(`missing column "time"; the header has ${header.join(', ')}`, headerLine + 1);
  const trajectoryColumn = lower.indexOf('trajectory');
  const available = header.filter((_, i) => i !== timeColumn && i !== trajectoryColumn);
  const species = options.species ? [...options.species] : available;
  if (species.length === 0) fail('no species columns; expected columns after "time", e.g. "time,A,B"', headerLine + 1);
  const columns = species.map((id) => {
    const i = header.indexOf(id);
    if (i < 0 || i === timeColumn || i === trajectoryColumn)
      fail(`missing column "${id}"; the species columns are ${available.join(', ') || '(none)'}`, headerLine + 1);
    return i;
  });

  const groups = new Map<string, Row[]>();
  for (let n = headerLine + 1; n < lines.length; n++) {
    const raw = lines[n];
    if (raw.trim() === '' || raw.trimStart().startsWith('#')) continue;
    const line = n + 1;
    const cells = raw.split(',');
    if (cells.length !== header.length) fail(`expected ${header.length} cells (${header.join(',')}), found ${cells.length}`, line);
    const number = (i: number): number => {
      const cell = cells[i].trim();
      if (cell === '') fail('empty cell; expected a number', line, i + 1, header[i]);
      const v = Number(cell);
      if (Number.isNaN(v))
        fail(/^nan$/i.test(cell) ? 'NaN is not allowed; observed values must be numbers' : `"${cell}" is not a number`, line, i + 1, header[i]);
      if (!Number.isFinite(v)) fail(`"${cell}" is not a finite number`, line, i + 1, header[i]);
      return v;
    };
    const time = number(timeColumn);
    const values = Float64Array.from(columns, (i) => number(i));
    const label = trajectoryColumn < 0 ? '0' : cells[trajectoryColumn].trim();
    if (label === '') fail('empty trajectory label', line, trajectoryColumn + 1, header[trajectoryColumn]);
    let rows = groups.get(label);
    if (!rows) groups.set(label, (rows = []));
    const previous = rows[rows.length - 1];
    if (previous && time === previous.time)
      fail(`time ${time} appears twice in trajectory ${label} (lines ${previous.line} and ${line})`, line, timeColumn + 1, header[timeColumn]);
    if (previous && time < previous.time)
      fail(
        `time ${time} comes after ${previous.time} (line ${previous.line}) in trajectory ${label}; times must increase`,
        line,
        timeColumn + 1,
        header[timeColumn],
      );
    rows.push({ line, time, values });
  }
  if (groups.size === 0) fail('no data rows after the header', headerLine + 1);

  const labels = [...groups.keys()];
  const reference = groups.get(labels[0])!;
  const time = Float64Array.from(reference, (r) => r.time);
  if (time[0] < 0) fail(`time ${time[0]} is negative; simulations start at t = 0`, reference[0].line, timeColumn + 1, header[timeColumn]);
  const nT = time.length;
  const nS = species.length;
  const data = new Float64Array(labels.length * nS * nT);
  labels.forEach((label, r) => {
    const rows = groups.get(label)!;
    if (rows.length !== nT) {
      fail(
        `trajectory ${label} has ${rows.length} time points but trajectory ${labels[0]} has ${nT}; every trajectory needs the same times`,
        rows[Math.min(rows.length, nT) - 1].line,
      );
    }
    rows.forEach((row, g) => {
      if (row.time !== time[g])
        fail(
          `trajectory ${label} has time ${row.time} where trajectory ${labels[0]} has ${time[g]} (time point ${g + 1})`,
          row.line,
          timeColumn + 1,
          header[timeColumn],
        );
      for (let s = 0; s < nS; s++) data[(r * nS + s) * nT + g] = row.values[s];
    });
  });
  return { speciesIds: species, time, runs: labels.length, data, events: 0, labels };
}
