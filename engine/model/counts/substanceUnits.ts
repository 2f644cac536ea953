/**
 * Molecules per substance unit: the factor F of count = amount × F.
 *
 * Reads a substance unit as the SBML importer writes it in words ("mole",
 * "mmol", "µmol", "1e-6 mole", "millimole", "item", "molecules") or as a
 * user types it on the command line. A mole is N_A = 6.02214076e23
 * molecules exactly (SI 2019, the defining constant of the mole).
 */

/** The Avogadro constant, molecules per mole (exact since the 2019 SI). */
export const AVOGADRO = 6.02214076e23;

/** How a substance unit was read. */
export interface SubstanceUnit {
  /** Molecules per unit of substance. */
  readonly moleculesPerUnit: number;
  /** The unit as a person writes it: "µmol", "mol", "molecule", "1e-3 mol". */
  readonly symbol: string;
  /** False when the text named no substance unit this module knows (then moleculesPerUnit is 1). */
  readonly known: boolean;
  /** Why the text was read as it was, when that is worth saying (a concentration unit, "dimensionless"). */
  readonly note?: string;
}

/** Counting units: one unit is one molecule. */
const COUNT_NAMES = new Set(['item', 'items', 'molecule', 'molecules', 'particle', 'particles', 'number', 'count', 'counts', '#']);
const MOLE_NAMES = new Set(['mol', 'mole', 'moles', 'mols']);

/** SI prefix words (any case) and symbols (case matters: M is mega, m milli), as powers of ten. */
const PREFIX_WORDS: ReadonlyArray<readonly [string, number]> = [
  ['giga', 9],
  ['mega', 6],
  ['kilo', 3],
  ['deci', -1],
  ['centi', -2],
  ['milli', -3],
  ['micro', -6],
  ['nano', -9],
  ['pico', -12],
  ['femto', -15],
  ['atto', -18],
];
const PREFIX_SYMBOLS: ReadonlyArray<readonly [string, number]> = [
  ['G', 9],
  ['M', 6],
  ['k', 3],
  ['d', -1],
  ['c', -2],
  ['m', -3],
  ['µ', -6],
  ['μ', -6],
  ['u', -6],
  ['n', -9],
  ['p', -12],
  ['f', -15],
  ['a', -18],
];
const SYMBOL_OF: Record<number, string> = { 9: 'G', 6: 'M', 3: 'k', [-1]: 'd', [-2]: 'c', [-3]: 'm', [-6]: 'µ', [-9]: 'n', [-12]: 'p', [-15]: 'f', [-18]: 'a' };

/** N_A × 10^exponent as the double nearest the decimal 6.02214076e(23 + exponent), so 1 µmol is 6.02214076e17 to the last digit. */
function molesToMolecules(exponent: number): number {
  return Number(`6.02214076e${23 + exponent}`);
}

/** A unit name without a multiplier: "mmol", "Mmol", "millimole", "item". */
function namedUnit(name: string): { molecules: number; symbol: string } | null {
  const lower = name.toLowerCase();
  if (COUNT_NAMES.has(lower)) return { molecules: 1, symbol: 'molecule' };
  if (MOLE_NAMES.has(lower)) return { molecules: AVOGADRO, symbol: 'mol' };
  for (const [word, exponent] of PREFIX_WORDS) {
    if (lower.startsWith(word) && MOLE_NAMES.has(lower.slice(word.length)))
      return { molecules: molesToMolecules(exponent), symbol: `${SYMBOL_OF[exponent]}mol` };
  }
  for (const [symbol, exponent] of PREFIX_SYMBOLS) {
    if (name.startsWith(symbol) && MOLE_NAMES.has(name.slice(symbol.length).toLowerCase()))
      return { molecules: molesToMolecules(exponent), symbol: `${SYMBOL_OF[exponent]}mol` };
  }
  return null;
}

const NUMBER = String.raw`[+]?(?:\d+\.?\d*|\.\d+)(?:e[+-]?\d+)?`;
/** "1e-3 mole", "0.001*mole", "10^-3 mole", "mole * 1e-3", "mole × 10^-6". */
const SCALED = new RegExp(String.raw`^(?:(${NUMBER}|10\^[+-]?\d+)\s*[*×·]?\s*([^\s*×·]+)|([^\s*×·]+)\s*[*×·]\s*(${NUMBER}|10\^[+-]?\d+))$`, 'i');

function readNumber(text: string): number {
  return text.startsWith('10^') ? 10 ** Number(text.slice(3)) : Number(text);
}

/** Read a substance unit; unknown text gives F = 1 with known false and a note saying why. */
export function readSubstanceUnit(text: string): SubstanceUnit {
  const original = text.trim();
  let unit = original.replace(/\s+/g, ' ');
  let note: string | undefined;
  // A concentration unit ("mmol/l") written where a substance unit belongs: its numerator is the substance.
  const slash = unit.indexOf('/');
  if (slash > 0) {
    note = `read "${original}" as its substance part "${unit.slice(0, slash).trim()}"`;
    unit = unit.slice(0, slash).trim();
  }
  if (unit.toLowerCase() === 'dimensionless' || unit === '1' || unit === '') {
    return {
      moleculesPerUnit: 1,
      symbol: 'molecule',
      known: false,
      note: `substance unit "${original}" is not a unit of substance: amounts are read as molecule counts`,
    };
  }
  const withNote = (u: Omit<SubstanceUnit, 'note'>): SubstanceUnit => (note ? { ...u, note } : u);
  const named = namedUnit(unit);
  if (named) return withNote({ moleculesPerUnit: named.molecules, symbol: named.symbol, known: true });
  const scaled = SCALED.exec(unit);
  if (scaled) {
    const multiplier = readNumber(scaled[1] ?? scaled[4]);
    const base = namedUnit(scaled[2] ?? scaled[3]);
    if (base && Number.isFinite(multiplier) && multiplier > 0) {
      return withNote({ moleculesPerUnit: base.molecules * multiplier, symbol: `${multiplier} ${base.symbol}`, known: true });
    }
  }
  return {
    moleculesPerUnit: 1,
    symbol: original,
    known: false,
    note: `unknown substance unit "${original}": amounts are read as molecule counts (pass the unit or a factor to convert)`,
  };
}
