/**
 * Readable names of SBML units, for display only (numbers are never
 * converted): a unit definition of one base unit is that unit's name
 * ("mole"); others are written with symbols, e.g. "mmol/l", "1/s",
 * "60·s". Read from the document text (the libsbmljs binding does not
 * expose a unit's multiplier); comments and CDATA are blanked out first.
 */
import type { DocumentAttributes } from './documentChecks.js';

const SYMBOLS: Record<string, string> = {
  mole: 'mol',
  litre: 'l',
  liter: 'l',
  second: 's',
  metre: 'm',
  meter: 'm',
  gram: 'g',
  kilogram: 'kg',
  item: 'item',
  katal: 'kat',
  kelvin: 'K',
  ampere: 'A',
  candela: 'cd',
  hertz: 'Hz',
  joule: 'J',
  newton: 'N',
  pascal: 'Pa',
  volt: 'V',
  watt: 'W',
  coulomb: 'C',
  farad: 'F',
  ohm: 'Ω',
  siemens: 'S',
  weber: 'Wb',
  tesla: 'T',
  henry: 'H',
  lumen: 'lm',
  lux: 'lx',
  becquerel: 'Bq',
  gray: 'Gy',
  sievert: 'Sv',
  radian: 'rad',
  steradian: 'sr',
  avogadro: 'avogadro',
  celsius: '°C',
};
const PREFIXES: Record<number, string> = { [-15]: 'f', [-12]: 'p', [-9]: 'n', [-6]: 'µ', [-3]: 'm', [-2]: 'c', [-1]: 'd', 3: 'k', 6: 'M', 9: 'G' };
/** SBML Level 2's built-in unit ids and their defaults. */
const BUILT_IN: Record<string, string> = { substance: 'mole', volume: 'litre', area: 'square metre', length: 'metre', time: 'second' };

interface UnitTerm {
  kind: string;
  exponent: number;
  scale: number;
  multiplier: number;
}

export class UnitNames {
  private readonly definitions = new Map<string, string>();

  constructor(xml: string) {
    const text = xml.replace(/<!--[\s\S]*?-->|<!\[CDATA\[[\s\S]*?\]\]>/g, (m) => ' '.repeat(m.length));
    const definition = /<(?:[\w.-]+:)?unitDefinition\b([^>]*?)(\/?)>([\s\S]*?)(?:<\/(?:[\w.-]+:)?unitDefinition>|(?=<(?:[\w.-]+:)?unitDefinition\b))/g;
    for (const m of text.matchAll(definition)) {
      const id = attribute(m[1], 'id');
      if (!id) continue;
      const terms: UnitTerm[] = [...(m[2] ? '' : m[3]).matchAll(/<(?:[\w.-]+:)?unit\b([^>]*)>/g)].map((u) => ({
        kind: attribute(u[1], 'kind') ?? '?',
        exponent: Number(attribute(u[1], 'exponent') ?? 1),
        scale: Number(attribute(u[1], 'scale') ?? 0),
        multiplier: Number(attribute(u[1], 'multiplier') ?? 1),
      }));
      const described = describe(terms);
      if (described) this.definitions.set(id, described);
    }
  }

  /** The readable name of a unit reference (a unit definition's id or a base unit), or undefined. */
  of(reference: string): string | undefined {
    if (!reference) return undefined;
    return this.definitions.get(reference) ?? (reference in SYMBOLS || reference === 'dimensionless' ? reference : BUILT_IN[reference]);
  }

  modelUnits(attributes: DocumentAttributes): Partial<Record<keyof DocumentAttributes['modelUnits'], string>> | undefined {
    const entries = Object.entries(attributes.modelUnits).flatMap(([kind, reference]) => {
      const name = this.of(reference);
      return name ? [[kind, name]] : [];
    });
    return entries.length > 0 ? Object.fromEntries(entries) : undefined;
  }
}

function attribute(tag: string, name: string): string | undefined {
  const match = new RegExp(`(?:^|\\s)${name}\\s*=\\s*(?:"([^"]*)"|'([^']*)')`).exec(tag);
  return match ? (match[1] ?? match[2]).trim() : undefined;
}

/** "mole" for one plain base unit; else symbols with prefixes, numerator/denominator. */
function describe(terms: UnitTerm[]): string | undefined {
  const used = terms.filter((t) => t.kind !== 'dimensionless' && Number.isFinite(t.exponent) && t.exponent !== 0);
  if (used.length === 0) return terms.length > 0 ? 'dimensionless' : undefined;
  if (used.length === 1 && used[0].exponent === 1 && used[0].scale === 0 && used[0].multiplier === 1) return used[0].kind;
  const term = (t: UnitTerm, exponent: number) => {
    const symbol = SYMBOLS[t.kind] ?? t.kind;
    const prefix = t.scale === 0 ? '' : (PREFIXES[t.scale] ?? `10^${t.scale}·`);
    const multiplier = t.multiplier === 1 ? '' : `${t.multiplier}·`;
    const power = exponent === 1 ? '' : `^${exponent}`;
    return `${multiplier}${prefix}${symbol}${power}`;
  };
  const numerator = used.filter((t) => t.exponent > 0).map((t) => term(t, t.exponent));
  const denominator = used.filter((t) => t.exponent < 0).map((t) => term(t, -t.exponent));
  const top = numerator.length > 0 ? numerator.join('·') : '1';
  return denominator.length === 0 ? top : `${top}/${denominator.length === 1 ? denominator[0] : `(${denominator.join('·')})`}`;
}
