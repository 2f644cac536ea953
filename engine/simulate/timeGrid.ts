import { SimulationSettingsError } from '../errors/index.js';

/** `points` equally spaced output times from 0 to `end` inclusive. */
export function uniformTimeGrid(end: number, points: number): Float64Array {
  if (!Number.isFinite(end) || end <= 0) throw new SimulationSettingsError('t-end', `expected a finite end time > 0, got ${end}`);
  if (!Number.isInteger(points) || points < 2) throw new SimulationSettingsError('points', `expected an integer >= 2, got ${points}`);
  const grid = new Float64Array(points);
  // Multiply rather than accumulate so the last point is exactly `end`.
  for (let i = 0; i < points; i++) grid[i] = (end * i) / (points - 1);
  return grid;
}

/** Check a user-supplied grid: finite, >= 0, strictly increasing. Simulations start at t = 0. */
export function assertTimeGrid(grid: Float64Array): void {
  if (grid.length === 0) throw new SimulationSettingsError('time grid', 'expected at least one output time');
  let previous = -Infinity;
  for (let i = 0; i < grid.length; i++) {
    const t = grid[i];
    if (!Number.isFinite(t) || t < 0) throw new SimulationSettingsError('time grid', `time[${i}] = ${t}; expected a finite time >= 0`);
    if (t <= previous) throw new SimulationSettingsError('time grid', `time[${i}] = ${t} is not after time[${i - 1}] = ${previous}`);
    previous = t;
  }
}
