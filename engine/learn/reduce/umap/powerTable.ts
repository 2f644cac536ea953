/** Cells of the mantissa table (16 KB, stays in cache); see PowerTable for the error. */
const CELLS = 2048;
const CELL_BITS = 11;

// The IEEE-754 bits of a double through a shared scratch word; the high half sits at index 1 on little-endian machines.
const scratch = new Float64Array(1);
const scratchWords = new Uint32Array(scratch.buffer);
const HIGH_WORD = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1 ? 1 : 0;

/**
 * x^b for a fixed exponent b and x ≥ 0, about ten times faster than
 * Math.pow (which is most of the cost of UMAP's negative samples).
 *
 * Method: write x = 2^e · m with m in [1, 2) (read from the bits of the
 * double), so x^b = 2^(b·e) · m^b; 2^(b·e) comes from a table over the 2,046
 * normal exponents and m^b from a table over 2,048 equal cells of [1, 2]
 * with linear interpolation between its ends. The relative error is at
 * most h²/8 · |(m^b)''| / m^b ≤ 2^-25 · |b(b − 1)|: 2.8e-9 for UMAP's
 * default curve (b = 0.895), 6e-8 at b = 2, no coarser than the single
 * precision umap-learn computes its layout in. Zero and subnormal x give ±0; x = ∞ or
 * NaN give 0 (UMAP's gradients, where x is a squared distance, are 0 at ∞).
 */
export class PowerTable {
  private readonly mantissa = new Float64Array(CELLS + 1);
  /** 2^(b·(e − 1023)) by biased exponent e (0 for zero, subnormals, ∞ and NaN). */
  private readonly octave = new Float64Array(2048);
  /** CELLS · 2^−(e − 1023): maps x of biased exponent e to its position on [CELLS, 2·CELLS). */
  private readonly position = new Float64Array(2048);

  constructor(readonly exponent: number) {
    for (let j = 0; j <= CELLS; j++) this.mantissa[j] = Math.pow(1 + j / CELLS, exponent);
    for (let e = 1; e < 2047; e++) {
      this.octave[e] = Math.pow(2, exponent * (e - 1023));
      this.position[e] = CELLS * Math.pow(2, -(e - 1023));
    }
  }

  /** x^b (see the class comment for accuracy and the special values). */
  pow(x: number): number {
    scratch[0] = x;
    const high = scratchWords[HIGH_WORD];
    const e = high >>> 20;
    const cell = (high >>> (20 - CELL_BITS)) & (CELLS - 1);
    const t = x * this.position[e] - CELLS - cell;
    const lo = this.mantissa[cell];
    return this.octave[e] * (lo + t * (this.mantissa[cell + 1] - lo));
  }
}
