import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** ../shared/sbibm next to the checkout (see its README), or SCIOPE_SBIBM_DIR. */
export const SBIBM_DIR = process.env.SCIOPE_SBIBM_DIR ?? resolve(fileURLToPath(new URL('../../../../shared/sbibm', import.meta.url)));

/** A table of numbers: `rows` × `columns`, row-major. */
export interface NumericTable {
  readonly columns: readonly string[];
  readonly rows: number;
  readonly values: Float64Array;
}

export class SbibmDataError extends Error {
  constructor(
    readonly file: string,
    message: string,
  ) {
    super(`${file}: ${message}`);
    this.name = 'SbibmDataError';
  }
}

/** Parse a header + numbers CSV as sbibm writes it (observation.csv, true_parameters.csv, reference samples). */
export function parseNumericCsv(text: string, file: string): NumericTable {
  const lines = text.split(/\r?\n/).filter((l) => l.trim() !== '');
  if (lines.length < 2) throw new SbibmDataError(file, 'expected a header line and at least one row of numbers');
  const columns = lines[0].split(',').map((c) => c.trim());
  const values = new Float64Array((lines.length - 1) * columns.length);
  for (let r = 1; r < lines.length; r++) {
    const cells = lines[r].split(',');
    if (cells.length !== columns.length) throw new SbibmDataError(file, `line ${r + 1}: expected ${columns.length} values, got ${cells.length}`);
    cells.forEach((cell, c) => {
      const v = Number(cell);
      if (cell.trim() === '' || !Number.isFinite(v))
        throw new SbibmDataError(file, `line ${r + 1}, column ${c + 1} (${columns[c]}): expected a finite number, got ${JSON.stringify(cell)}`);
      values[(r - 1) * columns.length + c] = v;
    });
  }
  return { columns, rows: lines.length - 1, values };
}

const folder = (task: string, observation: number) => {
  if (!Number.isSafeInteger(observation) || observation < 1 || observation > 10)
    throw new RangeError(`observation: expected an integer in 1..10, got ${observation}`);
  const dir = join(SBIBM_DIR, task, `num_observation_${observation}`);
  if (!existsSync(dir)) throw new SbibmDataError(dir, `no such folder: the sbibm data are expected in ${SBIBM_DIR} (set SCIOPE_SBIBM_DIR)`);
  return dir;
};

/** The observed data x_o of `task`'s observation 1..10 (one row). */
export function readObservation(task: string, observation: number): Float64Array {
  const file = join(folder(task, observation), 'observation.csv');
  return parseNumericCsv(readFileSync(file, 'utf8'), file).values;
}

/** The parameters that generated the observation. */
export function readTrueParameters(task: string, observation: number): Float64Array {
  const file = join(folder(task, observation), 'true_parameters.csv');
  return parseNumericCsv(readFileSync(file, 'utf8'), file).values;
}

/**
 * The 10,000 reference posterior samples of an observation. They are stored
 * bzip2-compressed and Node has no bzip2 decoder, so the `bzip2` command
 * (installed almost everywhere) decompresses them; no npm dependency needed.
 */
export function readReferenceSamples(task: string, observation: number): NumericTable {
  const file = join(folder(task, observation), 'reference_posterior_samples.csv.bz2');
  let text: string;
  try {
    text = execFileSync('bzip2', ['-dc', file], { encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });
  } catch (error) {
    throw new SbibmDataError(file, `cannot decompress with the bzip2 command (${error instanceof Error ? error.message : String(error)}); install bzip2`);
  }
  return parseNumericCsv(text, file);
}
