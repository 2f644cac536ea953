import { spawn } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SimulationJob, Trial } from '../../../../engine/compute/executor.js';
import { InProcessExecutor } from '../../../../engine/compute/InProcessExecutor.js';
import { packTrials, unpackResults } from '../../../../engine/compute/pool/batchCodec.js';
import { encodeFrame, float64At, FrameDecoder, FrameType, jsonBytes, PROTOCOL, u32, type Frame } from '../../../../engine/compute/ssh/frames.js';
import { getExample } from '../../../../engine/model/index.js';
import { sshdAvailable, SSHD_MISSING, startSshd, type SshServer } from './sshServer.js';
import { sciope } from '../../cli/runSciope.js';

const bin = new URL('../../../../bin/sciope.js', import.meta.url).pathname;

describe('sciope worker', () => {
  it('speaks the framed protocol on stdin/stdout: hello, job, batches in; results out; exits when stdin closes', async () => {
    const job: SimulationJob = {
      model: getExample('birth-death')!,
      method: 'ssa',
      time: [0, 5, 10],
      parameterIds: [],
      runsPerTrial: 1,
      statistics: null,
      returnTrajectories: true,
      seed: 3,
    };
    const trials: Trial[] = Array.from({ length: 5 }, (_, i) => ({ index: i, parameters: new Float64Array(0), stream: [0, i] }));
    const child = spawn(process.execPath, [bin, 'worker', '--threads', '2'], { stdio: ['pipe', 'pipe', 'inherit'] });
    const frames: Frame[] = [];
    const decoder = new FrameDecoder((f) => frames.push(f));
    child.stdout.on('data', (chunk: Buffer) => decoder.push(chunk));
    const until = async (done: () => boolean) => {
      while (!done()) await new Promise((r) => setTimeout(r, 20));
    };
    await until(() => frames.some((f) => f.type === FrameType.hello));
    expect(JSON.parse(frames[0].body.toString('utf8'))).toMatchObject({ protocol: PROTOCOL, threads: 2, node: process.version });
    child.stdin.write(encodeFrame(FrameType.job, u32(7), jsonBytes(job)));
    child.stdin.write(encodeFrame(FrameType.batch, u32(1, 7), packTrials(trials.slice(0, 3))));
    child.stdin.write(encodeFrame(FrameType.batch, u32(2, 7), packTrials(trials.slice(3))));
    child.stdin.write(encodeFrame(FrameType.batch, u32(3, 99), packTrials(trials.slice(3))));
    await until(() => frames.filter((f) => f.type === FrameType.result || f.type === FrameType.error).length === 3);
    const results = frames.filter((f) => f.type === FrameType.result).flatMap((f) => unpackResults(float64At(f.body, 8)).results);
    const reference = await new InProcessExecutor().map(job, trials);
    expect(results.sort((a, b) => a.index - b.index).map((r) => [...r.trajectories!])).toEqual(reference.map((r) => [...r.trajectories!]));
    const error = frames.find((f) => f.type === FrameType.error)!;
    expect(error.body.readUInt32LE(0)).toBe(3);
    expect(JSON.parse(error.body.subarray(4).toString('utf8')).message).toBe('batch 3 names job 99, which was never sent');
    const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
    child.stdin.end();
    expect(await exited).toBe(0);
  });
});

describe.skipIf(!sshdAvailable)(`sciope nodes check${sshdAvailable ? '' : ` (skipped: ${SSHD_MISSING})`}`, () => {
  let server: SshServer;
  beforeAll(async () => {
    server = await startSshd();
  });
  afterAll(async () => {
    await server?.stop();
  });

  it('prints a pre-flight table per node and fails when one node fails', async () => {
    const file = join(server.dir, 'nodes.json');
    writeFileSync(
      file,
      JSON.stringify({
        knownHosts: 'known_hosts',
        nodes: [{ ...server.node({ name: 'good', workers: 2 }), privateKey: 'user_key' }, server.node({ name: 'no-node', nodePath: '/opt/none/node' })],
      }),
    );
    const { code, stdout, stderr } = await sciope('nodes', 'check', file);
    expect(code).toBe(2);
    expect(stdout).toMatch(/^node\s+status\s+node\.js\s+cores\s+workers\s+connect\s+host key/m);
    expect(stdout).toMatch(new RegExp(`^good\\s+ok\\s+${process.version.replace(/\./g, '\\.')}\\s+\\d+\\s+2\\s+\\d+ ms\\s+ED25519 SHA256:`, 'm'));
    expect(stdout).toMatch(/^no-node\s+node-missing\s+-/m);
    expect(stdout).toContain('no-node: Node.js was not found at "/opt/none/node"');
    expect(stdout).toContain(`1 of 2 node(s) ready, 2 worker(s); host keys checked against ${join(server.dir, 'known_hosts')}`);
    expect(stderr).toContain('sciope: error: 1 of 2 node(s) failed the pre-flight check: no-node');
  });

  it('names bad fields of the nodes file', async () => {
    const file = join(server.dir, 'bad-nodes.json');
    writeFileSync(file, JSON.stringify([{ host: 'x', user: 'u', privateKey: 'k', port: 'ssh' }]));
    const { code, stderr } = await sciope('nodes', 'check', file);
    expect(code).toBe(2);
    expect(stderr).toContain(`${file}: invalid node settings (1 problem):\n  nodes[0].port: expected a port number`);
  });

  it('simulate --executor ssh gives the same trajectories as a local run', async () => {
    const file = join(server.dir, 'two-nodes.json');
    writeFileSync(file, JSON.stringify({ knownHosts: 'known_hosts', nodes: [server.node({ name: 'a', workers: 1 }), server.node({ name: 'b', workers: 1 })] }));
    const local = join(server.dir, 'local.csv');
    const remote = join(server.dir, 'remote.csv');
    expect((await sciope('simulate', 'dimerisation', '-n', '12', '-s', '4', '-o', local, '-q')).code).toBe(0);
    const over = await sciope('simulate', 'dimerisation', '-n', '12', '-s', '4', '-o', remote, '-q', '--executor', 'ssh', '--nodes', file);
    expect(over.code, over.stderr).toBe(0);
    expect(over.stderr).toMatch(/node a: 1 workers/);
    expect(readFileSync(remote, 'utf8')).toBe(readFileSync(local, 'utf8'));
  });
});
