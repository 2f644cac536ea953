import { dirname } from 'node:path';
import { readFileSync } from 'node:fs';
import type { Executor } from '../compute/executor.js';
import { ProjectFileError } from '../errors/index.js';
import { parseObservedCsv } from '../infer/observedData.js';
import type { Posterior } from '../infer/Posterior.js';
import { parseStudy, runStudy, type Study } from '../infer/study.js';
import { resolveStudySummaries } from '../learn/nn/studySummaries.js';
import { verifySimulatorFiles, type StoredSimulator } from '../simulate/blackbox/fingerprint.js';
import { parseBlackBoxSpec } from '../simulate/blackbox/spec.js';
import type { InferenceProgress } from '../infer/types.js';
import type { ReactionNetworkInput } from '../model/schema.js';
import type { ProjectStore, RunRecord } from './ProjectStore.js';
import { recorderFor } from './recorder.js';
import type { RunLease } from './runLease.js';

export interface ResumeRunOptions {
  /**
   * The run, already taken with `store.acquireRunLease(runId)` (so a caller can
   * refuse a busy run before it starts anything); taken here otherwise.
   * resumeRun releases it when it ends, however it ends.
   */
  readonly lease?: RunLease;
  readonly executor?: Executor;
  readonly signal?: AbortSignal;
  readonly onProgress?: (event: InferenceProgress) => void;
}

export interface ResumedRun {
  readonly run: RunRecord;
  /** Generations that were already stored when the run resumed. */
  readonly resumedAfter: number;
  readonly posterior: Posterior;
}

/**
 * A black-box study resumes with the simulator its run stored (absolute
 * paths, so from any folder), once every file it runs still has the hash
 * it had; a changed file refuses the resume (SimulatorChangedError naming
 * it). Runs stored before simulators were recorded keep the study's own.
 */
function withStoredSimulator(study: Study, run: RunRecord): Study {
  const stored = (run.options as { simulator?: StoredSimulator }).simulator;
  if (!study.simulator || !stored) return study;
  verifySimulatorFiles(stored.files, `run ${run.id}`);
  return { ...study, simulator: parseBlackBoxSpec(stored.spec, `run ${run.id}: stored simulator`) };
}

/**
 * Continue an interrupted (or failed, or cancelled) run of a project from its
 * last stored generation and store the rest as it is produced. The final
 * posterior is bit-identical to the one the uninterrupted run would have
 * given: same study, model, observed data, seed and overrides, all read
 * from the project. The run is leased to this process first (RunBusyError
 * while another live process runs it), so two resumes never write one run.
 */
export async function resumeRun(store: ProjectStore, runId: number, options: ResumeRunOptions = {}): Promise<ResumedRun> {
  const lease = options.lease ?? store.acquireRunLease(runId);
  try {
    return await continueRun(store, runId, options);
  } finally {
    lease.release();
  }
}

async function continueRun(store: ProjectStore, runId: number, options: ResumeRunOptions): Promise<ResumedRun> {
  const run = store.getRun(runId);
  if (!run) throw new ProjectFileError(store.path, 'no-run', `no run ${runId} in the project (see \`sciope project runs ${store.path}\`)`);
  const study = store.getStudy(run.studyId);
  const model = study?.modelId != null ? store.getModel(study.modelId) : undefined;
  const observedRecord = study?.observedId != null ? store.getObserved(study.observedId) : undefined;
  if (!study || !model || !observedRecord)
    throw new ProjectFileError(store.path, 'corrupted', `run ${runId}: its study, model or observed data is missing from the project`);
  // A trained network named by file (relative to the study) or by id in this project is inlined, as the run did.
  const parsed = resolveStudySummaries(withStoredSimulator(parseStudy(study.config, study.source), run), {
    baseDir: dirname(study.source),
    readJson: (path) => JSON.parse(readFileSync(path, 'utf8')),
    networks: store,
  });
  const observed = parseObservedCsv(observedRecord.source, { source: observedRecord.name, species: observedRecord.species ?? undefined });
  const generations = store.loadGenerations(runId);
  const overrides = run.options as { populationSize?: number; maxGenerations?: number };
  const recorder = recorderFor(store, runId, false);
  try {
    const posterior = await runStudy(parsed, model.parsed as ReactionNetworkInput, observed, {
      seed: run.seed,
      resumeFrom: { generations },
      populationSize: overrides.populationSize,
      maxGenerations: overrides.maxGenerations,
      executor: options.executor,
      signal: options.signal,
      onProgress: options.onProgress,
      onGeneration: recorder.onGeneration,
    });
    recorder.complete(posterior);
    return { run: store.getRun(runId)!, resumedAfter: generations.length, posterior };
  } catch (error) {
    recorder.fail(error, options.signal?.aborted ?? false);
    throw error;
  }
}
