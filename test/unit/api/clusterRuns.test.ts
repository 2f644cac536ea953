import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, realpathSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiSchemas, type ApiArgs, type ApiResults, type EngineEvent, type RemoteRunView } from '../../../engine/api/contract.js';
import { EngineSettingsFile } from '../../../engine/api/engineSettings.js';
import { clusterRunHandlers } from '../../../engine/api/handlers/clusterRuns.js';
import type { HandlerContext } from '../../../engine/api/handlers/context.js';
import { EngineService } from '../../../engine/api/index.js';
import { TrustManager } from '../../../engine/api/TrustManager.js';
import { RemoteRunTracker } from '../../../engine/compute/slurm/batch/remoteRunTracker.js';
import type { Generation } from '../../../engine/infer/types.js';
import { ProjectStore } from '../../../engine/store/index.js';
import { slurmAvailable, startSlurmCluster, type SlurmTestCluster } from '../../support/slurmCluster.js';

/**
 * The EngineApi's remote.* methods (engine/api/handlers/clusterRuns.ts)
 * against a real one-node SLURM cluster (test/support/slurmCluster.ts): the
 * app's "Run on cluster" submits a stored study as a detached batch job, its
 * progress is read while it runs, a finished run is fetched into the open
 * project complete and equal, bit for bit, to the same run made here, and a
 * cancelled run leaves nothing in squeue. The handlers are called as the
 * EngineService calls them (argument parsed by the method's zod schema), with
 * the project and the settings the service wrote.
 */
const run = promisify(execFile);
const available = slurmAvailable();
if (!available.ok) console.warn(`skipping the cluster-run API tests: ${available.why}`);

type RemoteMethod = Extract<keyof ApiResults, `remote.${string}`>;
const root = new URL('../../../', import.meta.url).pathname;

/** Generations as bytes: equal strings mean bit-identical particles, weights, distances and statistics. */
const bytesOf = (generations: readonly Generation[]) =>
  generations.map((g) =>
    [
      g.index,
      g.epsilon,
      ...[g.particles, g.weights, g.distances, g.features].map((a) => Buffer.from(a.buffer, a.byteOffset, a.byteLength).toString('base64')),
    ].join(':'),
  );

describe.skipIf(!available.ok)(`remote.* on a one-node SLURM cluster${available.ok ? '' : ` (skipped: ${available.why})`}`, () => {
  let cluster: SlurmTestCluster;
  let service: EngineService;
  let store: ProjectStore;
  let tracker: RemoteRunTracker;
  let configDir: string;
  let studyId: number;
  let handlers: ReturnType<typeof clusterRunHandlers>;
  const events: EngineEvent[] = [];

  /** As EngineService.invoke does: the argument through the method's schema, then the handler. */
  async function call<M extends RemoteMethod>(method: M, args?: ApiArgs<M>): Promise<ApiResults[M]> {
    const parsed = apiSchemas[method].parse(args);
    return (await (handlers[method] as (a: unknown) => unknown)(parsed)) as ApiResults[M];
  }

  const squeue = async () => (await run('squeue', ['-h', '-o', '%i %T'], { env: cluster.env })).stdout.trim();

  /** Poll remote.list as the app's panel does until `done` holds for the run; returns every view seen. */
  async function follow(id: string, done: (view: RemoteRunView) => boolean, timeoutMs: number): Promise<RemoteRunView[]> {
    const seen: RemoteRunView[] = [];
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const view = (await call('remote.list', { refresh: true })).find((v) => v.id === id)!;
      seen.push(view);
      if (done(view)) return seen;
      if (Date.now() > deadline)
        throw new Error(`remote run ${id} still ${view.phase} (${view.state}) after ${timeoutMs} ms; last view: ${JSON.stringify(view)}`);
      await new Promise((r) => setTimeout(r, 700));
    }
  }

  beforeAll(async () => {
    cluster = await startSlurmCluster({ cpus: 2 });
    const dir = mkdtempSync(join(cluster.dir, 'api-'));
    configDir = join(dir, 'config');
    service = new EngineService({ configDir, workers: 2, log: () => {} });
    await service.call('projects.create', { path: join(dir, 'project.sciope') });
    const model = await service.call('models.addExample', { example: 'toggle-switch' });
    const observed = await service.call('observed.importCsv', {
      name: 'observed.csv',
      csv: readFileSync(join(root, 'resources/studies/toggle-switch/observed.csv'), 'utf8'),
    });
    const { priors } = await service.call('priors.defaults', { modelId: model.id });
    const study = await service.call('studies.save', {
      name: 'toggle on the cluster',
      modelId: model.id,
      observedId: observed.id,
      species: ['U', 'V'],
      priors,
      simulation: { method: 'ssa', runsPerTrial: 2 },
      algorithm: { kind: 'smcAbc', populationSize: 40, maxGenerations: 3 },
      seed: 31,
    });
    studyId = study.id;
    const slurm = {
      host: cluster.host,
      port: cluster.sshPort,
      user: cluster.user,
      privateKey: cluster.privateKeyPath,
      knownHosts: cluster.knownHostsPath,
      partition: cluster.partition,
      time: '10',
      tasks: 2,
      cpusPerTask: 1,
      remoteDir: join(cluster.workDir, 'sciope'),
    };
    await service.call('settings.setSlurm', { slurm, use: false });
    // The handlers' context, as the EngineService builds it: the same settings file and project, its trust rules.
    store = ProjectStore.open(join(dir, 'project.sciope'));
    tracker = new RemoteRunTracker(configDir, { idleMs: 5_000 });
    const context = {
      settings: new EngineSettingsFile(configDir),
      project: () => store,
      trust: new TrustManager(configDir, undefined),
      emit: (event: EngineEvent) => events.push(event),
      remoteRuns: tracker,
    };
    handlers = clusterRunHandlers(context as unknown as HandlerContext);
  }, 180_000);

  afterAll(async () => {
    tracker?.close();
    store?.close();
    await service?.close();
    await cluster?.stop();
  });

  it('Run on cluster: submit the stored study, follow its progress, fetch it into the project complete and equal to a run made here', async () => {
    const submitted = await call('remote.submit', { studyId });
    expect(submitted).toMatchObject({ study: 'toggle on the cluster', jobs: 1, localProject: store.path, problem: null });
    expect(submitted.jobId).toMatch(/^\d+$/);
    // Read right after sbatch answered (a short study on an idle cluster may be done by then).
    expect(['queued', 'running', 'completed']).toContain(submitted.phase);
    expect(events.some((e) => e.type === 'task.progress' && e.task === `remote.submit:${studyId}` && /uploading the study/.test(e.message))).toBe(true);

    const seen = await follow(submitted.id, (v) => v.phase === 'completed', 240_000);
    const last = seen.at(-1)!;
    expect(last).toMatchObject({
      phase: 'completed',
      action: 'fetch',
      runStatus: 'completed',
      stopReason: 'maxGenerations',
      generation: 2,
      exitCode: 0,
      problem: null,
    });
    expect(last.generations.map((g) => g.index)).toEqual([0, 1, 2]);
    // Progress as the panel shows it: tolerance shrinking, acceptance a rate, time going on.
    expect(last.generations[2]!.epsilon).toBeLessThan(last.generations[0]!.epsilon);
    for (const g of last.generations) {
      expect(g.acceptanceRate).toBeGreaterThan(0);
      expect(g.acceptanceRate).toBeLessThanOrEqual(1);
    }
    expect(last.epsilon).toBe(last.generations[2]!.epsilon);
    expect(last.elapsedSeconds).toBeGreaterThan(0);
    // An ended run is not asked again: its view comes from what is known.
    expect((await call('remote.list')).find((v) => v.id === submitted.id)).toMatchObject({ phase: 'completed', checkedAt: last.checkedAt });

    const fetchedFrom = new Date().toISOString();
    const fetched = await call('remote.fetch', { id: submitted.id });
    expect(fetched).toMatchObject({ merged: true, project: store.path, run: { phase: 'completed' } });
    const runs = await service.call('runs.list', { studyId });
    const merged = runs.find((r) => r.id === fetched.runId)!;
    // Joined the study it was submitted from, complete.
    expect(merged).toMatchObject({ status: 'completed', generations: 3, studyId, seed: 31 });
    // The panel's view names the copy (Fetched as #N), and a second fetch into this project is refused, naming it: no second copy.
    const project = realpathSync(store.path);
    expect(fetched.run.fetched).toEqual({ runId: fetched.runId, project });
    expect((await call('remote.list')).find((v) => v.id === submitted.id)?.fetched).toEqual({ runId: fetched.runId, project });
    await expect(call('remote.fetch', { id: submitted.id })).rejects.toMatchObject({
      code: 'REMOTE_RUN_FETCHED',
      message: expect.stringContaining(`remote run ${submitted.id} was already fetched as run #${fetched.runId} of this project`),
    });
    expect((await service.call('runs.list', { studyId })).filter((r) => r.seed === 31)).toHaveLength(1);
    // The same study run here with the same seed: the same generations, bit for bit.
    const here = await service.call('runs.start', { studyId, seed: 31 });
    await expect.poll(async () => (await service.call('runs.get', { runId: here.runId })).status, { timeout: 240_000, interval: 500 }).toBe('completed');
    expect(bytesOf(store.loadGenerations(fetched.runId))).toEqual(bytesOf(store.loadGenerations(here.runId)));
    // Fetched again as a file of its own: still allowed, and the merge stays the one the view names.
    const file = join(cluster.dir, 'fetched.sciope');
    const copy = await call('remote.fetch', { id: submitted.id, out: file });
    expect(copy).toMatchObject({ merged: false, project: file, run: { fetched: { runId: fetched.runId } } });
    // The merged run keeps the times the cluster ran it at (the file is the cluster's project as it was), not the fetch's instant.
    const remoteProject = ProjectStore.open(file, { readonly: true });
    try {
      const there = remoteProject.getRun(copy.runId)!;
      const mergedRecord = store.getRun(fetched.runId)!;
      expect({ startedAt: mergedRecord.startedAt, finishedAt: mergedRecord.finishedAt }).toEqual({ startedAt: there.startedAt, finishedAt: there.finishedAt });
      // Dated by the cluster's run, which had ended before the fetch began (a copy dated at the fetch would take about 0 s).
      expect(mergedRecord.finishedAt! < fetchedFrom).toBe(true);
      expect(Date.parse(mergedRecord.finishedAt!)).toBeGreaterThan(Date.parse(mergedRecord.startedAt));
    } finally {
      remoteProject.close();
    }
    // Forgotten: out of the list (the job had ended).
    expect(await call('remote.forget', { id: submitted.id })).toBeNull();
    expect((await call('remote.list')).map((v) => v.id)).not.toContain(submitted.id);
  }, 600_000);

  it('cancel: a running run shows live progress, scancel leaves nothing in squeue, and the run can be continued', async () => {
    // Long enough to be caught running: 50 generations of 300 particles.
    const submitted = await call('remote.submit', { studyId, populationSize: 300, maxGenerations: 50 });
    const seen = await follow(submitted.id, (v) => v.phase === 'running' && v.generation !== null, 240_000);
    const live = seen.at(-1)!;
    expect(live).toMatchObject({ state: 'RUNNING', runStatus: 'running', action: null });
    expect(live.epsilon).toBeGreaterThan(0);
    const cancelled = await call('remote.cancel', { id: submitted.id });
    expect(cancelled).toMatchObject({ phase: 'cancelled', action: 'resume' });
    expect(cancelled.cancelledAt).not.toBeNull();
    expect(await squeue()).not.toMatch(new RegExp(`^${submitted.jobId} `, 'm'));
    // A wall time is checked at the boundary; the stored generations can be fetched as they are.
    expect(apiSchemas['remote.resume'].safeParse({ id: submitted.id, time: 'soon' }).success).toBe(false);
    await expect(call('remote.fetch', { id: submitted.id, out: join(cluster.dir, 'cancelled.sciope') })).resolves.toMatchObject({
      run: { phase: 'cancelled' },
    });
    const resumed = await call('remote.resume', { id: submitted.id, time: '5' });
    expect(resumed).toMatchObject({ jobs: 2, cancelledAt: null });
    expect(resumed.jobId).not.toBe(submitted.jobId);
    await expect(call('remote.forget', { id: submitted.id })).rejects.toMatchObject({ code: 'REMOTE_RUN_BUSY' });
    const again = await call('remote.cancel', { id: submitted.id });
    expect(again.phase).toBe('cancelled');
    await expect.poll(squeue, { timeout: 15_000 }).toBe('');
  }, 600_000);

  it('refuses without a saved cluster, an unknown id, and a bad argument, naming the field', async () => {
    expect(apiSchemas['remote.status'].safeParse({ id: 'Bad Id' }).error?.issues[0]?.message).toMatch(/lower-case letters, digits and "-"/);
    await expect(call('remote.status', { id: 'nope' })).rejects.toMatchObject({ code: 'REMOTE_RUN_UNKNOWN' });
    await service.call('settings.setSlurm', { slurm: null, use: false });
    const bare = clusterRunHandlers({
      settings: new EngineSettingsFile(configDir),
      project: () => store,
      trust: new TrustManager(configDir, undefined),
      emit: () => {},
      remoteRuns: tracker,
    } as unknown as HandlerContext);
    await expect(bare['remote.submit']({ studyId })).rejects.toMatchObject({ code: 'NO_CLUSTER', message: expect.stringMatching(/Settings → SLURM cluster/) });
  });
});
