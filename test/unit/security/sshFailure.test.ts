import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sciope } from '../cli/runSciope.js';
import { freePort, pgrep, sshdAvailable, SSHD_MISSING, startSshd, waitForNoProcess, type SshServer } from '../compute/ssh/sshServer.js';

/**
 * Issue #13: an SSH run that lost every node exited 2 ("bad input") and left
 * a header-only CSV. Losing every node mid-run is a failed run (exit 1,
 * NodesLostError); a node list where no node ever comes up stays a
 * configuration error (exit 2). Either way the output file is written under
 * a temporary name and renamed only when complete, so nothing half-written
 * is left, and an older file of that name is kept as it was.
 */
const bin = new URL('../../../bin/sciope.js', import.meta.url).pathname;
const work = mkdtempSync(join(tmpdir(), 'sciope-ssh-failure-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

describe('an SSH run whose nodes never come up', () => {
  it('exits 2 (the node list is what is wrong), says why per node, and writes no output file', async () => {
    const dir = join(work, 'never');
    mkdirSync(dir);
    const nodes = join(dir, 'nodes.json');
    // Nothing listens on the port: the connection is refused at once.
    writeFileSync(nodes, JSON.stringify([{ name: 'gone', host: '127.0.0.1', port: await freePort(), user: 'nobody', privateKey: join(dir, 'missing_key') }]));
    const out = join(dir, 'out.csv');
    const result = await sciope('simulate', 'birth-death', '-n', '20', '-s', '1', '-o', out, '-q', '--executor', 'ssh', '--nodes', nodes);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/sciope: error: every SSH node was lost or unavailable; 0 of \d+ trials done:\n {2}- gone/);
    expect(result.stderr).not.toMatch(/\n\s+at /);
    expect(readdirSync(dir)).toEqual(['nodes.json']);
  });
});

describe.skipIf(!sshdAvailable)(`an SSH run that loses every node mid-run${sshdAvailable ? '' : ` (skipped: ${SSHD_MISSING})`}`, () => {
  let server: SshServer;
  beforeAll(async () => {
    server = await startSshd();
  });
  afterAll(async () => {
    await server?.stop();
  });

  it('exits 1 (a run failed), names the lost node, leaves no partial CSV and keeps the older file', async () => {
    const remoteDir = join(server.dir, 'remote-lost');
    const nodes = join(server.dir, 'lost-nodes.json');
    writeFileSync(nodes, JSON.stringify({ knownHosts: server.knownHosts, nodes: [server.node({ name: 'only', workers: 1, remoteDir })] }));
    const dir = join(work, 'lost');
    mkdirSync(dir);
    const out = join(dir, 'out.csv');
    writeFileSync(out, 'results of an earlier run\n');
    // Far more trajectories than can finish: the workers are killed once the first chunks are on disk.
    const child = spawn(
      process.execPath,
      [bin, 'simulate', 'birth-death', '-n', '5000000', '-s', '1', '-o', out, '-q', '--executor', 'ssh', '--nodes', nodes],
      { stdio: ['ignore', 'ignore', 'pipe'] },
    );
    let stderr = '';
    child.stderr.on('data', (chunk) => (stderr += chunk));
    const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));

    const partial = () => readdirSync(dir).find((name) => /^\.out\.csv\.\d+\.[0-9a-f]{8}\.partial$/.test(name));
    const header = 'trajectory,time,X\n'.length;
    const deadline = Date.now() + 60_000;
    let killed: number[] = [];
    while (Date.now() < deadline && child.exitCode === null) {
      const name = partial();
      if (name && statSync(join(dir, name)).size > header) {
        killed = await pgrep(`${remoteDir}/worker-`);
        if (killed.length > 0) break;
      }
      await new Promise((r) => setTimeout(r, 20));
    }
    expect(killed.length, `no partial output and remote worker seen within 60 s; stderr: ${stderr}`).toBeGreaterThan(0);
    for (const pid of killed) process.kill(pid, 'SIGKILL');

    expect(await exited, stderr).toBe(1);
    expect(stderr).toMatch(/sciope: run failed: every SSH node was lost or unavailable; \d+ of \d+ trials done:\n {2}- only: \S/);
    expect(stderr).not.toMatch(/\n\s+at /);
    expect(readdirSync(dir)).toEqual(['out.csv']);
    expect(readFileSync(out, 'utf8')).toBe('results of an earlier run\n');
    expect(await waitForNoProcess(`${remoteDir}/worker-`)).toEqual([]);
  });
});
