import { copyFileSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import type { SimulationJob, Trial, TrialResult } from '../../../engine/compute/executor.js';
import { InProcessExecutor } from '../../../engine/compute/InProcessExecutor.js';
import { SshNodePool } from '../../../engine/compute/ssh/index.js';
import { blackBoxModel, type BlackBoxSimulatorSpec } from '../../../engine/simulate/blackbox/index.js';
import { sshdAvailable, SSHD_MISSING, startSshd } from '../compute/ssh/sshServer.js';
import { approveInProcess } from '../trustForTests.js';

/**
 * Over SSH (a real sshd on 127.0.0.1): a module simulator travels inside the
 * job and is stored next to the remote worker under its content hash; a
 * command simulator runs where the command exists. Results equal the
 * in-process ones.
 */
if (!sshdAvailable) console.warn(`sshBlackBox: skipped: ${SSHD_MISSING}`);

describe.skipIf(!sshdAvailable)('black-box simulators on the SSH pool', async () => {
  const sshd = await startSshd();
  const remoteDir = mkdtempSync(join(tmpdir(), 'sciope-bb-remote-'));
  const pool = new SshNodePool({ nodes: [sshd.node({ workers: 1, remoteDir }), sshd.node({ workers: 1, remoteDir })], knownHosts: sshd.knownHosts });
  afterAll(async () => {
    await pool.close();
    await sshd.stop();
    rmSync(remoteDir, { recursive: true, force: true });
  });
  const fixtures = fileURLToPath(new URL('../../fixtures/blackbox/', import.meta.url));
  const trials: Trial[] = Array.from({ length: 12 }, (_, i) => ({ index: i, parameters: Float64Array.of(0.2 + 0.05 * i), stream: [0, i] }));
  // These tests are about the SSH pool, not trust: each simulator is approved in this process as it is built.
  const job = (simulator: BlackBoxSimulatorSpec, parameterId: string): SimulationJob => (
    approveInProcess(simulator),
    {
      model: blackBoxModel(simulator),
      simulator,
      method: 'ssa',
      time: [0, 1, 2, 3],
      parameterIds: [parameterId],
      runsPerTrial: 1,
      statistics: { kind: 'identity' },
      returnTrajectories: false,
      seed: 5,
    }
  );
  const bytes = (results: readonly TrialResult[]) => [...results].sort((a, b) => a.index - b.index).map((r) => Array.from(r.features!).join(','));

  it('ships a module simulator with the job, content-hashed next to the worker', async () => {
    // A private copy, so the nodes cannot be reading the fixture by its path.
    const local = join(mkdtempSync(join(tmpdir(), 'sciope-bb-module-')), 'decay.mjs');
    copyFileSync(join(fixtures, 'decay-module.mjs'), local);
    const theJob = job(
      {
        kind: 'module',
        path: local,
        parameters: [
          { id: 'k', value: 0.5 },
          { id: 'a0', value: 100 },
        ],
        species: ['A', 'B'],
      },
      'k',
    );
    const reference = await new InProcessExecutor().map(theJob, trials);
    expect(bytes(await pool.map(theJob, trials))).toEqual(bytes(reference));
    expect(readdirSync(remoteDir).filter((f) => /^simulator-[0-9a-f]{16}\.mjs$/.test(f))).toHaveLength(1);
    expect(existsSync(local)).toBe(true);
  });

  it('runs a command simulator on the nodes', async () => {
    const theJob = job(
      {
        kind: 'command',
        command: ['python3', join(fixtures, '../../../resources/simulators/birth_death.py')],
        parameters: [
          { id: 'lambda', value: 0.3 },
          { id: 'mu', value: 0.6 },
          { id: 'x0', value: 40 },
        ],
        species: ['X'],
      },
      'mu',
    );
    const reference = await new InProcessExecutor().map(theJob, trials);
    expect(bytes(await pool.map(theJob, trials))).toEqual(bytes(reference));
  });
});
