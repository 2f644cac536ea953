import { execFile } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { submitDetached } from '../../../../engine/compute/slurm/batch/submit.js';
import { RemoteRunRegistry } from '../../../../engine/compute/slurm/batch/remoteRuns.js';
import { parseSlurmSettings, SlurmExecutor, type SlurmSettingsInput } from '../../../../engine/compute/slurm/index.js';
import { RemoteNodeError } from '../../../../engine/errors/index.js';
import { parseStudy } from '../../../../engine/infer/study.js';
import { getExample } from '../../../../engine/model/index.js';
import { slurmAvailable, startSlurmCluster, type SlurmTestCluster } from '../../../support/slurmCluster.js';

/**
 * The pre-flight of the account and the limits against a real one-node
 * cluster whose partition allows only the account "lab42" (AllowAccounts)
 * and 30 minutes (MaxTime), on 2 CPUs. Without slurmdbd SLURM knows no
 * account, so every job of this partition pends forever ("Job's account not
 * known"): exactly the case a pre-flight must turn into a message naming
 * the field rather than a job that never starts. Where the cluster keeps
 * associations, sacctmgr lists the user's accounts: that one command is
 * given here by a script on the login node's PATH (the test cluster has no
 * slurmdbd), everything else is SLURM's own answer.
 */
const run = promisify(execFile);
const available = slurmAvailable();
if (!available.ok) console.warn(`skipping the SLURM pre-flight tests: ${available.why}`);

describe.skipIf(!available.ok)(`SLURM pre-flight: account and limits${available.ok ? '' : ` (skipped: ${available.why})`}`, () => {
  let cluster: SlurmTestCluster;
  let fakeSacctmgr: string;

  beforeAll(async () => {
    cluster = await startSlurmCluster({ cpus: 2, allowAccounts: ['lab42'], maxTime: '30' });
    fakeSacctmgr = join(cluster.dir, 'bin-sacctmgr');
    mkdirSync(fakeSacctmgr);
    // `sacctmgr -nP show assoc where user=... format=account,partition` as slurmdbd answers it.
    writeFileSync(join(fakeSacctmgr, 'sacctmgr'), "#!/bin/sh\nprintf 'lab42|\\nlab7|debug\\nteach|gpu\\n'\n");
    chmodSync(join(fakeSacctmgr, 'sacctmgr'), 0o755);
  }, 120_000);
  afterAll(async () => {
    await cluster?.stop();
  });
  const squeue = async () => (await run('squeue', ['-h', '-o', '%i %T %r'], { env: cluster.env })).stdout.trim();
  afterEach(async () => {
    // Nothing is ever left pending: a refused request is cancelled.
    await expect.poll(squeue, { timeout: 15_000 }).toBe('');
  });

  const settings = (overrides: Partial<SlurmSettingsInput> = {}): SlurmSettingsInput => ({
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
  });

  async function refusal(overrides: Partial<SlurmSettingsInput>): Promise<RemoteNodeError> {
    const executor = new SlurmExecutor({ cluster: settings(overrides) });
    try {
      const outcome = await executor.check().catch((error: unknown) => error);
      expect(outcome).toBeInstanceOf(RemoteNodeError);
      return outcome as RemoteNodeError;
    } finally {
      await executor.close();
    }
  }

  it('names "time", "tasks" and "cpusPerTask" when the request is over the partition', async () => {
    const time = await refusal({ time: '45' });
    expect(time.details).toMatchObject({ field: 'time', timeLimitS: 1800 });
    expect(time.message).toMatch(/"time": the wall time 45 exceeds partition "debug"'s limit \(00:30:00\)/);
    const tasks = await refusal({ tasks: 3 });
    expect(tasks.details).toMatchObject({ field: 'tasks' });
    expect(tasks.message).toMatch(/"tasks": 3 tasks of 1 CPU\(s\), but partition "debug" holds at most 2 such tasks/);
    const cpus = await refusal({ cpusPerTask: 3, tasks: 1 });
    expect(cpus.details).toMatchObject({ field: 'cpusPerTask' });
    // Within the partition's limits: ready, with the account left to the user's default.
    const executor = new SlurmExecutor({ cluster: settings({ time: '30' }) });
    try {
      expect(await executor.check()).toMatchObject({ partition: 'debug', timeLimitS: 1800, usableCpus: 2, account: null, accountCheckedBy: null });
    } finally {
      await executor.close();
    }
  });

  it("checks the account against the user's associations (sacctmgr) and names the accounts that may be used", async () => {
    const setup = `export PATH=${fakeSacctmgr}:$PATH`;
    const unknown = await refusal({ account: 'other', setup });
    expect(unknown.reason).toBe('account');
    expect(unknown.details).toMatchObject({ field: 'account', validAccounts: ['lab42', 'lab7'] });
    expect(unknown.message).toMatch(/"account": user \S+ has no account "other" on this cluster; the user's accounts are: lab42, lab7/);
    const elsewhere = await refusal({ account: 'teach', setup });
    expect(elsewhere.message).toMatch(/the account "teach" of user \S+ may not use partition "debug" \(its associations name gpu\)/);
    const executor = new SlurmExecutor({ cluster: settings({ account: 'lab42', setup }) });
    try {
      expect(await executor.check()).toMatchObject({ account: 'lab42', accountCheckedBy: 'sacctmgr' });
    } finally {
      await executor.close();
    }
  });

  it('an allocation SLURM would keep pending forever for its account is cancelled with a message naming "account"', async () => {
    // sbatch --test-only accepts it (no associations to judge by); the queue then says why it never starts.
    const slurm = new SlurmExecutor({ cluster: settings({ account: 'lab42' }), pollMs: 200 });
    try {
      expect(await slurm.check()).toMatchObject({ accountCheckedBy: 'sbatch --test-only' });
      const job = {
        model: getExample('birth-death')!,
        method: 'ssa' as const,
        time: [0, 1, 2],
        parameterIds: [],
        runsPerTrial: 1,
        statistics: null,
        returnTrajectories: true,
        seed: 1,
      };
      const error = await slurm.map(job, [{ index: 0, parameters: new Float64Array(0), stream: [0] }]).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(RemoteNodeError);
      expect((error as RemoteNodeError).details).toMatchObject({ field: 'account' });
      expect((error as Error).message).toMatch(
        /"account": the account is not valid for this user and partition: job \d+ would pend forever \(squeue's reason: Job's account not known/,
      );
    } finally {
      await slurm.close();
    }
  }, 120_000);

  it('a detached run SLURM would keep pending forever is cancelled, said so, and not recorded', async () => {
    const configDir = mkdtempSync(join(cluster.dir, 'config-'));
    const dir = mkdtempSync(join(cluster.dir, 'study-'));
    writeFileSync(join(dir, 'observed.csv'), 'time,X\n0,10\n1,4\n2,1\n');
    const json = {
      name: 'bd',
      model: 'birth-death',
      observed: 'observed.csv',
      priors: { lambda: [0.05, 0.2], mu: [0.05, 0.2] },
      algorithm: { kind: 'abcRejection', populationSize: 10 },
    };
    writeFileSync(join(dir, 'study.json'), JSON.stringify(json));
    const study = parseStudy(json, join(dir, 'study.json'));
    const error = await submitDetached(
      { studyPath: join(dir, 'study.json'), study, model: getExample('birth-death')!, seed: 3 },
      { cluster: parseSlurmSettings(settings({ account: 'lab42' })), configDir },
    ).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RemoteNodeError);
    expect((error as Error).message).toMatch(/"account": .*would pend forever/);
    expect(new RemoteRunRegistry(configDir).list()).toEqual([]);
  }, 300_000);
});
