import type { Xoshiro128 } from './Xoshiro128.js';

/**
 * Standard exponential deviates by the ziggurat method (Marsaglia & Tsang
 * 2000, "The ziggurat method for generating random variables", J. Stat.
 * Softw. 5(8), doi:10.18637/jss.v005.i08), with 256 layers of equal area.
 *
 * Method: layer i (1..255) is the rectangle [0, X[i]] × [e^-X[i], e^-X[i+1]];
 * layer 0 is the base strip of width X[0] = r + 1 whose part beyond r stands
 * for the tail. A point uniform in a layer is accepted at once when
 * x < X[i+1] (about 98.9% of draws, no logarithm); otherwise the wedge is
 * tested against e^-x, and the tail returns r + Exp(1) (memorylessness).
 *
 * Following Doornik (2005, "An improved ziggurat method to generate normal
 * random samples") the layer index and the position within the layer come
 * from disjoint bits: the layer from the low 8 bits of the second 32-bit
 * word, the position from 53 other bits, so x is not quantised to 2^-32.
 *
 * The SSA code generator inlines exactly this procedure (codegen/xoshiroJs.ts).
 */
// eslint-disable-next-line no-loss-of-precision -- r as published by Marsaglia & Tsang (2000), kept digit for digit
export const ZIGGURAT_R = 7.69711747013104972;

export const ZIGGURAT_X = new Float64Array(257);
export const ZIGGURAT_F = new Float64Array(257);
{
  const r = ZIGGURAT_R;
  const v = (r + 1) * Math.exp(-r);
  ZIGGURAT_X[0] = r + 1;
  ZIGGURAT_X[1] = r;
  for (let i = 1; i < 255; i++) ZIGGURAT_X[i + 1] = -Math.log(v / ZIGGURAT_X[i] + Math.exp(-ZIGGURAT_X[i]));
  ZIGGURAT_X[256] = 0;
  for (let i = 0; i <= 256; i++) ZIGGURAT_F[i] = Math.exp(-ZIGGURAT_X[i]);
  ZIGGURAT_F[0] = Math.exp(-r);
}

/** One standard exponential deviate from `rng` (same draws as the inlined SSA version). */
export function exponentialZiggurat(rng: Xoshiro128): number {
  for (;;) {
    const hi = rng.nextUint32();
    const lo = rng.nextUint32();
    const i = lo & 255;
    const u = (hi * 2097152 + (lo >>> 11)) * 1.1102230246251565e-16;
    const x = u * ZIGGURAT_X[i];
    if (x < ZIGGURAT_X[i + 1]) return x;
    if (i === 0) return ZIGGURAT_R - Math.log(rng.nextOpenDouble());
    if (ZIGGURAT_F[i + 1] + (ZIGGURAT_F[i] - ZIGGURAT_F[i + 1]) * rng.nextDouble() < Math.exp(-x)) return x;
  }
}
