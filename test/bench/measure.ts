/** Median and spread of repeated timings. */
export interface Timing {
  median: number;
  min: number;
  max: number;
}

export function summarise(samples: number[]): Timing {
  const sorted = [...samples].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  const median = sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
  return { median, min: sorted[0], max: sorted[sorted.length - 1] };
}

/**
 * Time `work` (which returns a count of events) `repetitions` times after
 * `warmup` untimed calls, so that V8 has optimised the code being measured.
 * Returns events per second per repetition.
 */
export function eventsPerSecond(
  work: (repetition: number) => number,
  repetitions: number,
  warmup: number,
): { rates: number[]; events: number; seconds: number } {
  for (let i = 0; i < warmup; i++) work(-1 - i);
  const rates: number[] = [];
  let events = 0;
  let seconds = 0;
  for (let r = 0; r < repetitions; r++) {
    const started = process.hrtime.bigint();
    const n = work(r);
    const elapsed = Number(process.hrtime.bigint() - started) / 1e9;
    rates.push(n / elapsed);
    events += n;
    seconds += elapsed;
  }
  return { rates, events, seconds };
}
