import { resolve } from 'node:path';
import type { RemoteStatus } from '../../compute/slurm/batch/remoteControl.js';
import { remoteElapsedSeconds, remoteOutcome } from '../../compute/slurm/batch/remoteOutcome.js';
import type { RemoteRunTracker, TrackedStatus } from '../../compute/slurm/batch/remoteRunTracker.js';
import { mergedCopy, refuseSecondMerge } from '../../compute/slurm/batch/fetchRecord.js';
import type { RemoteRun } from '../../compute/slurm/batch/remoteRuns.js';
import { clusterLabel, parseSlurmSettings } from '../../compute/slurm/slurmSettings.js';
import { parseStudy } from '../../infer/study.js';
import { expandHome } from '../../paths/index.js';
import { randomSeed } from '../../sample/random/randomSeed.js';
import type { ProjectStore } from '../../store/index.js';
import type { RemoteRunView } from '../contract.js';
import { ApiStateError } from '../wire.js';
import type { HandlerContext, HandlerPart } from './context.js';

// Loaded on first use, as the SLURM executor is: a local-only engine never needs the SSH client.
const batch = () => import('../../compute/slurm/batch/index.js');

/**
 * The view of a run with its status (null: never asked), as remote.list and
 * the other methods return it; `project` is the project open in the engine,
 * whose copy of the run (from an earlier merge) the view names.
 */
export function remoteRunView(tracked: TrackedStatus, now = Date.now(), project: ProjectStore | null = null): RemoteRunView {
  const { run, status } = tracked;
  const copy = project ? mergedCopy(run, project) : undefined;
  const progress = status?.progress ?? null;
  const last = progress?.generations.at(-1) ?? null;
  const judged = status ? remoteOutcome(status) : null;
  const job = status?.job;
  return {
    id: run.id,
    study: run.study,
    cluster: clusterLabel({
      name: run.cluster.name as string | undefined,
      user: String(run.cluster.user),
      host: String(run.cluster.host),
      port: Number(run.cluster.port ?? 22),
    }),
    createdAt: run.createdAt,
    jobId: run.jobs.at(-1)!.id,
    jobs: run.jobs.length,
    localProject: run.localProject ?? null,
    fetched: copy ? { runId: copy.runId, project: copy.project } : null,
    cancelledAt: run.cancelledAt ?? null,
    state: job?.state ?? null,
    reason: job?.reason ?? null,
    exitCode: job?.exitCode ?? null,
    phase: judged?.phase ?? null,
    action: judged?.action ?? null,
    runStatus: progress?.status ?? null,
    generations: progress?.generations.map((g) => ({ ...g })) ?? [],
    generation: last?.index ?? null,
    epsilon: last?.epsilon ?? null,
    acceptanceRate: last?.acceptanceRate ?? null,
    simulations: progress?.simulations ?? (progress ? progress.generations.reduce((n, g) => n + g.simulations, 0) : null),
    stopReason: progress?.stopReason ?? null,
    error: progress?.error ?? null,
    elapsedSeconds: status ? remoteElapsedSeconds(status, now) : null,
    logTail: status && !status.job.inQueue && judged?.phase !== 'completed' ? status.logTail : '',
    checkedAt: tracked.checkedAt,
    problem: tracked.problem,
  };
}

/**
 * remote.*: detached cluster runs from the app. "Run on cluster" packs the
 * stored study (its model, data and a network named by id travel with it),
 * checks the cluster (partition, account, limits), submits it as one batch
 * job and records it for this computer's user; the Remote runs panel lists
 * the runs with SLURM's state and the run's progress, cancels, continues and
 * fetches them (merged into the open project, or as a project file). The
 * same batch/ functions serve `sciope remote`.
 */
export function clusterRunHandlers(context: HandlerContext) {
  const tracker = (): RemoteRunTracker => context.remoteRuns;
  /** The open project, if any (the views name the run's copy in it). */
  const openProject = (): ProjectStore | null => {
    try {
      return context.project();
    } catch {
      return null;
    }
  };
  const view = (run: RemoteRun, status: RemoteStatus | null, problem: string | null = null) =>
    remoteRunView(
      { run, status, checkedAt: status ? (tracker().known(run)?.checkedAt ?? new Date().toISOString()) : null, problem },
      Date.now(),
      openProject(),
    );
  /** The run's status read now. */
  const fresh = async (id: string) => {
    const run = tracker().registry.get(id);
    return { run, status: await tracker().read(run) };
  };

  return {
    'remote.submit': async ({ studyId, seed, populationSize, maxGenerations }) => {
      const remote = tracker();
      const saved = context.settings.value.slurm;
      if (!saved)
        throw new ApiStateError(
          'NO_CLUSTER',
          'no SLURM cluster is set: add one in Settings → SLURM cluster (login node, partition, wall time), check it, save it, then Run on cluster',
        );
      const store = context.project();
      const record = store.getStudy(studyId);
      if (!record) throw new ApiStateError('NOT_FOUND', `no study ${studyId} in this project`, { studyId });
      // Approved here or refused here: the job checks that the copies it runs are the approved content.
      context.trust.require(parseStudy(record.config, record.source).simulator, store.path);
      const { packStoredStudy, submitDetached } = await batch();
      const cluster = parseSlurmSettings(saved, 'slurm');
      const { study, package: packed } = packStoredStudy(store, studyId);
      const run = await submitDetached(
        {
          study,
          packed,
          seed: seed ?? study.seed ?? randomSeed(),
          ...(populationSize !== undefined ? { populationSize } : {}),
          ...(maxGenerations !== undefined ? { maxGenerations } : {}),
        },
        {
          cluster,
          configDir: remote.configDir,
          localProject: store.path,
          localStudyId: studyId,
          onStep: (message) => context.emit({ type: 'task.progress', task: `remote.submit:${studyId}`, completed: 0, total: 0, message }),
        },
      );
      // The first state, as SLURM sees it right after accepting the job.
      try {
        return view(run, await remote.read(run));
      } catch (error) {
        return view(run, null, (error as Error).message);
      }
    },

    'remote.list': async (args) => {
      const project = openProject();
      return (await tracker().list(args?.refresh ?? false)).map((tracked) => remoteRunView(tracked, Date.now(), project));
    },

    'remote.status': async ({ id }) => {
      const { run, status } = await fresh(id);
      return view(run, status);
    },

    'remote.cancel': async ({ id }) => {
      const { cancelRun, readStatus } = await batch();
      const run = tracker().registry.get(id);
      // scancel, then wait until squeue no longer lists the job as active: nothing of it is left running.
      const status = await tracker().use(run, async (client) => {
        await cancelRun(client, run, tracker().registry);
        return readStatus(client, tracker().registry.get(run.id));
      });
      tracker().remember(status);
      return view(status.run, status);
    },

    'remote.fetch': async ({ id, out }) => {
      const { fetchRun } = await batch();
      const run = tracker().registry.get(id);
      // Without `out`, into the open project: the run appears among its runs (joining the study it was submitted from).
      // A second merge into the same project is refused (REMOTE_RUN_FETCHED, naming the run there); a file is always written.
      const target = out !== undefined ? { out: resolve(expandHome(out)) } : { mergeInto: context.project() };
      // Refused here without asking the cluster; fetchRun asks again before it downloads.
      if (target.mergeInto) refuseSecondMerge(run, target.mergeInto);
      const fetched = await tracker().use(run, (client) => fetchRun(client, run, target, { registry: tracker().registry }));
      tracker().remember(fetched.status);
      return { run: view(fetched.status.run, fetched.status), project: fetched.project, runId: fetched.runId, merged: fetched.merged };
    },

    'remote.resume': async ({ id, time }) => {
      const { resubmitRun } = await batch();
      const run = tracker().registry.get(id);
      await tracker().use(run, (client) => resubmitRun(client, run, tracker().registry, time !== undefined ? { time } : {}));
      const { run: resumed, status } = await fresh(run.id);
      return view(resumed, status);
    },

    'remote.forget': async ({ id }) => {
      const run = tracker().registry.get(id);
      // A job still queued or running would go on unwatched: cancel it first. A cluster that cannot be asked does not keep a record alive.
      const status = await tracker()
        .read(run)
        .catch(() => null);
      if (status?.job.inQueue)
        throw new ApiStateError(
          'REMOTE_RUN_BUSY',
          `remote run ${run.id}: job ${status.job.jobId} is still ${status.job.state}; cancel it before removing it from the list`,
          { id: run.id },
        );
      tracker().forget(run.id);
      return null;
    },
  } satisfies HandlerPart;
}
