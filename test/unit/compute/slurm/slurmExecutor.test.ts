import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { SimulationJob, Trial, TrialResult } from '../../../../engine/compute/executor.js';
import { InProcessExecutor } from '../../../../engine/compute/InProcessExecutor.js';
import { SlurmExecutor, type SlurmEvent, type SlurmSettingsInput } from '../../../../engine/compute/slurm/index.js';
import { RemoteNodeError } from '../../../../engine/errors/index.js';
import { getExample } from '../../../../engine/model/index.js';
import { slurmAvailable, startSlurmCluster, type SlurmTestCluster } from '../../../support/slurmCluster.js';
import { otherPublicKey, waitForNoProcess } from '../ssh/sshServer.js';
import { sciope } from '../../cli/runSciope.js';
import { EngineService } from '../../../../engine/api/index.js';

/**
 * The SLURM executor against a real one-node cluster (slurmctld, slurmd and
 * munged of this machine, reached through a private sshd): its worker steps
 * are processes of this machine, found by their remote folder with pgrep.
 */
const run = promisify(execFile);
const available = slurmAvailable();
if (!available.ok) console.warn(`skipping the SLURM executor tests: ${available.why}`);

const job: SimulationJob = {
  model: getExample('vilar')!,
  method: 'ssa',
  time: Array.from({ length: 101 }, (_, i) => i),
  parameterIds: ['alphaA', 'betaA', 'thetaA'],
  runsPerTrial: 2,
  statistics: { kind: 'time-series-features', set: 'minimal' },
  returnTrajectories: false,
  seed: 2024,
};

const trialsOf = (n: number, generation: number): Trial[] =>
  Array.from({ length: n }, (_, i) => ({ index: 700 + i, parameters: Float64Array.of(30 + (i % 5) * 10, 40 + (i % 3) * 5, 50), stream: [generation, i] }));

function bytes(results: readonly TrialResult[]): string {
  return [...results]
    .sort((a, b) => a.index - b.index)
    .map((r) => `${r.index}:${r.events}:${Buffer.from(r.features!.buffer, r.features!.byteOffset, r.features!.byteLength).toString('hex')}`)
    .join('|');
}

describe.skipIf(!available.ok)(`SlurmExecutor on a one-node SLURM cluster${available.ok ? '' : ` (skipped: ${available.why})`}`, () => {
  let cluster: SlurmTestCluster;
  const trials = [trialsOf(40, 1), trialsOf(80, 2)];
  let reference: TrialResult[][];

  beforeAll(async () => {
    cluster = await startSlurmCluster({ cpus: 2 });
    const local = new InProcessExecutor();
    reference = [await local.map(job, trials[0]!), await local.map(job, trials[1]!)];
  }, 120_000);
  afterAll(async () => {
    await cluster?.stop();
  });

  const squeue = async (...args: string[]) => (await run('squeue', ['-h', ...args], { env: cluster.env })).stdout.trim();

  /** Nothing left: no job in the queue, no worker process. */
  afterEach(async () => {
    if (!cluster) return;
    const deadline = Date.now() + 15_000;
    while ((await squeue()) !== '' && Date.now() < deadline) await new Promise((r) => setTimeout(r, 200));
    expect(await squeue()).toBe('');
    expect(await waitForNoProcess(join(cluster.workDir, 'sciope'))).toEqual([]);
  });

  function executor(overrides: Partial<SlurmSettingsInput> = {}) {
    const events: SlurmEvent[] = [];
    const settings: SlurmSettingsInput = {
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
      ...overrides,
    };
    const slurm = new SlurmExecutor({ cluster: settings, pollMs: 200, heartbeatMs: 500, onEvent: (e) => events.push(e) });
    return { slurm, events };
  }

  it('gives bit-identical results to the local executor, over two map() calls in one allocation, and scancels it on close', async () => {
    const { slurm, events } = executor();
    try {
      expect(slurm.concurrency).toBe(2);
      expect(bytes(await slurm.map(job, trials[0]!))).toBe(bytes(reference[0]!));
      expect(bytes(await slurm.map(job, trials[1]!))).toBe(bytes(reference[1]!));
      expect(events.filter((e) => e.type === 'submitted')).toHaveLength(1);
      const allocated = events.find((e) => e.type === 'allocated');
      expect(allocated).toMatchObject({ nodes: cluster.hostname, nodeVersion: process.version, uploaded: true });
      // Every allocation has a time limit: the 10 minutes asked for.
      expect(await squeue('-j', slurm.allocationId!, '-o', '%l')).toBe('10:00');
      expect((await squeue('-s', '-j', slurm.allocationId!, '-o', '%j')).split('\n').filter((n) => n.includes('-w'))).toHaveLength(2);
      // Cancelling a run ends its worker steps at once; the allocation stays for the next run until close().
      const controller = new AbortController();
      const reason = new Error('cancelled by the test');
      const cancelled = slurm.map(job, trialsOf(400, 3), { signal: controller.signal, onProgress: () => controller.abort(reason) });
      await expect(cancelled).rejects.toBe(reason);
      expect(await waitForNoProcess(join(cluster.workDir, 'sciope'), 10_000)).toEqual([]);
      await expect.poll(async () => (await squeue('-s', '-j', slurm.allocationId!, '-o', '%j')).includes('-w'), { timeout: 10_000 }).toBe(false);
      expect(await squeue('-j', slurm.allocationId!, '-o', '%T')).toBe('RUNNING');
    } finally {
      await slurm.close();
    }
    expect(events.at(-1)).toMatchObject({ type: 'released' });
  });

  it('re-dispatches the batches of a step cancelled with scancel, and of a step whose process is killed', async () => {
    const { slurm, events } = executor();
    try {
      await slurm.map(job, trials[0]!); // both steps up
      let killed = 0;
      const results = await slurm.map(job, trials[1]!, {
        onProgress: (completed) => {
          if (completed === 0 || killed > 0) return;
          killed++;
          void squeue('-s', '-j', slurm.allocationId!, '-o', '%i|%j').then((steps) => {
            const step = steps
              .split('\n')
              .find((l) => l.endsWith('-w1'))!
              .split('|')[0]!;
            return run('scancel', [step], { env: cluster.env });
          });
        },
      });
      expect(bytes(results)).toBe(bytes(reference[1]!));
      expect(events.some((e) => e.type === 'step' && e.event.type === 'lost')).toBe(true);
      // The next map() starts a new step for the lost one; now kill a worker process outright.
      let signalled = false;
      const again = await slurm.map(job, trials[0]!, {
        onProgress: () => {
          if (signalled) return;
          signalled = true;
          void run('pgrep', ['-f', join(cluster.workDir, 'sciope')]).then(({ stdout }) => process.kill(Number(stdout.split('\n')[0]), 'SIGKILL'));
        },
      });
      expect(bytes(again)).toBe(bytes(reference[0]!));
      expect(events.filter((e) => e.type === 'step' && e.event.type === 'lost').length).toBeGreaterThanOrEqual(2);
    } finally {
      await slurm.close();
    }
  });

  it("fails the run with the allocation's state when the job is scancel'd from outside", async () => {
    const { slurm } = executor();
    try {
      await slurm.map(job, trials[0]!);
      const jobId = slurm.allocationId!;
      const failed = slurm.map(job, trials[1]!, { onProgress: (completed) => void (completed > 0 && run('scancel', [jobId], { env: cluster.env })) });
      const error = await failed.catch((e: unknown) => e);
      expect(error).toBeInstanceOf(RemoteNodeError);
      expect((error as RemoteNodeError).reason).toBe('allocation-ended');
      expect((error as Error).message).toMatch(new RegExp(`allocation \\(job ${jobId}\\) ended`));
    } finally {
      await slurm.close();
    }
  });

  it('refuses an unknown host key before submitting anything', async () => {
    const knownHosts = join(cluster.dir, 'other_known_hosts');
    writeFileSync(knownHosts, `[127.0.0.1]:${cluster.sshPort} ${await otherPublicKey(cluster.dir)}\n`);
    const { slurm } = executor({ knownHosts });
    try {
      const error = await slurm.map(job, trials[0]!).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(RemoteNodeError);
      expect((error as Error).message).toMatch(/host key has CHANGED/);
      const unknown = executor({ knownHosts: join(cluster.dir, 'empty_known_hosts') });
      writeFileSync(join(cluster.dir, 'empty_known_hosts'), '');
      const refused = await unknown.slurm.check().catch((e: unknown) => e);
      expect((refused as RemoteNodeError).reason).toBe('unknown-host');
      await unknown.slurm.close();
      expect(slurm.allocationId).toBeNull();
    } finally {
      await slurm.close();
    }
  });

  it('simulate --executor slurm --slurm cluster.json (flags on top) writes the same CSV as a local run', async () => {
    const file = join(cluster.dir, 'cluster.json');
    writeFileSync(
      file,
      JSON.stringify({
        host: cluster.host,
        port: cluster.sshPort,
        user: cluster.user,
        privateKey: cluster.privateKeyPath,
        knownHosts: cluster.knownHostsPath,
        time: '5',
        remoteDir: join(cluster.workDir, 'sciope'),
      }),
    );
    const local = join(cluster.dir, 'local.csv');
    const remote = join(cluster.dir, 'remote.csv');
    expect((await sciope('simulate', 'dimerisation', '-n', '12', '-s', '4', '-o', local, '-q')).code).toBe(0);
    const over = await sciope(
      'simulate',
      'dimerisation',
      '-n',
      '12',
      '-s',
      '4',
      '-o',
      remote,
      '-q',
      '--executor',
      'slurm',
      '--slurm',
      file,
      '--tasks',
      '2',
      '--partition',
      cluster.partition,
    );
    expect(over.code, over.stderr).toBe(0);
    expect(over.stderr).toMatch(/allocation submitted as job \d+/);
    expect(over.stderr).toMatch(new RegExp(`running on ${cluster.hostname}, Node ${process.version.replace(/\./g, '\\.')}`));
    expect(over.stderr).toMatch(/job \d+ cancelled \(allocation released\)/);
    expect(readFileSync(remote, 'utf8')).toBe(readFileSync(local, 'utf8'));
    const bad = await sciope('simulate', 'dimerisation', '-n', '2', '-q', '--executor', 'slurm', '--slurm', file, '--time', 'soon');
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain(
      `${file}: invalid SLURM settings (1 problem):\n  time: expected a wall time (minutes, MM:SS, HH:MM:SS or D-HH:MM:SS), got "soon"`,
    );
  });

  it("the app's settings: checkSlurm runs the pre-flight, setSlurm validates and stores the cluster and makes it the executor", async () => {
    const service = new EngineService({ configDir: mkdtempSync(join(cluster.dir, 'config-')), log: () => {} });
    try {
      const slurm = {
        host: cluster.host,
        port: cluster.sshPort,
        user: cluster.user,
        privateKey: cluster.privateKeyPath,
        knownHosts: cluster.knownHostsPath,
        time: '15',
        tasks: 2,
      };
      const check = await service.call('settings.checkSlurm', { slurm });
      expect(check).toMatchObject({
        ok: true,
        cluster: `${cluster.user}@127.0.0.1:${cluster.sshPort}`,
        facts: { partition: cluster.partition, cpusPerNode: 2 },
      });
      expect(check.message).toMatch(/^ready: SLURM \d+\.\d+/);
      const tooLong = await service.call('settings.checkSlurm', { slurm: { ...slurm, cpusPerTask: 64 } });
      expect(tooLong).toMatchObject({ ok: false, message: expect.stringMatching(/64 CPUs per task, but the nodes of partition "debug" have at most 2/) });
      expect(await service.invoke('settings.setSlurm', { slurm: { ...slurm, time: 'soon' }, use: true })).toMatchObject({
        ok: false,
        error: { code: 'SLURM_SETTINGS' },
      });
      expect(await service.call('settings.setSlurm', { slurm, use: true })).toMatchObject({ executor: 'slurm', slurm });
      expect((await service.call('app.info')).executor).toBe('slurm');
      expect(await service.call('settings.setSlurm', { slurm: null, use: false })).toMatchObject({ executor: 'local', slurm: null });
    } finally {
      await service.close();
    }
  });

  it('says how to load Node when the compute nodes do not have it on the PATH, and releases the allocation', async () => {
    // A PATH with SLURM's commands and what the batch script needs, but no node.
    const bin = join(cluster.dir, 'bin-without-node');
    mkdirSync(bin, { recursive: true });
    for (const tool of ['sbatch', 'srun', 'sinfo', 'squeue', 'scancel', 'sleep', 'cat']) symlinkSync(`/usr/bin/${tool}`, join(bin, tool));
    const { slurm, events } = executor({ setup: `export PATH=${bin}` });
    try {
      const error = await slurm.map(job, trials[0]!).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(RemoteNodeError);
      expect((error as RemoteNodeError).message).toMatch(/Node\.js was not found on the compute nodes/);
      expect((error as RemoteNodeError).message).toMatch(/module load nodejs/);
      expect(events.some((e) => e.type === 'released')).toBe(true);
    } finally {
      await slurm.close();
    }
  });
});
