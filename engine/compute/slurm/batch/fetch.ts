import { existsSync, linkSync, mkdtempSync, rmSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { ProjectFileError } from '../../../errors/index.js';
import { ProjectStore } from '../../../store/index.js';
import { readRunEstimator, saveRunEstimator } from '../../../store/runEstimators.js';
import { shellQuote } from '../../ssh/connection.js';
import type { SlurmClient } from '../SlurmClient.js';
import { recordFetch, refuseSecondMerge } from './fetchRecord.js';
import { readStatus, remoteProjectPath, requireEnded, type RemoteStatus } from './remoteControl.js';
import type { RemoteRun, RemoteRunRegistry } from './remoteRuns.js';
import { downloadFile } from './transfer.js';

/**
 * Copy one run (its model, observed data, study, and every generation as
 * stored) from `source` into the project at `target` (a path, created if
 * missing, or a project open here), in one transaction; returns the run's id
 * there. With `studyId` (the study the run was submitted from, still in the
 * target), the run joins that study rather than a copy of the packed one.
 * The copy keeps the run's status: a completed run stays completed with its
 * result; an unfinished one arrives interrupted (resume it where its files
 * are, on the cluster). It keeps its times too: started and finished when
 * the cluster ran it (an unfinished run ends at its last stored generation),
 * so the Results view shows how long it took there, not how long the copy did.
 */
export function mergeRun(source: ProjectStore, runId: number, target: string | ProjectStore, options: { studyId?: number } = {}): number {
  const run = source.getRun(runId);
  if (!run) throw new ProjectFileError(source.path, 'no-run', `no run ${runId} in ${source.path}`);
  const study = source.getStudy(run.studyId);
  const model = study?.modelId != null ? source.getModel(study.modelId) : undefined;
  const observed = study?.observedId != null ? source.getObserved(study.observedId) : undefined;
  if (!study || !model || !observed) throw new ProjectFileError(source.path, 'corrupted', `run ${runId}: its study, model or observed data is missing`);
  const generations = source.loadGenerations(runId);
  const finishedAt = run.finishedAt ?? source.listGenerations(runId).at(-1)?.createdAt ?? run.startedAt;
  const store = typeof target === 'string' ? ProjectStore.open(target, { create: true }) : target;
  // The packed study as the cluster stored it, with its model and data, found or added here.
  const copyStudy = (): number => {
    const modelRecord = { name: model.name, format: model.format, source: model.source, parsed: model.parsed };
    const modelId = store.findModel(modelRecord) ?? store.addModel(modelRecord);
    const observedRecord = { name: observed.name, source: observed.source, species: observed.species };
    const observedId = store.findObserved(observedRecord) ?? store.addObserved(observedRecord);
    const studyRecord = { name: study.name, source: study.source, config: study.config, modelId, observedId };
    return store.findStudy(studyRecord) ?? store.addStudy(studyRecord);
  };
  try {
    return store.transaction(`merging run ${runId}`, () => {
      const own = options.studyId !== undefined ? store.getStudy(options.studyId) : undefined;
      const studyId = own ? own.id : copyStudy();
      const id = store.createRun({ studyId, algorithm: run.algorithm, seed: run.seed, options: run.options, parameterNames: run.parameterNames });
      for (const g of generations) store.addGeneration(id, g);
      if (run.status === 'completed' && run.stopReason)
        store.completeRun(id, { stopReason: run.stopReason, simulations: run.simulations ?? 0, config: run.resultConfig ?? {} });
      else
        store.endRun(
          id,
          run.status === 'running' || run.status === 'completed' ? 'interrupted' : run.status,
          run.error ?? `fetched from the cluster while ${run.status}`,
        );
      store.setRunTimes(id, { startedAt: run.startedAt, finishedAt });
      // An NPE run's trained estimator and its training curves come with it.
      const estimator = readRunEstimator(source, runId)?.estimator;
      if (estimator) saveRunEstimator(store, id, estimator as Parameters<typeof saveRunEstimator>[2]);
      return id;
    });
  } finally {
    if (typeof target === 'string') store.close();
  }
}

export interface FetchResult {
  /** The run's status, its record as saved after this fetch. */
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
 * project `mergeInto` (a path, or a project open here). A project left with a
 * write-ahead log (a job killed mid-generation) is downloaded with it and
 * checkpointed here, so the copy holds every generation the job committed.
 * Merged into the project it was submitted from, the run joins the study it
 * was submitted as (when that study is still there).
 *
 * With `registry`, the fetch is recorded in the run's entry, and a merge into
 * a project that already holds the run from an earlier merge is refused
 * (REMOTE_RUN_FETCHED, naming that run) before anything is downloaded.
 */
export async function fetchRun(
  client: SlurmClient,
  run: RemoteRun,
  target: { out: string } | { mergeInto: string | ProjectStore },
  options: { registry?: RemoteRunRegistry } = {},
): Promise<FetchResult> {
  const { connection } = client;
  const { registry } = options;
  const out = 'out' in target ? resolve(target.out) : undefined;
  const mergeInto = 'mergeInto' in target ? target.mergeInto : undefined;
  const mergePath = mergeInto === undefined ? undefined : typeof mergeInto === 'string' ? resolve(mergeInto) : mergeInto.path;
  if (out && existsSync(out)) throw new ProjectFileError(out, 'exists', 'a file of that name exists; choose another --out, or --merge into a project');
  if (mergeInto !== undefined) refuseSecondMerge(registry ? registry.get(run.id) : run, mergeInto);
  const status = await readStatus(client, run);
  requireEnded(status);
  const scratch = mkdtempSync(join(dirname(out ?? mergePath!), '.sciope-fetch-'));
  try {
    const remote = remoteProjectPath(run);
    const local = join(scratch, 'project.sciope');
    await downloadFile(connection, remote, local);
    if ((await connection.exec(`test -s ${shellQuote(`${remote}-wal`)}`)).code === 0) await downloadFile(connection, `${remote}-wal`, `${local}-wal`);
    // Opening for writing replays the log; closing checkpoints it into the file.
    const store = ProjectStore.open(local);
    let runId: number;
    let startedAt: string;
    try {
      const last = store.listRuns().at(-1);
      if (!last)
        throw new ProjectFileError(
          remote,
          'no-run',
          `remote run ${run.id} has no run in its project yet (the job ended before it started; see \`sciope remote status ${run.id}\`)`,
        );
      runId = last.id;
      // The copy keeps the start it had there (mergeRun), so this is the start the record is checked against.
      startedAt = last.startedAt;
      if (mergeInto !== undefined) {
        const ownStudy = run.localProject !== undefined && resolve(run.localProject) === mergePath ? run.localStudyId : undefined;
        runId = mergeRun(store, last.id, typeof mergeInto === 'string' ? mergePath! : mergeInto, ownStudy !== undefined ? { studyId: ownStudy } : {});
      }
    } finally {
      store.close();
    }
    // Linked into place: never a half file under the name, never over another one.
    if (out) linkSync(local, out);
    const project = out ?? mergePath!;
    const merged = out === undefined;
    // Recorded unless the run was removed from the list meanwhile (the copy is made; there is no entry to note it in).
    const listed = registry?.list().some((r) => r.id === run.id) ?? false;
    const saved = listed ? recordFetch(registry!, run.id, { project, runId, merged, jobId: status.job.jobId, startedAt }) : status.run;
    return { status: { ...status, run: saved }, project, runId, merged };
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}
