import { existsSync, readFileSync } from 'node:fs';
import { extname, resolve } from 'node:path';
import { getExample } from '../model/index.js';
import type { ReactionNetworkInput } from '../model/schema.js';
import type { Posterior } from '../infer/Posterior.js';
import type { Study } from '../infer/study.js';
import type { Generation } from '../infer/types.js';
import { ProjectStore, type ModelRecord } from './ProjectStore.js';
import { storedSimulator } from '../simulate/blackbox/fingerprint.js';

const SBML_EXTENSIONS = new Set(['.xml', '.sbml']);

export interface RecordRunInput {
  readonly study: Study;
  /** The study file: its JSON is stored as given, model and observed paths resolve from its folder. */
  readonly studyPath: string;
  /** The validated model the run simulates. */
  readonly model: ReactionNetworkInput;
  readonly seed: number;
  /** CLI overrides of the study's settings. */
  readonly populationSize?: number;
  readonly maxGenerations?: number;
}

/** Writes one run into a project as it is produced: hand `onGeneration` to the algorithm. */
export interface RunRecorder {
  readonly store: ProjectStore;
  readonly runId: number;
  readonly onGeneration: (generation: Generation) => void;
  /** Mark the run completed and close the project. */
  complete(posterior: Posterior): void;
  /** Mark the run cancelled (interrupted by the user) or failed, and close the project. */
  fail(error: unknown, cancelled: boolean): void;
}

/** The model's original text and format as the study names it (an example, a JSON or an SBML file). */
function modelSource(study: Study, base: string): { name: string; format: ModelRecord['format']; source: string } {
  const spec = study.model as string | { example: string } | { file: string } | { simulator: unknown };
  if (typeof spec === 'object' && 'simulator' in spec) return { name: 'black-box simulator', format: 'simulator', source: JSON.stringify(spec.simulator) };
  if (typeof spec === 'object' && 'example' in spec) return { name: spec.example, format: 'example', source: spec.example };
  const path = resolve(base, typeof spec === 'string' ? spec : spec.file);
  if (typeof spec === 'string' && !existsSync(path) && getExample(spec)) return { name: spec, format: 'example', source: spec };
  return { name: path.replace(/^.*[\\/]/, ''), format: SBML_EXTENSIONS.has(extname(path).toLowerCase()) ? 'sbml' : 'json', source: readFileSync(path, 'utf8') };
}

/** Open (or create) the project and store the model, observed data, study and a new `running` run. */
export function recordRun(projectPath: string, input: RecordRunInput): RunRecorder {
  const { study, studyPath } = input;
  const base = resolve(studyPath, '..');
  const studyJson = JSON.parse(readFileSync(studyPath, 'utf8')) as Record<string, unknown>;
  const model = modelSource(study, base);
  const observedPath = resolve(base, study.observed);
  const observedText = readFileSync(observedPath, 'utf8');
  const simulator = study.simulator ? storedSimulator(study.simulator) : undefined;
  const store = ProjectStore.open(projectPath, { create: true });
  try {
    const runId = store.transaction('storing the study', () => {
      // Repeated runs of one study share its stored model, observed data and study.
      const modelRecord = { ...model, parsed: input.model };
      const modelId = store.findModel(modelRecord) ?? store.addModel(modelRecord);
      const observedRecord = { name: observedPath.replace(/^.*[\\/]/, ''), source: observedText, species: study.species ?? null };
      const observedId = store.findObserved(observedRecord) ?? store.addObserved(observedRecord);
      const studyRecord = { name: study.name, source: studyPath, config: studyJson, modelId, observedId };
      const studyId = store.findStudy(studyRecord) ?? store.addStudy(studyRecord);
      const options: Record<string, unknown> = {};
      if (input.populationSize !== undefined) options.populationSize = input.populationSize;
      if (input.maxGenerations !== undefined) options.maxGenerations = input.maxGenerations;
      // A black-box simulator: its spec with absolute paths and the hashes of its files (see resumeRun).
      if (simulator) options.simulator = simulator;
      return store.createRun({ studyId, algorithm: study.algorithm.kind, seed: input.seed, options, parameterNames: study.prior.names });
    });
    return recorderFor(store, runId);
  } catch (error) {
    store.close();
    throw error;
  }
}

/** A recorder writing further generations of an existing run. */
export function recorderFor(store: ProjectStore, runId: number, closeStore = true): RunRecorder {
  const finish = () => {
    if (closeStore) store.close();
  };
  return {
    store,
    runId,
    onGeneration: (generation) => store.addGeneration(runId, generation),
    complete(posterior) {
      try {
        store.completeRun(runId, { stopReason: posterior.stopReason, simulations: posterior.simulations, config: posterior.config });
      } finally {
        finish();
      }
    },
    fail(error, cancelled) {
      try {
        if (store.db.open) store.endRun(runId, cancelled ? 'cancelled' : 'failed', error instanceof Error ? error.message : String(error));
      } catch {
        // The run stays 'running' and is marked interrupted when the project is next opened.
      } finally {
        finish();
      }
    },
  };
}
