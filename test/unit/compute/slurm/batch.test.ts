import { execFile } from 'node:child_process';
import { chmodSync, copyFileSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fetchRun } from '../../../../engine/compute/slurm/batch/fetch.js';
import { attachRun, cancelRun, connectRun, readStatus, resubmitRun, type RemoteStatus } from '../../../../engine/compute/slurm/batch/remoteControl.js';
import { RemoteRunRegistry, type RemoteRun } from '../../../../engine/compute/slurm/batch/remoteRuns.js';
import type { SlurmClient } from '../../../../engine/compute/slurm/SlurmClient.js';
import type { Generation } from '../../../../engine/infer/types.js';
import { ProjectStore } from '../../../../engine/store/index.js';
import { slurmAvailable, startSlurmCluster, type SlurmTestCluster } from '../../../support/slurmCluster.js';
import { CLI_CONFIG_HOME, sciope } from '../../cli/runSciope.js';

/**
 * Batch mode against a real one-node SLURM cluster (this machine's slurmctld,
 * slurmd and munged, its login node a private sshd; see
 * test/support/slurmCluster.ts): `sciope infer --detach` from a client that
 * exits, the job's coordinator running `sciope infer` with srun workers,
 * attach, fetch, cancel, and a job killed by its time limit resumed by a new
 * job to the same posterior, bit for bit, as an uninterrupted local run.
 */
const run = promisify(execFile);
const available = slurmAvailable();
if (!available.ok) console.warn(`skipping the SLURM batch-mode tests: ${available.why}`);

const registry = () => new RemoteRunRegistry(join(CLI_CONFIG_HOME, 'sciope'));

/**
 * A deterministic decay X(t) = x0 exp(-k t) as a command simulator that
 * takes `delay` seconds per simulation: long runs that cost the machine
 * (shared by other tests) almost no CPU. Protocol: docs/blackbox-protocol.md.
 */
function slowDecay(dir: string, delay: number): void {
  const script = `#!/bin/sh
AWK=awk
if awk -W version 2>/dev/null | grep -q mawk; then AWK="awk -W interactive"; fi
exec $AWK '
BEGIN { print "{\\"v\\":1,\\"hello\\":\\"sciope-simulator\\"}"; fflush() }
{
  system("sleep ${delay}")
  match($0, /"id":[0-9]+/); id = substr($0, RSTART + 5, RLENGTH - 5)
  k = 1; x0 = 1
  if (match($0, /"k":[-0-9.eE+]+/)) k = substr($0, RSTART + 4, RLENGTH - 4) + 0
  if (match($0, /"x0":[-0-9.eE+]+/)) x0 = substr($0, RSTART + 5, RLENGTH - 5) + 0
  match($0, /"time":\\[[^\\]]*\\]/); n = split(substr($0, RSTART + 8, RLENGTH - 9), t, ",")
  row = ""
  for (i = 1; i <= n; i++) row = row (i > 1 ? "," : "") sprintf("%.17g", x0 * exp(-k * t[i]))
  print "{\\"v\\":1,\\"id\\":" id ",\\"species\\":[\\"X\\"],\\"data\\":[[" row "]]}"; fflush()
}'
`;
  writeFileSync(join(dir, 'slow-decay.sh'), script);
  chmodSync(join(dir, 'slow-decay.sh'), 0o755);
  const times = [0, 0.5, 1, 1.5, 2, 3, 4];
  writeFileSync(join(dir, 'decay-observed.csv'), ['time,X', ...times.map((t) => `${t},${10 * Math.exp(-0.5 * t)}`)].join('\n') + '\n');
}

function slowStudy(dir: string, name: string, populationSize: number, maxGenerations: number): string {
  const file = join(dir, `${name}.json`);
  writeFileSync(
    file,
    JSON.stringify({
      name,
      model: {
        simulator: {
          kind: 'command',
          command: ['sh', 'slow-decay.sh'],
          parameters: [
            { id: 'k', value: 0.5 },
            { id: 'x0', value: 10 },
          ],
          species: ['X'],
        },
      },
      observed: 'decay-observed.csv',
      priors: { k: [0.05, 2], x0: [2, 20] },
      summaries: { kind: 'identity' },
      distance: { kind: 'euclidean' },
      algorithm: { kind: 'smcAbc', populationSize, maxGenerations },
      seed: 77,
    }),
  );
  return file;
}

/** Every stored generation of the project's last run. */
function storedGenerations(project: string): { status: string; generations: Generation[] } {
  const store = ProjectStore.open(project, { readonly: true });
  try {
    const last = store.listRuns().at(-1)!;
    return { status: last.status, generations: store.loadGenerations(last.id) };
  } finally {
    store.close();
  }
}

/** Generations as bytes: equal strings mean bit-identical particles, weights, distances and statistics. */
const bytesOf = (generations: readonly Generation[]) =>
  generations.map((g) =>
    [
      g.index,
      g.epsilon,
      ...[g.particles, g.weights, g.distances, g.features].map((a) => Buffer.from(a.buffer, a.byteOffset, a.byteLength).toString('base64')),
    ].join(':'),
  );

describe.skipIf(!available.ok)(`SLURM batch mode on a one-node cluster${available.ok ? '' : ` (skipped: ${available.why})`}`, () => {
  let cluster: SlurmTestCluster;
  let dir: string;

  const clusterFile = (name: string, fields: Record<string, unknown>) => {
    const file = join(dir, `${name}.json`);
    writeFileSync(
      file,
      JSON.stringify({
        host: cluster.host,
        port: cluster.sshPort,
        user: cluster.user,
        privateKey: cluster.privateKeyPath,
        knownHosts: cluster.knownHostsPath,
        partition: cluster.partition,
        remoteDir: join(cluster.workDir, 'sciope'),
        tasks: 2,
        cpusPerTask: 1,
        ...fields,
      }),
    );
    return file;
  };

  /** `sciope infer --detach`: the client process exits once SLURM took the job; returns the recorded run. */
  const detach = async (study: string, cluster: string, ...more: string[]): Promise<RemoteRun> => {
    const outcome = await sciope('infer', study, '--executor', 'slurm', '--slurm', cluster, '--detach', ...more);
    expect(outcome.stderr).not.toMatch(/error/);
    expect(outcome.code).toBe(0);
    const id = /^remote run (\S+): job (\d+) submitted/m.exec(outcome.stdout)?.[1];
    expect(id).toBeDefined();
    return registry().get(id!);
  };

  const withClient = async <T>(remote: RemoteRun, fn: (client: SlurmClient) => Promise<T>): Promise<T> => {
    const client = await connectRun(remote);
    try {
      return await fn(client);
    } finally {
      client.connection.close();
    }
  };

  const attachUntilEnded = (remote: RemoteRun, seen: number[] = []) =>
    withClient(remote, (client) =>
      attachRun(client, remote, { intervalMs: 1000, onStatus: (s) => s.progress?.generations.forEach((g) => !seen.includes(g.index) && seen.push(g.index)) }),
    );

  const squeue = async () => (await run('squeue', ['-h', '-o', '%i %T'], { env: cluster.env })).stdout.trim();

  beforeAll(async () => {
    cluster = await startSlurmCluster({ cpus: 2 });
    dir = mkdtempSync(join(tmpdir(), 'sciope-batch-'));
    copyFileSync(new URL('../../../../resources/studies/toggle-switch/observed.csv', import.meta.url), join(dir, 'observed.csv'));
    const toggle = JSON.parse(readFileSync(new URL('../../../../resources/studies/toggle-switch/study.json', import.meta.url), 'utf8'));
    writeFileSync(
      join(dir, 'toggle.json'),
      JSON.stringify({ ...toggle, simulation: { method: 'ssa', runsPerTrial: 2 }, algorithm: { kind: 'smcAbc', populationSize: 40, maxGenerations: 3 } }),
    );
    slowDecay(dir, 1);
  }, 120_000);

  afterAll(async () => {
    await cluster?.stop();
  });

  it('detach: the client exits while the job runs; attach follows it; fetch brings back the complete run, equal to a local run', async () => {
    const remote = await detach(join(dir, 'toggle.json'), clusterFile('cluster', { time: '10' }));
    // The client has exited: the job lives on its own.
    expect(await squeue()).toMatch(new RegExp(`^${remote.jobs[0].id} (PENDING|RUNNING|COMPLETING)`, 'm'));
    const seen: number[] = [];
    const last = await attachUntilEnded(remote, seen);
    expect(last.job).toMatchObject({ inQueue: false, exitCode: 0 });
    expect(last.progress).toMatchObject({ status: 'completed', stopReason: 'maxGenerations' });
    expect(seen).toEqual([0, 1, 2]);
    const fetched = await withClient(remote, (client) => fetchRun(client, remote, { out: join(dir, 'fetched.sciope') }));
    expect(fetched.merged).toBe(false);
    const local = await sciope('infer', join(dir, 'toggle.json'), '--workers', '2', '--project', join(dir, 'local.sciope'), '-q');
    expect(local.code).toBe(0);
    const remoteRun = storedGenerations(join(dir, 'fetched.sciope'));
    expect(remoteRun.status).toBe('completed');
    expect(bytesOf(remoteRun.generations)).toEqual(bytesOf(storedGenerations(join(dir, 'local.sciope')).generations));
    // Merged into a local project instead: the same run, with its study.
    const merged = await withClient(remote, (client) => fetchRun(client, remote, { mergeInto: join(dir, 'merged.sciope') }));
    expect(merged.merged).toBe(true);
    expect(bytesOf(storedGenerations(join(dir, 'merged.sciope')).generations)).toEqual(bytesOf(remoteRun.generations));
  }, 300_000);

  it('cancel: scancel ends the job, the run keeps what it stored and says how to continue', async () => {
    const remote = await detach(slowStudy(dir, 'cancelled', 20, 6), clusterFile('cluster-cancel', { time: '10' }), '--trust');
    await withClient(remote, async (client) => {
      let status: RemoteStatus = await readStatus(client, remote);
      for (let i = 0; i < 120 && status.job.state !== 'RUNNING'; i++)
        status = await new Promise((r) => setTimeout(r, 500)).then(() => readStatus(client, remote));
      expect(status.job.state).toBe('RUNNING');
      await cancelRun(client, remote, registry());
      for (let i = 0; i < 60 && (await squeue()).includes(remote.jobs[0].id); i++) await new Promise((r) => setTimeout(r, 500));
      expect(await squeue()).not.toMatch(new RegExp(`^${remote.jobs[0].id} `, 'm'));
      status = await readStatus(client, registry().get(remote.id));
      expect(status.job).toMatchObject({ inQueue: false, killed: true });
      expect(status.run.cancelledAt).toBeDefined();
      expect(status.progress?.status ?? 'not started').not.toBe('completed');
    });
  }, 300_000);

  it('a job killed by its time limit resumes in a new job to the posterior of an uninterrupted run, bit for bit', async () => {
    // About 150 s of simulations (1 s each, 2 workers) under a 1-minute limit.
    const study = slowStudy(dir, 'timelimit', 20, 6);
    const remote = await detach(study, clusterFile('cluster-short', { time: '1' }), '--trust');
    const killed = await attachUntilEnded(remote);
    expect(killed.job).toMatchObject({ inQueue: false, killed: true });
    // Not completed: killed under the run ('running'), or its worker steps were ended first ('failed').
    expect(['running', 'failed']).toContain(killed.progress?.status);
    const storedBefore = killed.progress!.generations.length;
    expect(storedBefore).toBeGreaterThan(0);
    expect(storedBefore).toBeLessThan(6);
    // The rest needs about as long again: the new job gets a longer limit.
    const resumeJob = await withClient(remote, (client) => resubmitRun(client, registry().get(remote.id), registry(), { time: '10' }));
    expect(resumeJob).not.toBe(remote.jobs[0].id);
    const finished = await attachUntilEnded(registry().get(remote.id));
    expect(finished.progress).toMatchObject({ status: 'completed' });
    await withClient(remote, (client) => fetchRun(client, registry().get(remote.id), { out: join(dir, 'resumed.sciope') }));
    const local = await sciope('infer', study, '--workers', '8', '--trust', '--project', join(dir, 'uninterrupted.sciope'), '-q');
    expect(local.code).toBe(0);
    expect(bytesOf(storedGenerations(join(dir, 'resumed.sciope')).generations)).toEqual(
      bytesOf(storedGenerations(join(dir, 'uninterrupted.sciope')).generations),
    );
  }, 600_000);
});
