import { isNeuralNetworkReference, type Study } from '../../infer/study.js';
import { StudyError } from '../../infer/errors.js';
import { createSummaryStatistics, PartSpecError, type NeuralNetworkSpec } from '../../stats/index.js';
import { NeuralNetworkError } from './errors.js';
import { loadNetwork, type NetworkRepository } from './networkStore.js';

export interface ResolveSummariesOptions {
  /** Folder the study's relative paths start from. */
  readonly baseDir: string;
  /** Reads and parses a JSON file (the CLI's readJsonFile, with its precise syntax errors). */
  readonly readJson: (path: string) => unknown;
  /** The project's networks, for `{"network": id}`. */
  readonly networks?: NetworkRepository;
}

const join = (base: string, path: string) => (/^([\\/]|[A-Za-z]:[\\/])/.test(path) || base === '' ? path : `${base.replace(/[\\/]+$/, '')}/${path}`);

/**
 * A study whose summaries are `{"kind": "neural-network", "file"}` or
 * `{"kind": "neural-network", "network"}`, with the reference replaced by the
 * network's inline spec (weights included), so that every executor runs it
 * unchanged. Other studies come back as they are. Errors name the study
 * field and the file or network, and say what was expected.
 */
export function resolveStudySummaries(study: Study, options: ResolveSummariesOptions): Study {
  const ref = study.summaries;
  if (!isNeuralNetworkReference(ref)) return study;
  let spec: NeuralNetworkSpec;
  if ('file' in ref) {
    const path = join(options.baseDir, (ref as { file: string }).file);
    const json = options.readJson(path);
    try {
      spec = createSummaryStatistics(json).toJSON() as NeuralNetworkSpec;
    } catch (error) {
      if (!(error instanceof PartSpecError)) throw error;
      throw new StudyError(
        study.source,
        error.issues.map((i) => ({ path: 'summaries.file', message: `${path}: ${i.path.replace(/^statistics\.?/, '') || '(network)'}: ${i.message}` })),
      );
    }
    if (spec.kind !== 'neural-network')
      throw new StudyError(study.source, [
        { path: 'summaries.file', message: `${path}: expected a neural-network spec (written by \`sciope learn --out\`), got kind "${spec.kind}"` },
      ]);
  } else {
    const id = (ref as { network: number }).network;
    if (!options.networks)
      throw new StudyError(study.source, [{ path: 'summaries.network', message: `network ${id} lives in a project: give the project file (--project)` }]);
    try {
      spec = loadNetwork(options.networks, id);
    } catch (error) {
      if (!(error instanceof NeuralNetworkError)) throw error;
      throw new StudyError(study.source, [{ path: 'summaries.network', message: error.message }]);
    }
  }
  if (study.species) {
    const missing = spec.species.filter((id) => !study.species!.includes(id));
    if (missing.length > 0)
      throw new StudyError(study.source, [
        {
          path: 'summaries',
          message: `the network reads species ${spec.species.join(', ')}, but the study's "species" (${study.species.join(', ')}) lacks ${missing.join(', ')}`,
        },
      ]);
  }
  const names = study.prior.names;
  if (spec.parameters.some((p) => !names.includes(p))) {
    // Not fatal for ABC (any statistics work), but a network trained for other parameters is almost surely a mistake.
    throw new StudyError(study.source, [
      {
        path: 'summaries',
        message: `the network estimates ${spec.parameters.join(', ')}, but the study's priors are on ${names.join(', ')}; train it for this study with \`sciope learn\``,
      },
    ]);
  }
  return { ...study, summaries: spec };
}
