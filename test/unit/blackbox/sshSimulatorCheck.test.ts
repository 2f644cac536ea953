import { chmodSync, copyFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import type { SimulationJob, Trial, TrialResult } from '../../../engine/compute/executor.js';
import { InProcessExecutor } from '../../../engine/compute/InProcessExecutor.js';
import { checkNodes, connectNode, parseNodeSettings, SshNodePool, type NodeEvent } from '../../../engine/compute/ssh/index.js';
import { checkSimulatorOnNode, simulatorRequirement } from '../../../engine/compute/ssh/simulatorCheck.js';
import { blackBoxModel, type CommandSimulatorSpec } from '../../../engine/simulate/blackbox/index.js';
import { sshdAvailable, SSHD_MISSING, startSshd } from '../compute/ssh/sshServer.js';
import { sciope } from '../cli/runSciope.js';
import { approveInProcess } from '../trustForTests.js';

/**
 * A command simulator over SSH runs only where its program exists: two real
 * sshds on 127.0.0.1 whose logins differ only in PATH, one with a folder
 * holding `sciope-decay` (resources/simulators/decay.sh), one without.
 */
if (!sshdAvailable) console.warn(`sshSimulatorCheck: skipped: ${SSHD_MISSING}`);

describe.skipIf(!sshdAvailable)('command simulators and the SSH pre-flight', async () => {
  const tools = mkdtempSync(join(tmpdir(), 'sciope-bb-bin-'));
  const program = join(tools, 'sciope-decay');
  copyFileSync(fileURLToPath(new URL('../../../resources/simulators/decay.sh', import.meta.url)), program);
  chmodSync(program, 0o755);
  const systemPath = `${dirname(process.execPath)}:/usr/local/bin:/usr/bin:/bin`;
  const [withIt, without] = await Promise.all([startSshd({ path: `${tools}:${systemPath}` }), startSshd()]);
  const knownHosts = join(tools, 'known_hosts');
  writeFileSync(knownHosts, `[127.0.0.1]:${withIt.port} ${withIt.hostPublicKey}\n[127.0.0.1]:${without.port} ${without.hostPublicKey}\n`);
  const remoteDir = mkdtempSync(join(tmpdir(), 'sciope-bb-remote-'));
  const has = withIt.node({ workers: 1, remoteDir });
  const lacks = without.node({ workers: 1, remoteDir });
  const lacksLabel = `${lacks.user}@127.0.0.1:${without.port}`;
  afterAll(async () => {
    await Promise.all([withIt.stop(), without.stop()]);
    rmSync(tools, { recursive: true, force: true });
    rmSync(remoteDir, { recursive: true, force: true });
  });

  const spec = (command: string[], extra: Partial<CommandSimulatorSpec> = {}): CommandSimulatorSpec => ({
    kind: 'command',
    command,
    parameters: [
      { id: 'k', value: 0.5 },
      { id: 'x0', value: 80 },
    ],
    species: ['X'],
    ...extra,
  });
  const trials: Trial[] = Array.from({ length: 16 }, (_, i) => ({ index: i, parameters: Float64Array.of(0.1 + 0.05 * i), stream: [0, i] }));
  // These tests are about routing, not trust: each simulator is approved in this process as it is built.
  const job = (simulator: CommandSimulatorSpec): SimulationJob => (
    approveInProcess(simulator),
    {
      model: blackBoxModel(simulator),
      simulator,
      method: 'ssa',
      time: [0, 1, 2, 3],
      parameterIds: ['k'],
      runsPerTrial: 1,
      statistics: { kind: 'identity' },
      returnTrajectories: false,
      seed: 5,
    }
  );
  const values = (results: readonly TrialResult[]) => [...results].sort((a, b) => a.index - b.index).map((r) => Array.from(r.features!).join(','));

  it('pre-flight reports, per node, a command missing from PATH', async () => {
    const reports = await checkNodes([has, lacks], { knownHosts }, spec(['sciope-decay']));
    expect(reports[0]).toMatchObject({ ok: true, simulator: 'ok' });
    expect(reports[1]).toMatchObject({ ok: false, simulator: 'missing' });
    expect(reports[1].error?.reason).toBe('simulator-missing');
    expect(reports[1].error?.message).toBe(`node ${lacksLabel}: command "sciope-decay" not found on PATH (of a non-interactive SSH login)`);
  });

  it('checks the cwd, a program given as a path and the script files (same path, same SHA-256)', async () => {
    const connection = await connectNode(parseNodeSettings(lacks), { knownHosts });
    try {
      const script = spec(['sh', 'sciope-decay'], { cwd: tools });
      const requirement = simulatorRequirement(script)!;
      expect(requirement.files).toEqual([{ path: program, role: 'argument', sha256: expect.stringMatching(/^[0-9a-f]{64}$/) }]);
      expect(await checkSimulatorOnNode(connection, requirement)).toBeNull();
      const changed = { ...requirement, files: [{ ...requirement.files[0], sha256: '0'.repeat(64) }] };
      expect((await checkSimulatorOnNode(connection, changed))?.message).toMatch(
        new RegExp(`^node ${lacksLabel}: ${program} differs from the local copy \\(sha256 [0-9a-f]{12}\\.\\.\\. there, 000000000000\\.\\.\\. here\\)$`),
      );
      const gone = simulatorRequirement(spec(['./nowhere.sh'], { cwd: join(tools, 'missing-dir') }))!;
      expect((await checkSimulatorOnNode(connection, gone))?.message).toBe(
        `node ${lacksLabel}: working directory "${join(tools, 'missing-dir')}" does not exist; command "./nowhere.sh" not found (in ${join(tools, 'missing-dir')})`,
      );
    } finally {
      connection.close();
    }
  });

  it('a run routes every batch to the nodes that have the command', async () => {
    const events: NodeEvent[] = [];
    const pool = new SshNodePool({ nodes: [lacks, has], knownHosts, onNodeEvent: (e) => events.push(e) });
    try {
      const reference = await new InProcessExecutor().map(job(spec([program])), trials);
      const theJob = job(spec(['sciope-decay']));
      expect(values(await pool.map(theJob, trials))).toEqual(values(reference));
      expect(values(await pool.map(theJob, trials))).toEqual(values(reference));
      // The other node may finish every batch before the lacking one is even up (a loaded machine):
      // its check starts once it is up and a run is going, so keep running until its verdict is in.
      for (const deadline = Date.now() + 60_000; !events.some((e) => e.type === 'excluded') && Date.now() < deadline; ) {
        expect(values(await pool.map(theJob, trials))).toEqual(values(reference));
        await new Promise((r) => setTimeout(r, 50));
      }
      expect(values(await pool.map(theJob, trials))).toEqual(values(reference)); // the verdict is kept between runs
      const excluded = events.filter((e) => e.type === 'excluded');
      expect(excluded).toHaveLength(1);
      expect(excluded[0]).toMatchObject({ node: lacksLabel });
    } finally {
      await pool.close();
    }
  });

  it('a run where no node has the command is refused, naming each node', async () => {
    const pool = new SshNodePool({ nodes: [lacks, { ...lacks, name: 'second' }], knownHosts });
    try {
      await expect(pool.map(job(spec(['sciope-decay'])), trials)).rejects.toThrow(
        `no SSH node can run the simulator's command "sciope-decay"; 0 of 16 trials done:\n  - node ${lacksLabel}: command "sciope-decay" not found on PATH (of a non-interactive SSH login)\n  - node second: command "sciope-decay" not found on PATH (of a non-interactive SSH login)`,
      );
    } finally {
      await pool.close();
    }
  });

  it('`sciope nodes check --simulator` adds a simulator column and fails for the node lacking it', async () => {
    const nodesFile = join(tools, 'nodes.json');
    writeFileSync(
      nodesFile,
      JSON.stringify({
        knownHosts,
        nodes: [
          { ...has, name: 'has' },
          { ...lacks, name: 'lacks' },
        ],
      }),
    );
    const simulatorFile = join(tools, 'sim.json');
    writeFileSync(simulatorFile, JSON.stringify({ simulator: spec(['sciope-decay']) }));
    const { code, stdout, stderr } = await sciope('nodes', 'check', nodesFile, '--simulator', simulatorFile);
    expect(code).toBe(2);
    expect(stdout).toMatch(/^node\s+status\s+.*host key\s+simulator$/m);
    expect(stdout).toMatch(/^has\s+ok\s.*\sok$/m);
    expect(stdout).toMatch(/^lacks\s+simulator-missing\s.*\smissing$/m);
    expect(stdout).toContain('node lacks: command "sciope-decay" not found on PATH');
    expect(stdout).toContain(`1 of 2 node(s) ready, 1 worker(s); host keys checked against ${knownHosts}; simulator command "sciope-decay" (cwd ${tools})`);
    expect(stderr).toMatch(/1 of 2 node\(s\) failed the pre-flight check: lacks/);
  });
});
