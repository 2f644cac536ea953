import { closeSync, openSync, writeSync } from 'node:fs';
import { extname } from 'node:path';
import type { TrajectoryEnsemble } from '../../simulate/types.js';
import { InputFileError } from '../jsonFile.js';

/** Streams trajectories to a file chunk by chunk, so output size is not bounded by memory. */
export interface TrajectoryWriter {
  write(chunk: TrajectoryEnsemble, firstRun: number): void;
  close(): void;
}

export interface RunDescription {
  model: string;
  method: string;
  seed: number;
  runs: number;
  parameters: Record<string, number>;
}

export function openTrajectoryWriter(file: string, run: RunDescription, speciesIds: readonly string[], time: Float64Array): TrajectoryWriter {
  const extension = extname(file).toLowerCase();
  if (extension !== '.csv' && extension !== '.json') {
    throw new InputFileError(file, `unsupported output format "${extension || '(none)'}"; expected a .csv or .json file`);
  }
  let fd: number;
  try {
    fd = openSync(file, 'w');
  } catch (error) {
    throw new InputFileError(file, `cannot write: ${(error as Error).message}`);
  }
  return extension === '.csv' ? new CsvWriter(fd, speciesIds) : new JsonWriter(fd, run, speciesIds, time);
}

/** CSV columns: trajectory,time,<species...>; one row per trajectory and output time. */
class CsvWriter implements TrajectoryWriter {
  constructor(
    private readonly fd: number,
    speciesIds: readonly string[],
  ) {
    writeSync(fd, `trajectory,time,${speciesIds.join(',')}\n`);
  }

  write(chunk: TrajectoryEnsemble, firstRun: number): void {
    const nT = chunk.time.length;
    const nS = chunk.speciesIds.length;
    const rows: string[] = [];
    for (let r = 0; r < chunk.runs; r++) {
      const base = r * nS * nT;
      for (let g = 0; g < nT; g++) {
        let row = `${firstRun + r},${chunk.time[g]}`;
        for (let s = 0; s < nS; s++) row += `,${chunk.data[base + s * nT + g]}`;
        rows.push(row);
      }
    }
    writeSync(this.fd, rows.join('\n') + '\n');
  }

  close(): void {
    closeSync(this.fd);
  }
}

/** JSON: run description, species, time, then trajectories as { run, <species>: [...] }. */
class JsonWriter implements TrajectoryWriter {
  private first = true;

  constructor(
    private readonly fd: number,
    run: RunDescription,
    private readonly speciesIds: readonly string[],
    time: Float64Array,
  ) {
    const head = JSON.stringify({ ...run, species: speciesIds, time: Array.from(time) });
    writeSync(fd, `${head.slice(0, -1)},"trajectories":[\n`);
  }

  write(chunk: TrajectoryEnsemble, firstRun: number): void {
    const nT = chunk.time.length;
    const nS = this.speciesIds.length;
    const parts: string[] = [];
    for (let r = 0; r < chunk.runs; r++) {
      const entry: Record<string, unknown> = { run: firstRun + r };
      this.speciesIds.forEach((id, s) => {
        const start = (r * nS + s) * nT;
        entry[id] = Array.from(chunk.data.subarray(start, start + nT));
      });
      parts.push(JSON.stringify(entry));
    }
    writeSync(this.fd, (this.first ? '' : ',\n') + parts.join(',\n'));
    this.first = false;
  }

  close(): void {
    writeSync(this.fd, '\n]}\n');
    closeSync(this.fd);
  }
}
