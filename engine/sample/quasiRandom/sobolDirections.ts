import { DesignError } from '../design/DesignError.js';
import { JOE_KUO_DIMENSIONS, JOE_KUO_NEW_6_21201 } from './joeKuoDirectionNumbers.js';

/** Bits per coordinate: the sequence is generated with 32-bit integers. */
export const SOBOL_BITS = 32;

/** Largest dimension supported: the rows embedded from new-joe-kuo-6.21201. */
export const SOBOL_MAX_DIMENSION = JOE_KUO_DIMENSIONS;

interface JoeKuoRow {
  readonly s: number;
  readonly a: number;
  readonly m: readonly number[];
}

let rows: JoeKuoRow[] | undefined;

/** Parsed table rows, index 0 = dimension 2 (parsed once, on first use). */
function joeKuoRows(): JoeKuoRow[] {
  if (rows) return rows;
  const parsed: JoeKuoRow[] = [];
  for (const text of JOE_KUO_NEW_6_21201.split(/[;\n]/)) {
    const f = text.trim().split(/\s+/).map(Number);
    if (f.length < 4) continue;
    const [dim, s, a, ...m] = f;
    if (dim !== parsed.length + 2 || m.length !== s) throw new Error(`corrupt Joe-Kuo row for dimension ${dim}`);
    parsed.push({ s, a, m });
  }
  rows = parsed;
  return parsed;
}

/**
 * Direction vectors V[j][b], j = dimension (0-based), b = 0..31, as a
 * Uint32Array of d * 32 (row j at j * 32): V[j][b] = m_(b+1) * 2^(31-b).
 *
 * Method (Bratley & Fox 1988; Joe & Kuo 2008): dimension 1 has m_k = 1
 * (van der Corput). Dimension j >= 2 takes the degree s, polynomial bits a
 * and m_1..m_s from the table, then for k > s the recurrence
 *   V_k = V_(k-s) xor (V_(k-s) >> s) xor  xor_(i=1..s-1) a_i V_(k-i),
 * with a_i = bit (s - 1 - i) of a (Joe & Kuo's sobol.cc).
 *
 * References: P. Bratley and B. L. Fox, "Algorithm 659: Implementing
 * Sobol's quasirandom sequence generator", ACM Trans. Math. Softw. 14
 * (1988) 88-100, doi:10.1145/42288.214372; S. Joe and F. Y. Kuo,
 * "Constructing Sobol sequences with better two-dimensional projections",
 * SIAM J. Sci. Comput. 30 (2008) 2635-2654, doi:10.1137/070709359.
 */
export function sobolDirections(d: number): Uint32Array {
  if (!Number.isInteger(d) || d < 1 || d > SOBOL_MAX_DIMENSION) {
    throw new DesignError('sobol', 'd', `expected an integer in [1, ${SOBOL_MAX_DIMENSION}], got ${d}`);
  }
  const v = new Uint32Array(d * SOBOL_BITS);
  for (let b = 0; b < SOBOL_BITS; b++) v[b] = 2 ** (31 - b);
  const table = d > 1 ? joeKuoRows() : [];
  for (let j = 1; j < d; j++) {
    const { s, a, m } = table[j - 1];
    const row = j * SOBOL_BITS;
    for (let b = 0; b < Math.min(s, SOBOL_BITS); b++) v[row + b] = m[b] * 2 ** (31 - b);
    for (let b = s; b < SOBOL_BITS; b++) {
      let x = v[row + b - s] ^ (v[row + b - s] >>> s);
      for (let i = 1; i < s; i++) if ((a >>> (s - 1 - i)) & 1) x ^= v[row + b - i];
      v[row + b] = x >>> 0;
    }
  }
  return v;
}
