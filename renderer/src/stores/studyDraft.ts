import { defineStore } from 'pinia';
import { computed, ref, watch } from 'vue';
import type { ApiArgs, ParameterInfo, StudyDetail } from '../../../engine/api/contract';
import { useEngineCall } from '../composables/useEngineCall';
import { draftSnapshot, restoreDraft } from './draftSnapshot';

export const PRIOR_KINDS = ['uniform', 'logUniform', 'normal', 'logNormal', 'truncatedNormal'] as const;
export type PriorKind = (typeof PRIOR_KINDS)[number];

/** The fields each prior family takes, in the order the table shows them. */
export const PRIOR_FIELDS: Record<PriorKind, readonly string[]> = {
  uniform: ['lower', 'upper'],
  logUniform: ['lower', 'upper'],
  normal: ['mean', 'sd'],
  logNormal: ['mu', 'sigma'],
  truncatedNormal: ['mean', 'sd', 'lower', 'upper'],
};

/** One row of the priors table: a model parameter, whether to infer it, and its prior. */
export interface PriorRow {
  readonly parameter: string;
  /** The model's value (the prior's centre by default; the truth when the data were simulated from the model). */
  readonly value: number;
  infer: boolean;
  kind: PriorKind;
  /** Field values by name (lower, upper, mean, sd, mu, sigma); null = not given (optional bounds of truncatedNormal). */
  fields: Record<string, number | null>;
}

export type PartSpec = { kind: string; [field: string]: unknown };
export type PriorSpec = { kind: PriorKind; [field: string]: number | string };

/** A prior as the engine reads it, or a message saying what is missing or wrong. */
export function priorSpecOf(row: PriorRow): PriorSpec | string {
  const spec: PriorSpec = { kind: row.kind };
  for (const field of PRIOR_FIELDS[row.kind]) {
    const v = row.fields[field];
    const optional = row.kind === 'truncatedNormal' && (field === 'lower' || field === 'upper');
    if (v === null || v === undefined || Number.isNaN(v)) {
      if (optional) continue;
      return `${field} is required`;
    }
    if (!Number.isFinite(v)) return `${field} must be a finite number`;
    spec[field] = v;
  }
  const lower = spec.lower as number | undefined;
  const upper = spec.upper as number | undefined;
  if (lower !== undefined && upper !== undefined && !(upper > lower)) return 'upper must be greater than lower';
  if (row.kind === 'logUniform' && lower !== undefined && lower <= 0) return 'lower must be > 0 for a log-uniform prior';
  if ((row.kind === 'normal' || row.kind === 'truncatedNormal') && !((spec.sd as number) > 0)) return 'sd must be > 0';
  if (row.kind === 'logNormal' && !((spec.sigma as number) > 0)) return 'sigma must be > 0';
  return spec;
}

/** Fill a row's fields for a new family from what it had (bounds stay bounds; centre and spread are derived). */
export function fieldsFor(kind: PriorKind, row: Pick<PriorRow, 'value' | 'fields'>): Record<string, number | null> {
  const f = row.fields;
  const centre = row.value !== 0 ? row.value : 1;
  const lower = f.lower ?? (f.mean != null && f.sd != null ? f.mean - 2 * f.sd : Math.abs(centre) / 10);
  const upper = f.upper ?? (f.mean != null && f.sd != null ? f.mean + 2 * f.sd : Math.abs(centre) * 10);
  const round = (v: number) => Number(v.toPrecision(4));
  switch (kind) {
    case 'uniform':
      return { lower: round(lower), upper: round(upper) };
    case 'logUniform':
      return { lower: round(lower > 0 ? lower : Math.abs(centre) / 10), upper: round(upper) };
    case 'normal':
      return { mean: round(f.mean ?? centre), sd: round(f.sd ?? Math.abs(upper - lower) / 4) };
    case 'logNormal':
      return { mu: round(f.mu ?? Math.log(Math.abs(centre))), sigma: round(f.sigma ?? 0.5) };
    case 'truncatedNormal':
      return { mean: round(f.mean ?? centre), sd: round(f.sd ?? Math.abs(upper - lower) / 4), lower: round(lower), upper: round(upper) };
  }
}

/**
 * The study being put together across the Model, Priors and Data views;
 * the Inference view turns it into studies.save + runs.start (toStudyArgs).
 * Each model's draft is kept in the project (drafts.save, a moment after
 * each change) and read back when the model is chosen, so a reload or
 * another browser finds the priors and choices again.
 */
export const useStudyDraftStore = defineStore('studyDraft', () => {
  const modelId = ref<number | null>(null);
  const observedId = ref<number | null>(null);
  /** Observed species to fit (empty = all the observed species). */
  const species = ref<string[]>([]);
  const priorRows = ref<PriorRow[]>([]);
  const summaries = ref<PartSpec>({ kind: 'time-series-features', set: 'efficient' });
  const distance = ref<PartSpec>({ kind: 'adaptive' });
  const algorithm = ref<PartSpec>({ kind: 'smcAbc', populationSize: 200, maxGenerations: 8 });
  const simulation = ref<{ method: 'ssa' | 'tau' | 'ode' | 'hybrid'; runsPerTrial: number }>({ method: 'ssa', runsPerTrial: 10 });
  const seed = ref<number | null>(null);
  /** Known true parameter values (for synthetic data), shown next to the posterior. */
  const truth = ref<Record<string, number> | null>(null);

  /** The priors of the parameters to infer, as studies.save wants them (rows with a problem are left out). */
  const priors = computed<Record<string, PriorSpec>>(() => {
    const out: Record<string, PriorSpec> = {};
    for (const row of priorRows.value) {
      if (!row.infer) continue;
      const spec = priorSpecOf(row);
      if (typeof spec !== 'string') out[row.parameter] = spec;
    }
    return out;
  });

  /** What still stops the study from being saved, in words. */
  const problems = computed<string[]>(() => {
    const out: string[] = [];
    if (modelId.value === null) out.push('Choose a model (Model view).');
    if (observedId.value === null) out.push('Load observed data (Data view).');
    const inferred = priorRows.value.filter((r) => r.infer);
    if (inferred.length === 0) out.push('Choose at least one parameter to infer (Priors view).');
    for (const row of inferred) {
      const spec = priorSpecOf(row);
      if (typeof spec === 'string') out.push(`Prior of ${row.parameter}: ${spec}.`);
    }
    return out;
  });

  /** Priors chosen for other models this session, restored when the user comes back to one. */
  const byModel = new Map<number, { rows: PriorRow[]; truth: Record<string, number> | null }>();

  /** Set the model; each model keeps its own priors table (empty until the Priors view fills it with defaults, or the project's draft is read back). */
  function setModel(id: number | null): void {
    if (id === modelId.value) return;
    if (modelId.value !== null) byModel.set(modelId.value, { rows: priorRows.value, truth: truth.value });
    modelId.value = id;
    const saved = id === null ? undefined : byModel.get(id);
    priorRows.value = saved?.rows ?? [];
    truth.value = saved?.truth ?? null;
    epoch++;
    storedFor = saved ? id : null;
    if (id !== null && !saved) void restore(id);
  }

  /** Forget the priors of a model (deleted, or its parameters changed), here and in the project. */
  function forgetModel(id: number): void {
    byModel.delete(id);
    if (modelId.value === id) {
      priorRows.value = [];
      truth.value = null;
    }
    void forgetDraft.run({ modelId: id, draft: null });
  }

  // ---- the draft in the project ----
  // The draft in the project is a convenience: a failed read or save leaves the form as it is, with no message.
  const readDraft = useEngineCall('drafts.get');
  const saveDraft = useEngineCall('drafts.save');
  /** Apart from saveDraft: latest-wins must not drop forgetting one model's draft for a save of another's. */
  const forgetDraft = useEngineCall('drafts.save');
  /** Bumped when the model or a loaded study replaces the draft: a draft read back for an older choice is dropped. */
  let epoch = 0;
  /** The model whose draft is in the project and may be overwritten (null until it was read back). */
  let storedFor: number | null = null;
  /** Bumped when a draft was read back from the project (the Inference form fills itself again). */
  const restored = ref(0);

  async function restore(id: number): Promise<void> {
    const at = epoch;
    const answer = await readDraft.run({ modelId: id });
    // No project, no model or no engine: the draft starts empty and is not saved over what the project may hold.
    if (!answer) return;
    if (at !== epoch || modelId.value !== id) return;
    const back = restoreDraft(answer.draft);
    if (back) {
      if (back.priorRows && back.priorRows.length > 0) priorRows.value = back.priorRows;
      if (back.species) species.value = back.species;
      if (back.summaries) summaries.value = back.summaries;
      if (back.distance) distance.value = back.distance;
      if (back.algorithm) algorithm.value = back.algorithm;
      if (back.simulation) simulation.value = back.simulation;
      if (back.seed !== undefined) seed.value = back.seed;
      if (back.truth !== undefined) truth.value = back.truth;
      restored.value++;
    }
    storedFor = id;
  }

  let saveTimer: ReturnType<typeof setTimeout> | undefined;
  watch(
    [priorRows, species, summaries, distance, algorithm, simulation, seed, truth],
    () => {
      const id = modelId.value;
      if (id === null || storedFor !== id) return;
      clearTimeout(saveTimer);
      saveTimer = setTimeout(() => {
        if (modelId.value !== id) return;
        const draft = draftSnapshot({
          species: species.value,
          priorRows: priorRows.value,
          summaries: summaries.value,
          distance: distance.value,
          algorithm: algorithm.value,
          simulation: simulation.value,
          seed: seed.value,
          truth: truth.value,
        });
        void saveDraft.run({ modelId: id, draft });
      }, 300);
    },
    { deep: true },
  );

  function setPriorRows(rows: PriorRow[]): void {
    priorRows.value = rows;
  }

  /** The stored study the draft was last filled from (so it is loaded once, not again over the user's edits). */
  const loadedStudyId = ref<number | null>(null);

  /**
   * Fill the draft from a stored study (studies.get): model, data, species,
   * priors (one row per model parameter; those without a prior are not
   * inferred), the inference choices, seed and truth.
   */
  function applyStudy(study: StudyDetail, parameters: readonly ParameterInfo[]): void {
    const config = study.config;
    setModel(study.modelId);
    // The stored study wins over a draft still being read back; the draft then follows the study.
    epoch++;
    storedFor = study.modelId;
    observedId.value = study.observedId;
    species.value = Array.isArray(config.species) ? config.species.filter((s): s is string => typeof s === 'string') : [];
    const priorsOf = (config.priors ?? {}) as Record<string, Record<string, unknown>>;
    priorRows.value = parameters.map((p) => {
      const spec = priorsOf[p.id];
      const kind = spec && (PRIOR_KINDS as readonly string[]).includes(String(spec.kind)) ? (spec.kind as PriorKind) : 'uniform';
      const fields = spec
        ? Object.fromEntries(PRIOR_FIELDS[kind].map((f) => [f, typeof spec[f] === 'number' ? (spec[f] as number) : null]))
        : fieldsFor(kind, { value: p.value, fields: {} });
      return { parameter: p.id, value: p.value, infer: spec !== undefined, kind, fields };
    });
    const part = (v: unknown): PartSpec | null => (v && typeof v === 'object' && typeof (v as PartSpec).kind === 'string' ? (v as PartSpec) : null);
    summaries.value = part(config.summaries) ?? { kind: 'time-series-features', set: 'efficient' };
    distance.value = part(config.distance) ?? { kind: 'adaptive' };
    algorithm.value = part(config.algorithm) ?? { kind: 'smcAbc', populationSize: 200, maxGenerations: 8 };
    const sim = (config.simulation ?? {}) as Partial<{ method: 'ssa' | 'tau' | 'ode' | 'hybrid'; runsPerTrial: number }>;
    simulation.value = { method: sim.method ?? 'ssa', runsPerTrial: sim.runsPerTrial ?? 10 };
    seed.value = typeof config.seed === 'number' ? config.seed : null;
    truth.value = config.truth && typeof config.truth === 'object' ? { ...(config.truth as Record<string, number>) } : null;
    loadedStudyId.value = study.id;
  }

  /** The arguments of studies.save for this draft (call only when problems is empty). */
  function toStudyArgs(name: string): ApiArgs<'studies.save'> {
    if (modelId.value === null || observedId.value === null) throw new Error(problems.value.join(' '));
    // The truth of a parameter that is not inferred has nothing to be compared with: only the inferred ones are sent.
    const inferredTruth = truth.value && Object.fromEntries(Object.entries(truth.value).filter(([p]) => p in priors.value));
    return {
      name,
      modelId: modelId.value,
      observedId: observedId.value,
      species: species.value.length > 0 ? [...species.value] : undefined,
      priors: priors.value,
      summaries: summaries.value,
      distance: distance.value,
      algorithm: algorithm.value,
      simulation: { ...simulation.value },
      seed: seed.value ?? undefined,
      truth: inferredTruth && Object.keys(inferredTruth).length > 0 ? inferredTruth : undefined,
    };
  }

  return {
    modelId,
    observedId,
    species,
    priorRows,
    priors,
    summaries,
    distance,
    algorithm,
    simulation,
    seed,
    truth,
    problems,
    setModel,
    forgetModel,
    setPriorRows,
    loadedStudyId,
    restored,
    applyStudy,
    toStudyArgs,
  };
});
