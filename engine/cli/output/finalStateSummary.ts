import type { TrajectoryEnsemble } from '../../simulate/types.js';

/** Running mean and variance per species at the last output time (Welford's algorithm). */
export class FinalStateSummary {
  private n = 0;
  private readonly mean: Float64Array;
  private readonly m2: Float64Array;

  constructor(readonly speciesIds: readonly string[]) {
    this.mean = new Float64Array(speciesIds.length);
    this.m2 = new Float64Array(speciesIds.length);
  }

  add(chunk: TrajectoryEnsemble): void {
    const nT = chunk.time.length;
    const nS = this.speciesIds.length;
    for (let r = 0; r < chunk.runs; r++) {
      this.n++;
      for (let s = 0; s < nS; s++) {
        const x = chunk.data[(r * nS + s) * nT + nT - 1];
        const delta = x - this.mean[s];
        this.mean[s] += delta / this.n;
        this.m2[s] += delta * (x - this.mean[s]);
      }
    }
  }

  rows(): Array<{ species: string; mean: number; sd: number }> {
    return this.speciesIds.map((species, s) => ({
      species,
      mean: this.mean[s],
      sd: this.n > 1 ? Math.sqrt(this.m2[s] / (this.n - 1)) : 0,
    }));
  }
}

/** A plain aligned text table; the first column left-aligned, the rest right-aligned unless `align` says otherwise. */
export function formatTable(header: string[], rows: string[][], align?: Array<'left' | 'right'>): string {
  const widths = header.map((h, c) => Math.max(h.length, ...rows.map((r) => r[c].length)));
  const side = (c: number) => align?.[c] ?? (c === 0 ? 'left' : 'right');
  const line = (cells: string[]) =>
    cells
      .map((cell, c) => (side(c) === 'left' ? cell.padEnd(widths[c]) : cell.padStart(widths[c])))
      .join('  ')
      .trimEnd();
  return [line(header), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line)].join('\n');
}

/** 3 significant decimals for display, integers as they are. */
export function formatNumber(value: number): string {
  if (Number.isInteger(value)) return String(value);
  const abs = Math.abs(value);
  if (abs !== 0 && (abs >= 1e6 || abs < 1e-3)) return value.toExponential(3);
  return value.toFixed(abs >= 100 ? 1 : 3);
}
