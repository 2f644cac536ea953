import { existsSync, realpathSync } from 'node:fs';
import { resolve } from 'node:path';
import { ProjectStore } from '../../../store/index.js';
import { RemoteRunError, type RemoteFetch, type RemoteRun, type RemoteRunRegistry } from './remoteRuns.js';

/**
 * What remote-runs.json remembers of a run's fetches. A merge adds a run to
 * a project; merging the same remote run again would add it a second time,
 * so the merge is recorded (project, run id, start time) and a second merge
 * into a project that still holds that run is refused. Writing the remote
 * project to a file of its own stays allowed: it adds nothing to a project.
 */

/** A path as the file system resolves it (symlinks followed) when it exists, else made absolute. */
function canonicalPath(path: string): string {
  try {
    return realpathSync(path);
  } catch {
    return resolve(path);
  }
}

/**
 * The run's copy in `store`, merged by an earlier fetch of its current job
 * and still there: the recorded id names a run of that project with the
 * recorded start time (a deleted copy, or a later run that took its id, does
 * not count; nor does a copy fetched before `sciope remote resume` continued
 * the run in a new job, whose result is a new one).
 */
export function mergedCopy(run: RemoteRun, store: ProjectStore): RemoteFetch | undefined {
  const project = canonicalPath(store.path);
  const jobId = run.jobs.at(-1)!.id;
  for (const entry of [...(run.fetches ?? [])].reverse()) {
    if (!entry.merged || entry.jobId !== jobId || canonicalPath(entry.project) !== project) continue;
    if (store.getRun(entry.runId)?.startedAt === entry.startedAt) return entry;
  }
  return undefined;
}

/** The refusal of a second merge, naming the run already there. */
export function alreadyFetchedError(run: RemoteRun, copy: RemoteFetch): RemoteRunError {
  return new RemoteRunError(
    'REMOTE_RUN_FETCHED',
    `remote run ${run.id} was already fetched as run #${copy.runId} of this project (${copy.project}); ` +
      `delete run #${copy.runId} to fetch it again, or fetch a copy to a project file of its own`,
    { id: run.id, runId: copy.runId, project: copy.project },
  );
}

/** Record a fetch in the registry (replacing an earlier one to the same project or file); returns the run as saved. */
export function recordFetch(registry: RemoteRunRegistry, id: string, entry: Omit<RemoteFetch, 'fetchedAt'>): RemoteRun {
  const project = canonicalPath(entry.project);
  return registry.update(id, (run) => ({
    ...run,
    // One entry per project or file and job: a copy fetched before a resume stays recorded beside the new one.
    fetches: [
      ...(run.fetches ?? []).filter((f) => f.jobId !== entry.jobId || canonicalPath(f.project) !== project),
      { ...entry, project, fetchedAt: new Date().toISOString() },
    ],
  }));
}

/**
 * Refuse to merge `run` into a project that holds it from an earlier merge
 * (a project file not there yet holds nothing). Needs no cluster: the app
 * and the CLI ask before connecting, fetchRun again before downloading.
 */
export function refuseSecondMerge(run: RemoteRun, mergeInto: string | ProjectStore): void {
  if (!run.fetches?.some((f) => f.merged)) return;
  if (typeof mergeInto !== 'string') {
    const copy = mergedCopy(run, mergeInto);
    if (copy) throw alreadyFetchedError(run, copy);
    return;
  }
  if (!existsSync(mergeInto)) return;
  const store = ProjectStore.open(mergeInto, { readonly: true });
  try {
    const copy = mergedCopy(run, store);
    if (copy) throw alreadyFetchedError(run, copy);
  } finally {
    store.close();
  }
}
