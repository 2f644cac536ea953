import type { OdeIntegrator } from '../ode/integrator.js';

/** Times are located to within this relative tolerance (as the ODE solver's state events). */
export const TIME_RTOL = 1e-10;

/**
 * The time s in (t0, t1], the integrator's last step, where component `slot`
 * of the dense output reaches `level` (below it at t0, at or above at t1):
 * Illinois regula falsi (Dowell & Jarratt 1971, doi:10.1007/BF01934364),
 * which needs one interpolation when the component is linear in time (a
 * constant propensity), until |y_slot − level| <= tolerance or the bracket
 * is TIME_RTOL wide. Leaves the state at the returned time in w.
 */
export function locateLevel(ode: OdeIntegrator, slot: number, level: number, tolerance: number, w: Float64Array): number {
  const t0 = ode.tPrevious;
  const t1 = ode.t;
  ode.interpolate(t0, w);
  let lo = t0;
  let hi = t1;
  let fLo = w[slot] - level;
  let fHi = ode.y[slot] - level;
  // Reached already at t0 (within round-off of an earlier location): it happens there.
  if (fLo >= 0) return t0;
  let side = 0;
  for (let iteration = 0; iteration < 200; iteration++) {
    let s = fHi > fLo ? (lo * fHi - hi * fLo) / (fHi - fLo) : 0.5 * (lo + hi);
    if (!(s > lo && s < hi)) s = 0.5 * (lo + hi);
    if (!(s > lo && s < hi)) break;
    ode.interpolate(s, w);
    const f = w[slot] - level;
    if (Math.abs(f) <= tolerance) return s;
    if (f < 0) {
      lo = s;
      fLo = f;
      if (side === -1) fHi *= 0.5;
      side = -1;
    } else {
      hi = s;
      fHi = f;
      if (side === 1) fLo *= 0.5;
      side = 1;
    }
    if (hi - lo <= TIME_RTOL * Math.abs(hi)) break;
  }
  if (hi === t1) w.set(ode.y);
  else ode.interpolate(hi, w);
  return hi;
}

/**
 * Bisection on the dense output of the integrator's last step for the first
 * time in (t0, t1] where `holds(state)` turns true (it holds at t1), to
 * TIME_RTOL; returns the upper end, so it holds there. `probe` is scratch.
 */
export function locateRise(ode: OdeIntegrator, t0: number, t1: number, probe: Float64Array, holds: (state: Float64Array) => boolean): number {
  let lo = t0;
  let hi = t1;
  for (;;) {
    const mid = 0.5 * (lo + hi);
    if (mid <= lo || mid >= hi || hi - lo <= TIME_RTOL * Math.abs(hi)) return hi;
    ode.interpolate(mid, probe);
    if (holds(probe)) hi = mid;
    else lo = mid;
  }
}
