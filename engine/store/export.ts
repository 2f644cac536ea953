import { z } from 'zod';
import { ProjectFileError } from '../errors/index.js';
import type { GenerationJSON } from '../infer/Posterior.js';
import type { ProjectStore, RunRecord } from './ProjectStore.js';
import { zodIssues } from '../errors/zodIssues.js';

/** CSV lines of a run's particles, streamed: generation, one column per parameter, weight, distance. */
export function* runCsvLines(store: ProjectStore, runId: number, generation?: number): IterableIterator<string> {
  const run = requireRun(store, runId);
  yield ['generation', ...run.parameterNames, 'weight', 'distance'].join(',');
  for (const p of store.iterateParticles(runId, generation)) {
    yield [String(p.generation), ...Array.from(p.parameters, String), String(p.weight), String(p.distance)].join(',');
  }
}

export function runToCsv(store: ProjectStore, runId: number, generation?: number): string {
  return Array.from(runCsvLines(store, runId, generation)).join('\n') + '\n';
}

export interface RunExportJSON {
  readonly format: 'sciope-run';
  readonly version: 1;
  readonly run: RunRecord;
  readonly study: { readonly name: string; readonly config: Record<string, unknown> };
  /** Posterior.fromJSON reads this when the run is completed (stopReason is null otherwise). */
  readonly posterior: {
    readonly parameterNames: readonly string[];
    readonly stopReason: string | null;
    readonly simulations: number;
    readonly config: Record<string, unknown>;
    readonly generations: GenerationJSON[];
  };
}

/** A run with every generation (particles, weights, distances, statistics) as JSON. */
export function runToJson(store: ProjectStore, runId: number): RunExportJSON {
  const run = requireRun(store, runId);
  const study = store.getStudy(run.studyId);
  const generations = store.loadGenerations(runId).map((g) => ({
    ...g,
    particles: Array.from(g.particles),
    weights: Array.from(g.weights),
    distances: Array.from(g.distances),
    features: Array.from(g.features),
  }));
  return {
    format: 'sciope-run',
    version: 1,
    run,
    study: { name: study?.name ?? '', config: study?.config ?? {} },
    posterior: {
      parameterNames: run.parameterNames,
      stopReason: run.stopReason,
      simulations: run.simulations ?? generations.reduce((s, g) => s + g.simulations, 0),
      config: run.resultConfig ?? {},
      generations,
    },
  };
}

function requireRun(store: ProjectStore, runId: number): RunRecord {
  const run = store.getRun(runId);
  if (!run) throw new ProjectFileError(store.path, 'no-run', `no run ${runId} in the project`);
  return run;
}

const studyFileSchema = z.strictObject({
  format: z.literal('sciope-study'),
  version: z.literal(1),
  study: z.strictObject({ name: z.string(), source: z.string(), config: z.record(z.string(), z.unknown()) }),
  model: z.strictObject({ name: z.string(), format: z.enum(['json', 'sbml', 'example', 'simulator']), source: z.string(), parsed: z.unknown() }),
  observed: z.strictObject({ name: z.string(), format: z.literal('csv'), source: z.string(), species: z.array(z.string()).nullable() }),
});

/** A study with its model and observed data inside: one self-contained JSON file. */
export type StudyExportJSON = z.infer<typeof studyFileSchema>;

export function exportStudy(store: ProjectStore, studyId: number): StudyExportJSON {
  const study = store.getStudy(studyId);
  if (!study) throw new ProjectFileError(store.path, 'no-study', `no study ${studyId} in the project`);
  const model = study.modelId !== null ? store.getModel(study.modelId) : undefined;
  const observed = study.observedId !== null ? store.getObserved(study.observedId) : undefined;
  if (!model || !observed) throw new ProjectFileError(store.path, 'corrupted', `study ${studyId}: its model or observed data is missing`);
  return {
    format: 'sciope-study',
    version: 1,
    study: { name: study.name, source: study.source, config: study.config },
    model: { name: model.name, format: model.format, source: model.source, parsed: model.parsed },
    observed: { name: observed.name, format: 'csv', source: observed.source, species: observed.species ? [...observed.species] : null },
  };
}

/** Store a study exported by exportStudy (with its model and observed data); returns the new study's id. */
export function importStudy(store: ProjectStore, json: unknown, source = 'study file'): number {
  const parsed = studyFileSchema.safeParse(json);
  if (!parsed.success) {
    const issues = zodIssues(parsed.error, { whole: '(file)' })
      .map((i) => `${i.path}: ${i.message}`)
      .join('; ');
    throw new ProjectFileError(source, 'not-a-study', `not a Sciope study export (${issues})`);
  }
  const { study, model, observed } = parsed.data;
  return store.transaction('importing a study', () => {
    const modelId = store.addModel(model);
    const observedId = store.addObserved(observed);
    return store.addStudy({ ...study, modelId, observedId });
  });
}
