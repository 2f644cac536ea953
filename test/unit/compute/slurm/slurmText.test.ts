import { describe, expect, it } from 'vitest';
import { fatalPendingReason, refusalField } from '../../../../engine/compute/slurm/requestCheck.js';
import {
  checkLimits,
  parseJobState,
  parseSbatchJobId,
  parseSinfo,
  parseSlurmSettings,
  parseSlurmTime,
  parseSlurmVersion,
  parseSteps,
  SlurmSettingsError,
} from '../../../../engine/compute/slurm/index.js';
import { slurmSettingsInput } from '../../../../engine/cli/executorOptions.js';
import { RemoteNodeError } from '../../../../engine/errors/index.js';

/** What SLURM's commands print, parsed without a cluster; the settings and limits checked before any submission. */
describe('SLURM output parsers', () => {
  it('reads SLURM times in every --time format, infinite as null', () => {
    expect(parseSlurmTime('30')).toBe(1800);
    expect(parseSlurmTime('30:15')).toBe(1815);
    expect(parseSlurmTime('2:00:00')).toBe(7200);
    expect(parseSlurmTime('1-00')).toBe(86400);
    expect(parseSlurmTime('1-02:30')).toBe(86400 + 2 * 3600 + 30 * 60);
    expect(parseSlurmTime('2-01:00:05')).toBe(2 * 86400 + 3600 + 5);
    expect(parseSlurmTime('infinite')).toBeNull();
    expect(parseSlurmTime('UNLIMITED')).toBeNull();
  });

  it('reads sinfo rows: default partition, availability, limits, CPU ranges, node states with flags', () => {
    const rows = parseSinfo('short*|up|4:00:00|16-64|3|idle\nshort*|up|4:00:00|64|1|drained*\nlong|down|7-00:00:00|32|10|mixed\n');
    expect(rows).toEqual([
      { partition: 'short', isDefault: true, up: true, timeLimitS: 4 * 3600, cpusPerNode: 64, nodes: 3, state: 'idle' },
      { partition: 'short', isDefault: true, up: true, timeLimitS: 4 * 3600, cpusPerNode: 64, nodes: 1, state: 'drained' },
      { partition: 'long', isDefault: false, up: false, timeLimitS: 7 * 86400, cpusPerNode: 32, nodes: 10, state: 'mixed' },
    ]);
  });

  it('reads sbatch, squeue and version output', () => {
    expect(parseSbatchJobId('4242\n')).toBe('4242');
    expect(parseSbatchJobId('4242;cluster1\n')).toBe('4242');
    expect(parseSbatchJobId('sbatch: error: Batch job submission failed')).toBeNull();
    expect(parseSlurmVersion('slurm 22.05.8\n')).toBe('22.05.8');
    expect(parseSlurmVersion('slurm-wlm 23.11.4\n')).toBe('23.11.4');
    expect(parseJobState('PENDING|Priority|\n')).toEqual({ state: 'PENDING', reason: 'Priority', nodes: '' });
    expect(parseJobState('')).toBeNull();
    expect(parseSteps('12.0|sciope-ab-w1\n12.batch|batch\n')).toEqual([
      { id: '12.0', name: 'sciope-ab-w1' },
      { id: '12.batch', name: 'batch' },
    ]);
  });
});

describe('SLURM settings and limits', () => {
  const base = { host: 'login.hpc', user: 'ana', privateKey: '/k', time: '1:00:00' };

  it('fills defaults and names every bad field', () => {
    expect(parseSlurmSettings(base)).toMatchObject({ port: 22, tasks: 1, cpusPerTask: 1, remoteDir: '~/.cache/sciope', nodePath: 'node', time: '1:00:00' });
    expect(parseSlurmSettings({ ...base, time: 90 }).time).toBe('90');
    let error: unknown;
    try {
      parseSlurmSettings({ host: 'h', user: 'u', time: 'later', partition: 'a;rm', tasks: 0, extra: 1 }, 'c.json');
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(SlurmSettingsError);
    const message = (error as Error).message;
    expect(message).toContain('c.json: invalid SLURM settings');
    expect(message).toContain('time: expected a wall time');
    expect(message).toContain('partition: expected a partition name made of letters');
    expect(message).toContain('tasks: expected at least 1 of tasks');
    expect(message).toContain('settings: unknown field "extra"');
    expect(() => parseSlurmSettings({ host: 'h', user: 'u', time: '10' })).toThrow(
      'settings: expected "privateKey" (a key file path) or "agent" (true or a socket path) to authenticate',
    );
  });

  it('refuses a wall time over the partition limit, too many CPUs per task, a partition that is down', () => {
    const rows = parseSinfo('short*|up|4:00:00|16|3|idle\n');
    expect(checkLimits('c', parseSlurmSettings({ ...base, cpusPerTask: 8 }), 'short', '22.05.8', rows)).toEqual({
      slurmVersion: '22.05.8',
      partition: 'short',
      timeLimitS: 14400,
      cpusPerNode: 16,
      usableNodes: 3,
      usableCpus: 48,
      account: null,
      accountCheckedBy: null,
    });
    expect(() => checkLimits('c', parseSlurmSettings({ ...base, time: '5:00:00' }), 'short', '22.05.8', rows)).toThrow(
      /wall time 5:00:00 exceeds partition "short"'s limit \(04:00:00\)/,
    );
    expect(() => checkLimits('c', parseSlurmSettings({ ...base, cpusPerTask: 32 }), 'short', '22.05.8', rows)).toThrow(
      /32 CPUs per task, but the nodes of partition "short" have at most 16/,
    );
    expect(() => checkLimits('c', parseSlurmSettings(base), 'long', '22.05.8', parseSinfo('long|down|infinite|16|3|idle'))).toThrow(RemoteNodeError);
    // 3 nodes of 16 CPUs hold 6 tasks of 6 CPUs (2 per node), not 8 (48 / 6).
    expect(checkLimits('c', parseSlurmSettings({ ...base, tasks: 6, cpusPerTask: 6 }), 'short', '22.05.8', rows).usableCpus).toBe(48);
    const tooMany = (() => {
      try {
        return checkLimits('c', parseSlurmSettings({ ...base, tasks: 7, cpusPerTask: 6 }), 'short', '22.05.8', rows);
      } catch (error) {
        return error as RemoteNodeError;
      }
    })() as RemoteNodeError;
    expect(tooMany.message).toBe(
      'c: "tasks": 7 tasks of 6 CPU(s), but partition "short" holds at most 6 such tasks (48 CPUs on 3 node(s)); lower "tasks" or "cpusPerTask"',
    );
    expect(tooMany.details).toMatchObject({ field: 'tasks' });
  });

  it('maps what SLURM says when it refuses a request, or why a job pends, to the settings field to change', () => {
    expect(refusalField('sbatch: error: Batch job submission failed: Invalid account or account/partition combination specified')?.field).toBe('account');
    expect(refusalField('sbatch: error: Batch job submission failed: Requested time limit is invalid (missing or exceeds some limit)')?.field).toBe('time');
    expect(refusalField('sbatch: error: invalid partition specified: nope')?.field).toBe('partition');
    expect(refusalField('allocation failure: Requested node configuration is not available')?.field).toBe('cpusPerTask');
    expect(refusalField('sbatch: Job 3 to start at 2026-12-05T15:55:18')).toBeNull();
    // Reasons that clear by waiting are not errors; reasons that never clear name the field.
    for (const reason of ['Priority', 'Resources', 'ReqNodeNotAvail, UnavailableNodes:n1', 'JobHeldUser', 'PartitionDown', 'AssocGrpCpuLimit'])
      expect(fatalPendingReason(reason)).toBeNull();
    expect(fatalPendingReason("Job's account not known, so it can't use this partition (debug allows lab42)")?.field).toBe('account');
    expect(fatalPendingReason('InvalidAccount')?.field).toBe('account');
    expect(fatalPendingReason('PartitionTimeLimit')?.field).toBe('time');
    expect(fatalPendingReason('QOSMaxWallDurationPerJobLimit')?.field).toBe('time');
    expect(fatalPendingReason('AssocMaxCpuPerJobLimit')?.field).toBe('cpusPerTask');
    expect(fatalPendingReason('PartitionNodeLimit')?.field).toBe('nodes');
  });

  it('puts CLI flags over the cluster file, and falls back to the ssh-agent without a key', () => {
    expect(slurmSettingsInput({ tasks: 4, time: '30' }, { host: 'h', user: 'u', agent: true, tasks: 2 })).toEqual({
      host: 'h',
      user: 'u',
      agent: true,
      tasks: 4,
      time: '30',
    });
    expect(slurmSettingsInput({ slurmKey: '/keys/id', slurmHost: 'login' }, { host: 'h', user: 'u', agent: true })).toEqual({
      host: 'login',
      user: 'u',
      privateKey: '/keys/id',
    });
    expect(slurmSettingsInput({ slurmHost: 'login', slurmUser: 'ana', time: '10' })).toEqual({ host: 'login', user: 'ana', time: '10', agent: true });
  });
});
