import { existsSync, readFileSync } from 'node:fs';
import { extname, resolve } from 'node:path';
import { getExample } from '../model/index.js';
import type { ReactionNetworkInput } from '../model/schema.js';
import type { Study } from '../infer/study.js';
import type { ModelRecord, ProjectStore } from './ProjectStore.js';

const SBML_EXTENSIONS = new Set(['.xml', '.sbml']);

export interface StudyFileInput {
  readonly study: Study;
  /** The study file: model and observed paths resolve from its folder; it is the stored study's source. */
  readonly studyPath: string;
  /** The validated model the study simulates. */
  readonly model: ReactionNetworkInput;
  /** The study JSON to store (default: the file's JSON as written), e.g. with a network file inlined. */
  readonly config?: Record<string, unknown>;
}

export interface StoredStudyFile {
  readonly studyId: number;
  readonly modelId: number;
  readonly observedId: number;
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

/**
 * Store a study file's model, observed data and study in a project, so that
 * a run of it can be started there (EngineApi `runs.start`). Repeated runs
 * of one study file share its stored records: each is found before it is added.
 */
export function storeStudyFile(store: ProjectStore, input: StudyFileInput): StoredStudyFile {
  const { study, studyPath } = input;
  const base = resolve(studyPath, '..');
  const config = input.config ?? (JSON.parse(readFileSync(studyPath, 'utf8')) as Record<string, unknown>);
  const model = modelSource(study, base);
  const observedPath = resolve(base, study.observed);
  const observedText = readFileSync(observedPath, 'utf8');
  return store.transaction('storing the study', () => {
    const modelRecord = { ...model, parsed: input.model };
    const modelId = store.findModel(modelRecord) ?? store.addModel(modelRecord);
    const observedRecord = { name: observedPath.replace(/^.*[\\/]/, ''), source: observedText, species: study.species ?? null };
    const observedId = store.findObserved(observedRecord) ?? store.addObserved(observedRecord);
    const studyRecord = { name: study.name, source: studyPath, config, modelId, observedId };
    const studyId = store.findStudy(studyRecord) ?? store.addStudy(studyRecord);
    return { studyId, modelId, observedId };
  });
}
