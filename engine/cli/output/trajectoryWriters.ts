import { extname } from 'node:path';
import type { TrajectoryEnsemble } from '../../simulate/types.js';
import { InputFileError } from '../jsonFile.js';
import { PendingFile } from './pendingFile.js';

/**
 * Streams trajectories to a file chunk by chunk, so output size is not
 * bounded by memory. The file gets its name only at close(): a run that
 * fails calls discard() and leaves no partial file (see PendingFile).
 */
export interface TrajectoryWriter {
  write(chunk: TrajectoryEnsemble, firstRun: number): void;
  /** Finish the file and give it its name. */
  close(): void;
  /** Drop what was written (idempotent; a no-op after close). */
  discard(): void;
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
  const out = PendingFile.open(file);
  try {
    return extension === '.csv' ? new CsvWriter(out, speciesIds) : new JsonWriter(out, run, speciesIds, time);
  } catch (error) {
    out.discard();
    throw error;
  }
}

/** CSV columns: trajectory,time,<species...>; one row per trajectory and output time. */
class CsvWriter implements TrajectoryWriter {
  constructor(
    private readonly out: PendingFile,
    speciesIds: readonly string[],
  ) {
    out.write(`trajectory,time,${speciesIds.join(',')}\n`);
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
    this.out.write(rows.join('\n') + '\n');
  }

  close(): void {
    this.out.commit();
  }

  discard(): void {
    this.out.discard();
  }
}

/** JSON: run description, species, time, then trajectories as { run, <species>: [...] }. */
class JsonWriter implements TrajectoryWriter {
  private first = true;

  constructor(
    private readonly out: PendingFile,
    run: RunDescription,
    private readonly speciesIds: readonly string[],
    time: Float64Array,
  ) {
    const head = JSON.stringify({ ...run, species: speciesIds, time: Array.from(time) });
    out.write(`${head.slice(0, -1)},"trajectories":[\n`);
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
    this.out.write((this.first ? '' : ',\n') + parts.join(',\n'));
    this.first = false;
  }

  close(): void {
    this.out.write('\n]}\n');
    this.out.commit();
  }

  discard(): void {
    this.out.discard();
  }
}
