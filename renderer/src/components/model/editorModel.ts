import type { Issue } from '../../../../engine/api/contract';

/**
 * The model editor's working copy: table rows of text fields, converted to
 * and from the engine's reaction-network JSON. Everything the tables do not
 * show (rules, events, time, volume, description) is kept from the original,
 * and so is every field of a row the table has no column for (a species'
 * compartment, units or concentration flag, a reaction's name): editing an
 * imported model must never drop part of its meaning.
 */
export interface SpeciesRow {
  /** The original entry's other fields, written back unchanged. */
  keep: Json;
  id: string;
  initial: string;
  boundary: boolean;
}
export interface ParameterRow {
  keep: Json;
  id: string;
  value: string;
}
export interface ReactionRow {
  keep: Json;
  id: string;
  reactants: string;
  products: string;
  law: 'rate' | 'propensity';
  expression: string;
}
export interface EditorModel {
  base: Record<string, unknown>;
  name: string;
  species: SpeciesRow[];
  parameters: ParameterRow[];
  reactions: ReactionRow[];
}

type Json = Record<string, unknown>;
const isRecord = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
const text = (v: unknown): string => (v === undefined || v === null ? '' : String(v));

/** Whether the tables can edit this model (a reaction network, not a black-box simulator's interface). */
export function isEditable(model: Json): boolean {
  return Array.isArray(model.species) && Array.isArray(model.reactions);
}

/** "2 A + B" for {A: 2, B: 1}; a variable coefficient in brackets, "(s1) A"; "" for nothing. */
export function formatSide(side: unknown): string {
  if (!isRecord(side) || Object.keys(side).length === 0) return '';
  return Object.entries(side)
    .map(([s, n]) => (n === 1 ? s : typeof n === 'string' ? `(${n}) ${s}` : `${n} ${s}`))
    .join(' + ');
}

/**
 * Parse "2 A + B" (or "2A + B", "0.5 A", "(s1) A" for a variable coefficient;
 * empty or ∅ for nothing) into {A: 2, B: 1}. Terms are split on "+" outside
 * brackets, so a bracketed coefficient may contain one.
 */
export function parseSide(input: string): Record<string, number | string> | string {
  const trimmed = input.trim();
  if (trimmed === '' || trimmed === '∅' || trimmed === '0') return {};
  const out: Record<string, number | string> = {};
  for (const term of splitTerms(trimmed)) {
    const m = /^\s*(?:\((.+)\)|(\d+(?:\.\d*)?(?:[eE][-+]?\d+)?))?\s*\*?\s*([A-Za-z_][A-Za-z0-9_]*)\s*$/.exec(term);
    if (!m) return `cannot read "${term.trim()}": write terms like "2 A + B"`;
    const species = m[3];
    const coefficient: number | string = m[1] !== undefined ? m[1].trim() : m[2] === undefined ? 1 : Number(m[2]);
    if (typeof coefficient === 'number' && !(coefficient > 0)) return `stoichiometry of ${species} must be positive`;
    const previous = out[species];
    out[species] =
      previous === undefined
        ? coefficient
        : typeof previous === 'number' && typeof coefficient === 'number'
          ? previous + coefficient
          : `${previous} + ${coefficient}`;
  }
  return out;
}

function splitTerms(text: string): string[] {
  const terms: string[] = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    if (text[i] === '(') depth++;
    else if (text[i] === ')') depth--;
    else if (text[i] === '+' && depth === 0) {
      terms.push(text.slice(start, i));
      start = i + 1;
    }
  }
  terms.push(text.slice(start));
  return terms;
}

/** The entry without the fields the table edits. */
function rest(entry: Json, edited: readonly string[]): Json {
  return Object.fromEntries(Object.entries(entry).filter(([key]) => !edited.includes(key)));
}

/** A number when the text is one, else the text itself (an expression, or something the engine will name as wrong). */
function numberOrText(value: string): number | string {
  const t = value.trim();
  if (t !== '' && Number.isFinite(Number(t))) return Number(t);
  return t;
}

export function fromModel(name: string, model: Json): EditorModel {
  const species = (Array.isArray(model.species) ? model.species : []).filter(isRecord);
  const parameters = (Array.isArray(model.parameters) ? model.parameters : []).filter(isRecord);
  const reactions = (Array.isArray(model.reactions) ? model.reactions : []).filter(isRecord);
  return {
    base: model,
    name,
    species: species.map((s) => ({ keep: rest(s, ['id', 'initial', 'boundary']), id: text(s.id), initial: text(s.initial), boundary: s.boundary === true })),
    parameters: parameters.map((p) => ({ keep: rest(p, ['id', 'value']), id: text(p.id), value: text(p.value) })),
    reactions: reactions.map((r) => ({
      keep: rest(r, ['id', 'reactants', 'products', 'rate', 'propensity']),
      id: text(r.id),
      reactants: formatSide(r.reactants),
      products: formatSide(r.products),
      law: r.propensity !== undefined ? 'propensity' : 'rate',
      expression: text(r.propensity ?? r.rate),
    })),
  };
}

export function blankModel(): EditorModel {
  return {
    base: { name: 'new-model', time: { end: 50, points: 101 } },
    name: 'New model',
    species: [{ keep: {}, id: 'X', initial: '0', boundary: false }],
    parameters: [
      { keep: {}, id: 'k', value: '1' },
      { keep: {}, id: 'd', value: '0.1' },
    ],
    reactions: [
      { keep: {}, id: 'birth', reactants: '', products: 'X', law: 'rate', expression: 'k' },
      { keep: {}, id: 'death', reactants: 'X', products: '', law: 'rate', expression: 'd' },
    ],
  };
}

/** The model JSON for the engine, and the problems found before sending it (reaction sides that do not parse). */
export function toModel(editor: EditorModel): { model: Json; issues: Issue[] } {
  const issues: Issue[] = [];
  const side = (value: string, path: string): Record<string, number | string> => {
    const parsed = parseSide(value);
    if (typeof parsed === 'string') {
      issues.push({ path, message: parsed });
      return {};
    }
    return parsed;
  };
  const model: Json = {
    ...editor.base,
    species: editor.species.map((s) => {
      const row: Json = { ...s.keep, id: s.id.trim(), initial: numberOrText(s.initial) };
      if (s.boundary) row.boundary = true;
      return row;
    }),
    parameters: editor.parameters.map((p) => ({ ...p.keep, id: p.id.trim(), value: numberOrText(p.value) })),
    reactions: editor.reactions.map((r, i) => ({
      ...r.keep,
      id: r.id.trim(),
      reactants: side(r.reactants, `reactions[${i}].reactants`),
      products: side(r.products, `reactions[${i}].products`),
      [r.law]: numberOrText(r.expression),
    })),
  };
  return { model, issues };
}

/** "reactions.0.rate" and "reactions[0].rate" both become "reactions[0].rate". */
export function normalisePath(path: string): string {
  return path.replace(/\.(\d+)(?=\.|$)/g, '[$1]').replace(/^\$\.?/, '');
}

/** The issues at a field path or below it. */
export function issuesUnder(issues: readonly Issue[], prefix: string): Issue[] {
  return issues.filter((i) => {
    const p = normalisePath(i.path);
    return p === prefix || p.startsWith(`${prefix}.`) || p.startsWith(`${prefix}[`);
  });
}
