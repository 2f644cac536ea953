import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { mergeRun } from '../../../../engine/compute/slurm/batch/fetch.js';
import { alreadyFetchedError, mergedCopy, recordFetch } from '../../../../engine/compute/slurm/batch/fetchRecord.js';
import { RemoteRunRegistry, type RemoteRun } from '../../../../engine/compute/slurm/batch/remoteRuns.js';
import { ProjectStore } from '../../../../engine/store/index.js';
import { readRunEstimator, readRunTraining, saveRunEstimator } from '../../../../engine/store/runEstimators.js';
import { fakeGeneration, tempDir } from '../../store/helpers.js';

/**
 * What a fetch leaves behind, without a cluster (the fetch itself runs in
 * test/unit/api/clusterRuns.test.ts): the merged run keeps the times the
 * cluster ran it at, and remote-runs.json records the merge so that a
 * second one into the same project can be refused, naming the run there,
 * while a deleted copy, a file written elsewhere or a run continued by a new
 * job do not block a fetch.
 */

/** The cluster's project: one run of three generations, started and finished at known instants (5 s apart, as in the e2e). */
function clusterProject(dir: string, status: 'completed' | 'running'): { store: ProjectStore; runId: number } {
  const store = ProjectStore.open(join(dir, `cluster-${status}.sciope`), { create: true });
  const modelId = store.addModel({ name: 'toggle', format: 'json', source: '{"name":"toggle"}', parsed: { name: 'toggle', species: [] } });
  const observedId = store.addObserved({ name: 'obs.csv', source: 'time,U\n0,1\n', species: ['U'] });
  const studyId = store.addStudy({ name: 'study', source: '/x/study.json', config: { model: 'toggle', observed: 'obs.csv', priors: {} }, modelId, observedId });
  const runId = store.createRun({ studyId, algorithm: 'smcAbc', seed: 31, parameterNames: ['a', 'b', 'c'] });
  for (let g = 0; g < 3; g++) store.addGeneration(runId, fakeGeneration(g, 10, 3, 4));
  if (status === 'completed') {
    store.completeRun(runId, { stopReason: 'maxGenerations', simulations: 60, config: {} });
    store.setRunTimes(runId, { startedAt: '2026-12-05T10:00:00.000Z', finishedAt: '2026-12-05T10:00:05.000Z' });
  } else store.setRunTimes(runId, { startedAt: '2026-12-05T10:00:00.000Z', finishedAt: null });
  return { store, runId };
}

const remoteRun = (id: string): RemoteRun => ({
  id,
  study: 'study',
  createdAt: '2026-12-05T09:59:00.000Z',
  cluster: { host: 'login', user: 'ana' },
  runDir: '/scratch/ana/sciope/runs/x',
  cliDir: '/scratch/ana/sciope/cli/x',
  jobs: [{ id: '41', submittedAt: '2026-12-05T09:59:00.000Z', kind: 'infer' }],
});

describe('mergeRun keeps the run’s times', () => {
  it('a completed run arrives started and finished when the cluster ran it (Took 5 s, not 0 s)', () => {
    const dir = tempDir('sciope-fetch-');
    const { store: source, runId } = clusterProject(dir, 'completed');
    const target = join(dir, 'local.sciope');
    const id = mergeRun(source, runId, target);
    const local = ProjectStore.open(target, { readonly: true });
    try {
      expect(local.getRun(id)).toMatchObject({ status: 'completed', startedAt: '2026-12-05T10:00:00.000Z', finishedAt: '2026-12-05T10:00:05.000Z' });
    } finally {
      local.close();
      source.close();
    }
  });

  it('an unfinished run arrives interrupted, ended at its last stored generation', () => {
    const dir = tempDir('sciope-fetch-');
    const { store: source, runId } = clusterProject(dir, 'running');
    const lastGeneration = source.listGenerations(runId).at(-1)!.createdAt;
    const target = ProjectStore.open(join(dir, 'local.sciope'), { create: true });
    try {
      const id = mergeRun(source, runId, target);
      expect(target.getRun(id)).toMatchObject({ status: 'interrupted', startedAt: '2026-12-05T10:00:00.000Z', finishedAt: lastGeneration });
    } finally {
      target.close();
      source.close();
    }
  });
});

describe('the fetch record in remote-runs.json', () => {
  it('names the merged copy while it is there, for the job it came from, and only in that project', () => {
    const dir = tempDir('sciope-fetch-');
    const registry = new RemoteRunRegistry(join(dir, 'config'));
    registry.save(remoteRun('toggle-abc123'));
    const { store: source, runId } = clusterProject(dir, 'completed');
    const target = ProjectStore.open(join(dir, 'local.sciope'), { create: true });
    const other = ProjectStore.open(join(dir, 'other.sciope'), { create: true });
    try {
      expect(mergedCopy(registry.get('toggle-abc123'), target)).toBeUndefined();
      const id = mergeRun(source, runId, target);
      const startedAt = target.getRun(id)!.startedAt;
      recordFetch(registry, 'toggle-abc123', { project: target.path, runId: id, merged: true, jobId: '41', startedAt });
      // A file written elsewhere is recorded beside it and blocks nothing.
      const saved = recordFetch(registry, 'toggle-abc123', { project: join(dir, 'copy.sciope'), runId: 1, merged: false, jobId: '41', startedAt });
      expect(saved.fetches?.map((f) => f.merged)).toEqual([true, false]);

      const copy = mergedCopy(registry.get('toggle-abc123'), target);
      expect(copy).toMatchObject({ runId: id, merged: true, jobId: '41' });
      expect(alreadyFetchedError(registry.get('toggle-abc123'), copy!)).toMatchObject({
        code: 'REMOTE_RUN_FETCHED',
        message: expect.stringMatching(new RegExp(`^remote run toggle-abc123 was already fetched as run #${id} of this project`)),
        details: { id: 'toggle-abc123', runId: id },
      });
      expect(mergedCopy(registry.get('toggle-abc123'), other)).toBeUndefined();
      // Continued by a new job (sciope remote resume): its result is a new one, fetched again.
      const resumed = {
        ...registry.get('toggle-abc123'),
        jobs: [...remoteRun('x').jobs, { id: '42', submittedAt: '2026-12-05T11:00:00.000Z', kind: 'resume' as const }],
      };
      expect(mergedCopy(resumed, target)).toBeUndefined();
      // The copy deleted: nothing blocks a new fetch.
      target.deleteRun(id);
      expect(mergedCopy(registry.get('toggle-abc123'), target)).toBeUndefined();
    } finally {
      other.close();
      target.close();
      source.close();
    }
  });
});

describe('mergeRun brings an NPE run’s estimator', () => {
  it('copies the trained estimator and its training curves with the run', () => {
    const dir = tempDir('sciope-fetch-');
    const { store: source, runId } = clusterProject(dir, 'completed');
    const round = { round: 0, simulations: 60, trainLoss: [2.5, 1.75], validationLoss: [2.625, 2], bestEpoch: 2, seconds: 1.5 };
    saveRunEstimator(source, runId, { kind: 'maf', rounds: [round] });
    const target = join(dir, 'local.sciope');
    const id = mergeRun(source, runId, target);
    const local = ProjectStore.open(target);
    try {
      expect(readRunEstimator(local, id)?.estimator).toEqual({ kind: 'maf', rounds: [round] });
      expect(readRunTraining(local, id)).toEqual([round]);
    } finally {
      local.close();
      source.close();
    }
  });
});
