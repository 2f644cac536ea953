/** Formatting of run figures for the progress panel and the runs table. */

export function formatDuration(seconds: number | null | undefined): string {
  if (seconds === null || seconds === undefined || !Number.isFinite(seconds)) return '–';
  const s = Math.max(0, Math.round(seconds));
  if (s < 60) return `${s} s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m} min ${String(s % 60).padStart(2, '0')} s`;
  return `${Math.floor(m / 60)} h ${String(m % 60).padStart(2, '0')} min`;
}

export function formatCount(n: number | null | undefined): string {
  if (n === null || n === undefined || !Number.isFinite(n)) return '–';
  return Math.round(n).toLocaleString('en-US');
}

export function formatPercent(x: number | null | undefined): string {
  if (x === null || x === undefined || !Number.isFinite(x)) return '–';
  return x >= 0.1 ? `${(x * 100).toFixed(0)}%` : `${(x * 100).toPrecision(2)}%`;
}

export function formatEpsilon(x: number | null | undefined): string {
  if (x === null || x === undefined || !Number.isFinite(x)) return '∞';
  return Math.abs(x) >= 1e4 || (x !== 0 && Math.abs(x) < 1e-3) ? x.toExponential(3) : Number(x.toPrecision(4)).toString();
}

export function formatDate(iso: string | null | undefined): string {
  if (!iso) return '–';
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? iso : d.toLocaleString('en-GB', { day: '2-digit', month: 'short', hour: '2-digit', minute: '2-digit' });
}

/**
 * Generations as people count them. The engine numbers generations from 0
 * (the prior draws) in its events, stored runs and exports; every label in
 * the app shows them from 1, so a run of 8 generations reads "8 of 8" in
 * Inference, Results, the slider and the epsilon chart alike.
 */
export function generationNumber(index: number): number {
  return index + 1;
}

/** The engine's 0-based index of the generation a person calls `number`. */
export function generationIndex(number: number): number {
  return number - 1;
}

/** "3 of 8" for index 2 of a run of 8 generations (total = count, not the last index); "3" when the total is unknown. */
export function formatGeneration(index: number | null | undefined, total?: number | null): string {
  if (index === null || index === undefined || !Number.isFinite(index) || index < 0) return '–';
  const n = generationNumber(index);
  return total !== null && total !== undefined && Number.isFinite(total) && total >= n ? `${n} of ${total}` : String(n);
}
