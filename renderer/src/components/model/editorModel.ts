import type { Issue } from '../../../../engine/api/contract'

/**
 * The model editor's working copy: table rows of text fields, converted to
 * and from the engine's reaction-network JSON. Everything the tables do not
 * show (rules, events, time, volume, description) is kept from the original.
 */
export interface SpeciesRow {
  id: string
  initial: string
  boundary: boolean
}
export interface ParameterRow {
  id: string
  value: string
}
export interface ReactionRow {
  id: string
  reactants: string
  products: string
  law: 'rate' | 'propensity'
  expression: string
}
export interface EditorModel {
  base: Record<string, unknown>
  name: string
  species: SpeciesRow[]
  parameters: ParameterRow[]
  reactions: ReactionRow[]
}

type Json = Record<string, unknown>
const isRecord = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v)
const text = (v: unknown): string => (v === undefined || v === null ? '' : String(v))

/** Whether the tables can edit this model (a reaction network, not a black-box simulator's interface). */
export function isEditable(model: Json): boolean {
  return Array.isArray(model.species) && Array.isArray(model.reactions)
}

/** "2 A + B" for {A: 2, B: 1}; "∅" for nothing. */
export function formatSide(side: unknown): string {
  if (!isRecord(side) || Object.keys(side).length === 0) return ''
  return Object.entries(side)
    .map(([s, n]) => (n === 1 ? s : `${n} ${s}`))
    .join(' + ')
}

/** Parse "2 A + B" (or "2A + B"; empty or ∅ for nothing) into {A: 2, B: 1}. */
export function parseSide(input: string): Record<string, number> | string {
  const trimmed = input.trim()
  if (trimmed === '' || trimmed === '∅' || trimmed === '0') return {}
  const out: Record<string, number> = {}
  for (const term of trimmed.split('+')) {
    const m = /^\s*(\d+)?\s*\*?\s*([A-Za-z_][A-Za-z0-9_]*)\s*$/.exec(term)
    if (!m) return `cannot read "${term.trim()}": write terms like "2 A + B"`
    const n = m[1] === undefined ? 1 : Number(m[1])
    if (n < 1) return `stoichiometry of ${m[2]} must be a positive integer`
    out[m[2]] = (out[m[2]] ?? 0) + n
  }
  return out
}

/** A number when the text is one, else the text itself (an expression, or something the engine will name as wrong). */
function numberOrText(value: string): number | string {
  const t = value.trim()
  if (t !== '' && Number.isFinite(Number(t))) return Number(t)
  return t
}

export function fromModel(name: string, model: Json): EditorModel {
  const species = (Array.isArray(model.species) ? model.species : []).filter(isRecord)
  const parameters = (Array.isArray(model.parameters) ? model.parameters : []).filter(isRecord)
  const reactions = (Array.isArray(model.reactions) ? model.reactions : []).filter(isRecord)
  return {
    base: model,
    name,
    species: species.map((s) => ({ id: text(s.id), initial: text(s.initial), boundary: s.boundary === true })),
    parameters: parameters.map((p) => ({ id: text(p.id), value: text(p.value) })),
    reactions: reactions.map((r) => ({
      id: text(r.id),
      reactants: formatSide(r.reactants),
      products: formatSide(r.products),
      law: r.propensity !== undefined ? 'propensity' : 'rate',
      expression: text(r.propensity ?? r.rate)
    }))
  }
}

export function blankModel(): EditorModel {
  return {
    base: { name: 'new-model', time: { end: 50, points: 101 } },
    name: 'New model',
    species: [{ id: 'X', initial: '0', boundary: false }],
    parameters: [{ id: 'k', value: '1' }, { id: 'd', value: '0.1' }],
    reactions: [
      { id: 'birth', reactants: '', products: 'X', law: 'rate', expression: 'k' },
      { id: 'death', reactants: 'X', products: '', law: 'rate', expression: 'd' }
    ]
  }
}

/** The model JSON for the engine, and the problems found before sending it (reaction sides that do not parse). */
export function toModel(editor: EditorModel): { model: Json; issues: Issue[] } {
  const issues: Issue[] = []
  const side = (value: string, path: string): Record<string, number> => {
    const parsed = parseSide(value)
    if (typeof parsed === 'string') {
      issues.push({ path, message: parsed })
      return {}
    }
    return parsed
  }
  const model: Json = {
    ...editor.base,
    species: editor.species.map((s) => {
      const row: Json = { id: s.id.trim(), initial: numberOrText(s.initial) }
      if (s.boundary) row.boundary = true
      return row
    }),
    parameters: editor.parameters.map((p) => ({ id: p.id.trim(), value: numberOrText(p.value) })),
    reactions: editor.reactions.map((r, i) => ({
      id: r.id.trim(),
      reactants: side(r.reactants, `reactions[${i}].reactants`),
      products: side(r.products, `reactions[${i}].products`),
      [r.law]: numberOrText(r.expression)
    }))
  }
  return { model, issues }
}

/** "reactions.0.rate" and "reactions[0].rate" both become "reactions[0].rate". */
export function normalisePath(path: string): string {
  return path.replace(/\.(\d+)(?=\.|$)/g, '[$1]').replace(/^\$\.?/, '')
}

/** The issues at a field path or below it. */
export function issuesUnder(issues: readonly Issue[], prefix: string): Issue[] {
  return issues.filter((i) => {
    const p = normalisePath(i.path)
    return p === prefix || p.startsWith(`${prefix}.`) || p.startsWith(`${prefix}[`)
  })
}
