/** The prior families and table rows of studyDraft.ts, restated here so this module stays free of the engine client (unit tests run it on Node). */
type PriorKind = 'uniform' | 'logUniform' | 'normal' | 'logNormal' | 'truncatedNormal';
interface PriorRow {
  readonly parameter: string;
  readonly value: number;
  infer: boolean;
  kind: PriorKind;
  fields: Record<string, number | null>;
}
type PartSpec = { kind: string; [field: string]: unknown };

/**
 * A model's study draft as the project keeps it (drafts.save / drafts.get):
 * plain JSON, versioned, read back defensively (a draft written by another
 * version of the app, or edited by hand, gives back what is usable).
 * The truth is a list of [parameter, value] pairs, so no parameter name
 * becomes a JSON key (the engine refuses keys that look like secrets).
 */
export interface DraftFields {
  species: string[];
  priorRows: PriorRow[];
  summaries: PartSpec;
  distance: PartSpec;
  algorithm: PartSpec;
  simulation: { method: 'ssa' | 'tau' | 'ode' | 'hybrid'; runsPerTrial: number };
  seed: number | null;
  truth: Record<string, number> | null;
}

export const DRAFT_VERSION = 1;
const KINDS: readonly PriorKind[] = ['uniform', 'logUniform', 'normal', 'logNormal', 'truncatedNormal'];
const METHODS: readonly string[] = ['ssa', 'tau', 'ode', 'hybrid'];

export function draftSnapshot(fields: DraftFields): Record<string, unknown> {
  return {
    version: DRAFT_VERSION,
    species: [...fields.species],
    priorRows: fields.priorRows.map((r) => ({ parameter: r.parameter, value: r.value, infer: r.infer, kind: r.kind, fields: Object.entries(r.fields) })),
    summaries: fields.summaries,
    distance: fields.distance,
    algorithm: fields.algorithm,
    simulation: { ...fields.simulation },
    seed: fields.seed,
    truth: fields.truth === null ? null : Object.entries(fields.truth),
  };
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const part = (v: unknown): PartSpec | undefined => (isObject(v) && typeof v.kind === 'string' ? (v as PartSpec) : undefined);
const numberOrNull = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);

function pairs(v: unknown): Array<[string, unknown]> {
  return Array.isArray(v) ? v.filter((p): p is [string, unknown] => Array.isArray(p) && p.length === 2 && typeof p[0] === 'string') : [];
}

function row(v: unknown): PriorRow | null {
  if (!isObject(v) || typeof v.parameter !== 'string' || typeof v.value !== 'number' || !(KINDS as readonly string[]).includes(String(v.kind))) return null;
  return {
    parameter: v.parameter,
    value: v.value,
    infer: v.infer === true,
    kind: v.kind as PriorKind,
    fields: Object.fromEntries(pairs(v.fields).map(([k, x]) => [k, numberOrNull(x)])),
  };
}

/** The usable fields of a stored draft (null when it is not one). */
export function restoreDraft(raw: unknown): Partial<DraftFields> | null {
  if (!isObject(raw) || raw.version !== DRAFT_VERSION) return null;
  const out: Partial<DraftFields> = {};
  if (Array.isArray(raw.species)) out.species = raw.species.filter((s): s is string => typeof s === 'string');
  if (Array.isArray(raw.priorRows)) out.priorRows = raw.priorRows.map(row).filter((r): r is PriorRow => r !== null);
  for (const key of ['summaries', 'distance', 'algorithm'] as const) {
    const spec = part(raw[key]);
    if (spec) out[key] = spec;
  }
  if (isObject(raw.simulation) && METHODS.includes(String(raw.simulation.method)) && typeof raw.simulation.runsPerTrial === 'number') {
    out.simulation = { method: raw.simulation.method as 'ssa' | 'tau' | 'ode' | 'hybrid', runsPerTrial: raw.simulation.runsPerTrial };
  }
  if ('seed' in raw) out.seed = Number.isInteger(raw.seed) ? (raw.seed as number) : null;
  if ('truth' in raw) {
    const truth = pairs(raw.truth).filter((p): p is [string, number] => typeof p[1] === 'number');
    out.truth = raw.truth === null ? null : Object.fromEntries(truth);
  }
  return out;
}
