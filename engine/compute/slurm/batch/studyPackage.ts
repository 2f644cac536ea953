import { readFileSync, statSync } from 'node:fs';
import { basename, dirname, isAbsolute, relative, resolve, sep } from 'node:path';
import { InferenceError } from '../../../infer/errors.js';
import { parseStudy, type Study } from '../../../infer/study.js';
import { resolveStudySummaries } from '../../../learn/nn/studySummaries.js';
import type { ProjectStore } from '../../../store/index.js';
import type { ReactionNetworkInput } from '../../../model/schema.js';
import { absoluteSpec } from '../../../simulate/blackbox/fingerprint.js';
import type { BlackBoxSimulatorSpec } from '../../../simulate/blackbox/spec.js';
import { describeSimulator } from '../../../trust/describeSimulator.js';
import type { TarEntry } from './tarball.js';
import type { ApprovedSimulator } from './manifest.js';

/**
 * A study made self-contained for the cluster: every file it reads is
 * copied under one folder (`input/` of the remote run) and the study JSON is
 * rewritten to name the copies by relative paths:
 *   study.json      the study as given, with `model`, `observed`, the
 *                   simulator's paths and a network file pointing at the copies
 *                   (and `output` dropped: results stay in the remote project)
 *   model.json      a model file as this machine loaded and validated it
 *                   (an SBML file travels converted, so the cluster needs no libSBML)
 *   observed.csv    the observed data
 *   network.json    a trained network named by file
 *   sim/...         a black-box simulator's files: the module; a command's
 *                   program and the files its arguments name, at their paths
 *                   relative to the command's folder (files outside it under
 *                   sim/outside-<k>/, the argument rewritten)
 * A simulator's approval travels as its content (command, environment,
 * each file's role and SHA-256): the job refuses to run unless the copies
 * hash the same (see verifyApprovedSimulator).
 */
export interface StudyPackage {
  readonly files: readonly TarEntry[];
  readonly simulator?: ApprovedSimulator;
}

const fileMode = (path: string) => (statSync(path).mode & 0o111 ? 0o755 : 0o644);
const posixRelative = (from: string, to: string) => relative(from, to).split(sep).join('/');
const inside = (dir: string, file: string) => {
  const rel = relative(dir, file);
  return rel !== '' && !rel.startsWith('..') && !isAbsolute(rel);
};

function packModule(
  spec: Extract<BlackBoxSimulatorSpec, { kind: 'module' }>,
  files: TarEntry[],
): { json: Record<string, unknown>; approved: ApprovedSimulator } {
  const absolute = absoluteSpec(spec) as typeof spec;
  const target = `sim/${basename(absolute.path)}`;
  files.push({ path: target, data: readFileSync(absolute.path), mode: 0o644 });
  const description = describeSimulator(absolute);
  const { source: _s, sha256: _h, ...rest } = spec as typeof spec & { source?: string; sha256?: string };
  return {
    json: { ...rest, path: target },
    approved: { kind: 'module', fingerprint: description.fingerprint, files: description.files.map((f) => ({ role: f.role, sha256: f.sha256, path: target })) },
  };
}

function packCommand(
  spec: Extract<BlackBoxSimulatorSpec, { kind: 'command' }>,
  files: TarEntry[],
): { json: Record<string, unknown>; approved: ApprovedSimulator } {
  const absolute = absoluteSpec(spec) as typeof spec;
  const cwd = absolute.cwd!;
  const description = describeSimulator(absolute);
  const placed = new Map<string, string>(); // absolute local path -> path relative to the new cwd (sim/)
  description.files.forEach((file, k) => {
    const where = inside(cwd, file.path) ? posixRelative(cwd, file.path) : `outside-${k}/${basename(file.path)}`;
    placed.set(file.path, where);
    files.push({ path: `sim/${where}`, data: readFileSync(file.path), mode: fileMode(file.path) });
  });
  // An argument naming a file outside the command's folder now names its copy.
  const command = absolute.command.map((word, i) => {
    if (i > 0 && word.startsWith('-')) return word;
    const path = resolve(cwd, word);
    const target = placed.get(path);
    // A bare program name is looked up on PATH, never a file of the folder.
    if (target === undefined || (i === 0 && !/[\\/]/.test(word))) return word;
    return isAbsolute(word) || !inside(cwd, path) ? target : word;
  });
  return {
    json: { ...spec, command, cwd: 'sim' },
    approved: {
      kind: 'command',
      fingerprint: description.fingerprint,
      command,
      env: description.env ?? {},
      files: description.files.map((f) => ({ role: f.role, sha256: f.sha256, path: `sim/${placed.get(f.path)!}` })),
    },
  };
}

/** Pack the study at `studyPath` (already parsed as `study`, its model loaded as `model`). */
export function packStudy(studyPath: string, study: Study, model: ReactionNetworkInput): StudyPackage {
  const base = dirname(resolve(studyPath));
  const json = JSON.parse(readFileSync(studyPath, 'utf8')) as Record<string, unknown>;
  const summaries = json.summaries as Record<string, unknown> | undefined;
  let network: Buffer | undefined;
  if (summaries?.kind === 'neural-network' && typeof summaries.file === 'string') {
    network = readFileSync(resolve(base, summaries.file));
  } else if (summaries?.kind === 'neural-network' && 'network' in summaries && !('weights' in summaries)) {
    throw new InferenceError(
      `${study.name}: a network named by its id in a project cannot travel to the cluster; write it to a file (\`sciope learn --out net.json\`) and name that file in the study`,
    );
  }
  const inlineModel = !(typeof study.model === 'object' && 'example' in study.model) && !isExampleName(study.model, base);
  return packStudyJson(json, study, {
    model: inlineModel ? model : null,
    observed: readFileSync(resolve(base, study.observed)),
    ...(network ? { network } : {}),
  });
}

/**
 * Pack a study stored in a project (the app's "Run on cluster"): its config
 * as the study JSON, the model record's JSON (an example stays named), the
 * observed record's CSV, and a network named by id inlined with its weights.
 */
export function packStoredStudy(store: ProjectStore, studyId: number): { study: Study; model: ReactionNetworkInput; package: StudyPackage } {
  const record = store.getStudy(studyId);
  if (!record) throw new InferenceError(`no study ${studyId} in ${store.path}`);
  const modelRecord = record.modelId !== null ? store.getModel(record.modelId) : undefined;
  const observed = record.observedId !== null ? store.getObserved(record.observedId) : undefined;
  if (!modelRecord || !observed) throw new InferenceError(`study "${record.name}" has no model or observed data in ${store.path}`);
  const json = structuredClone(record.config) as Record<string, unknown>;
  if (json.species === undefined && observed.species) json.species = observed.species;
  const parsed = parseStudy(json, record.source);
  // A network named by its id lives in this project only: it travels inline, weights and all.
  const study = resolveStudySummaries(parsed, { baseDir: '', readJson: () => undefined, networks: store });
  if (study.summaries !== parsed.summaries) json.summaries = study.summaries;
  const model = modelRecord.parsed as ReactionNetworkInput;
  const inlineModel = modelRecord.format !== 'example' && modelRecord.format !== 'simulator';
  return { study, model, package: packStudyJson(json, study, { model: inlineModel ? model : null, observed: Buffer.from(observed.source) }) };
}

/** The study JSON rewritten to name the packed copies (model.json, observed.csv, network.json, sim/...). */
function packStudyJson(
  json: Record<string, unknown>,
  study: Study,
  inputs: { model: ReactionNetworkInput | null; observed: Buffer; network?: Buffer },
): StudyPackage {
  const files: TarEntry[] = [];
  let simulator: ApprovedSimulator | undefined;
  delete json.output;
  if (study.simulator) {
    const packed = study.simulator.kind === 'module' ? packModule(study.simulator, files) : packCommand(study.simulator, files);
    json.model = { simulator: packed.json };
    simulator = packed.approved;
  } else if (inputs.model) {
    files.push({ path: 'model.json', data: Buffer.from(JSON.stringify(inputs.model, null, 1)), mode: 0o644 });
    json.model = 'model.json';
  }
  files.push({ path: 'observed.csv', data: inputs.observed, mode: 0o644 });
  json.observed = 'observed.csv';
  if (inputs.network) {
    files.push({ path: 'network.json', data: inputs.network, mode: 0o644 });
    json.summaries = { kind: 'neural-network', file: 'network.json' };
  }
  files.push({ path: 'study.json', data: Buffer.from(JSON.stringify(json, null, 2) + '\n'), mode: 0o644 });
  return { files, ...(simulator ? { simulator } : {}) };
}

/** A model named by an example's name, with no file of that name beside the study (as the CLI reads it). */
function isExampleName(model: Study['model'], base: string): boolean {
  if (typeof model !== 'string') return false;
  try {
    statSync(resolve(base, model));
    return false;
  } catch {
    return true;
  }
}
