import { existsSync, linkSync, mkdtempSync, rmSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { ProjectFileError } from '../../../errors/index.js';
import { ProjectStore } from '../../../store/index.js';
import { shellQuote } from '../../ssh/connection.js';
import type { SlurmClient } from '../SlurmClient.js';
import { readStatus, remoteProjectPath, requireEnded, type RemoteStatus } from './remoteControl.js';
import type { RemoteRun } from './remoteRuns.js';
import { downloadFile } from './transfer.js';

/**
 * Copy one run (its model, observed data, study, and every generation as
 * stored) from `source` into the project at `target` (created if missing),
 * in one transaction; returns the run's id there. The copy keeps the run's
 * status: a completed run stays completed with its result; an unfinished
 * one arrives interrupted (resume it where its files are, on the cluster).
 */
export function mergeRun(source: ProjectStore, runId: number, target: string): number {
  const run = source.getRun(runId);
  if (!run) throw new ProjectFileError(source.path, 'no-run', `no run ${runId} in ${source.path}`);
  const study = source.getStudy(run.studyId);
  const model = study?.modelId != null ? source.getModel(study.modelId) : undefined;
  const observed = study?.observedId != null ? source.getObserved(study.observedId) : undefined;
  if (!study || !model || !observed) throw new ProjectFileError(source.path, 'corrupted', `run ${runId}: its study, model or observed data is missing`);
  const generations = source.loadGenerations(runId);
  const store = ProjectStore.open(target, { create: true });
  try {
    return store.transaction(`merging run ${runId}`, () => {
      const modelRecord = { name: model.name, format: model.format, source: model.source, parsed: model.parsed };
      const modelId = store.findModel(modelRecord) ?? store.addModel(modelRecord);
      const observedRecord = { name: observed.name, source: observed.source, species: observed.species };
      const observedId = store.findObserved(observedRecord) ?? store.addObserved(observedRecord);
      const studyRecord = { name: study.name, source: study.source, config: study.config, modelId, observedId };
      const studyId = store.findStudy(studyRecord) ?? store.addStudy(studyRecord);
      const id = store.createRun({ studyId, algorithm: run.algorithm, seed: run.seed, options: run.options, parameterNames: run.parameterNames });
      for (const g of generations) store.addGeneration(id, g);
      if (run.status === 'completed' && run.stopReason) store.completeRun(id, { stopReason: run.stopReason, simulations: run.simulations ?? 0, config: run.resultConfig ?? {} });
      else store.endRun(id, run.status === 'running' || run.status === 'completed' ? 'interrupted' : run.status, run.error ?? `fetched from the cluster while ${run.status}`);
      return id;
    });
  } finally {
    store.close();
  }
}

export interface FetchResult {
  readonly status: RemoteStatus;
  /** The project file written (`out`) or merged into. */
  readonly project: string;
  /** The run's id in that project. */
  readonly runId: number;
  readonly merged: boolean;
}

/**
 * Download a remote run's project once its job has ended, and either write
 * it to `out` (never over an existing file) or merge its run into the local
 * project `mergeInto`. A project left with a write-ahead log (a job killed
 * mid-generation) is downloaded with it and checkpointed here, so the copy
 * holds every generation the job committed.
 */
export async function fetchRun(client: SlurmClient, run: RemoteRun, target: { out: string } | { mergeInto: string }): Promise<FetchResult> {
  const { connection } = client;
  const status = await readStatus(client, run);
  requireEnded(status);
  const out = 'out' in target ? resolve(target.out) : undefined;
  if (out && existsSync(out)) throw new ProjectFileError(out, 'exists', 'a file of that name exists; choose another --out, or --merge into a project');
  const scratch = mkdtempSync(join(out ? dirname(out) : dirname(resolve((target as { mergeInto: string }).mergeInto)), '.sciope-fetch-'));
  try {
    const remote = remoteProjectPath(run);
    const local = join(scratch, 'project.sciope');
    await downloadFile(connection, remote, local);
    if ((await connection.exec(`test -s ${shellQuote(`${remote}-wal`)}`)).code === 0) await downloadFile(connection, `${remote}-wal`, `${local}-wal`);
    // Opening for writing replays the log; closing checkpoints it into the file.
    const store = ProjectStore.open(local);
    let runId: number;
    try {
      const last = store.listRuns().at(-1);
      if (!last) throw new ProjectFileError(remote, 'no-run', `remote run ${run.id} has no run in its project yet (the job ended before it started; see \`sciope remote status ${run.id}\`)`);
      runId = last.id;
      if (!out) runId = mergeRun(store, last.id, (target as { mergeInto: string }).mergeInto);
    } finally {
      store.close();
    }
    if (out) {
      // Linked into place: never a half file under the name, never over another one.
      linkSync(local, out);
      return { status, project: out, runId, merged: false };
    }
    return { status, project: resolve((target as { mergeInto: string }).mergeInto), runId, merged: true };
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}
