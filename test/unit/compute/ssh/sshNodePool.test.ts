import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SimulationJob, Trial, TrialResult } from '../../../../engine/compute/executor.js';
import { InProcessExecutor } from '../../../../engine/compute/InProcessExecutor.js';
import {
  connectNode,
  deployWorker,
  parseNodeSettings,
  remoteWorkerBundle,
  SshNodePool,
  type NodeEvent,
  type SshNodePoolOptions,
} from '../../../../engine/compute/ssh/index.js';
import { RemoteNodeError } from '../../../../engine/errors/index.js';
import { getExample } from '../../../../engine/model/index.js';
import { pgrep, sshdAvailable, SSHD_MISSING, startSshd, waitForNoProcess, type SshServer } from './sshServer.js';

/**
 * The SSH node pool against a private sshd on 127.0.0.1: every "node" is a
 * connection to it, and its worker processes are processes of this machine,
 * so the tests find them with pgrep (by the remote folder in their command
 * line) to kill, stop or count them.
 */
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
  Array.from({ length: n }, (_, i) => ({ index: 500 + i, parameters: Float64Array.of(30 + (i % 5) * 10, 40 + (i % 3) * 5, 50), stream: [generation, i] }));

function bytes(results: readonly TrialResult[]): string {
  return [...results]
    .sort((a, b) => a.index - b.index)
    .map((r) => `${r.index}:${r.events}:${Buffer.from(r.features!.buffer, r.features!.byteOffset, r.features!.byteLength).toString('hex')}`)
    .join('|');
}

describe.skipIf(!sshdAvailable)(`SshNodePool against a private sshd${sshdAvailable ? '' : ` (skipped: ${SSHD_MISSING})`}`, () => {
  let server: SshServer;
  const trials60 = trialsOf(60, 3);
  const trials120 = trialsOf(120, 4);
  let reference60: TrialResult[];
  let reference120: TrialResult[];

  beforeAll(async () => {
    server = await startSshd();
    const local = new InProcessExecutor();
    reference60 = await local.map(job, trials60);
    reference120 = await local.map(job, trials120);
  });
  afterAll(async () => {
    await server?.stop();
  });

  /** A pool of `n` nodes (connections to the sshd), one worker thread each, in its own remote folder. */
  function pool(n: number, folder: string, options: Partial<SshNodePoolOptions> = {}) {
    const events: NodeEvent[] = [];
    const remoteDir = join(server.dir, folder);
    const nodes = Array.from({ length: n }, (_, i) => server.node({ name: `node${i + 1}`, workers: 1, remoteDir }));
    const executor = new SshNodePool({ nodes, knownHosts: server.knownHosts, onNodeEvent: (e) => events.push(e), ...options });
    return { executor, events, workers: `${remoteDir}/worker-` };
  }

  it('deploys the worker bundle once, then finds it in the cache', async () => {
    const bundle = await remoteWorkerBundle();
    expect(bundle.name).toMatch(/^worker-[0-9a-f]{16}\.mjs$/);
    const connection = await connectNode(parseNodeSettings(server.node({ remoteDir: join(server.dir, 'deploy', 'nested') })), {
      knownHosts: server.knownHosts,
    });
    try {
      const first = await deployWorker(connection, bundle);
      expect(first).toEqual({ remoteFile: join(server.dir, 'deploy', 'nested', bundle.name), uploaded: true });
      expect(readFileSync(first.remoteFile).equals(bundle.code)).toBe(true);
      expect(await deployWorker(connection, bundle)).toEqual({ remoteFile: first.remoteFile, uploaded: false });
    } finally {
      connection.close();
    }
  });

  it('gives results identical, bit for bit, to the in-process executor, and no process outlives close()', async () => {
    const { executor, events, workers } = pool(2, 'identical');
    try {
      const progress: number[] = [];
      const results = await executor.map(job, trials60, { onProgress: (done) => progress.push(done) });
      expect(results.map((r) => r.index)).toEqual(trials60.map((t) => t.index));
      expect(bytes(results)).toBe(bytes(reference60));
      expect(progress.at(-1)).toBe(60);
      expect([...progress].sort((a, b) => a - b)).toEqual(progress);
      // Two nodes, one upload: whichever came second found the file (or raced and re-used it).
      const ready = events.filter((e) => e.type === 'ready');
      expect(ready).toHaveLength(2);
      expect(executor.concurrency).toBe(2);
      // A second run re-uses the sessions: still two workers, and a cache hit if they are restarted.
      expect(bytes(await executor.map(job, [trials60[17]]))).toBe(bytes([reference60[17]]));
      expect(await pgrep(workers)).toHaveLength(2);
    } finally {
      await executor.close();
    }
    expect(await waitForNoProcess(workers)).toEqual([]);
    const restarted = pool(1, 'identical');
    await restarted.executor.start();
    expect(restarted.events).toMatchObject([{ type: 'ready', uploaded: false }]);
    await restarted.executor.close();
  });

  it("fails with the simulator's message", async () => {
    const { executor } = pool(1, 'broken');
    const broken: SimulationJob = {
      ...job,
      model: {
        name: 'negative',
        species: [{ id: 'X', initial: 0 }],
        parameters: [{ id: 'k', value: 1 }],
        reactions: [{ id: 'leak', products: { X: 1 }, propensity: 'k - 2' }],
      },
      parameterIds: ['k'],
    };
    try {
      await expect(executor.map(broken, [{ index: 0, parameters: Float64Array.of(1), stream: [0, 0] }])).rejects.toThrow(
        /reaction leak: propensity is -1.* \[on node1\]/,
      );
    } finally {
      await executor.close();
    }
  });

  it('a node whose worker is killed mid-run loses nothing: its batches go to the other node', async () => {
    const { executor, events, workers } = pool(2, 'killed');
    await executor.start();
    let killed: number | null = null;
    const results = await executor.map(job, trials120, {
      onProgress: (done) => {
        if (killed !== null || done < 10) return;
        killed = -1;
        void pgrep(workers).then((pids) => {
          killed = pids[0];
          process.kill(killed, 'SIGKILL');
        });
      },
    });
    try {
      expect(killed).toBeGreaterThan(0);
      expect(bytes(results)).toBe(bytes(reference120));
      const lost = events.filter((e) => e.type === 'lost');
      expect(lost).toHaveLength(1);
      expect(lost[0]).toMatchObject({ type: 'lost', error: { reason: 'lost' } });
      expect((lost[0] as { error: Error }).error.message).toMatch(/the worker process was killed by SIGKILL/);
      expect(await pgrep(workers)).toHaveLength(1);
    } finally {
      await executor.close();
    }
    expect(await waitForNoProcess(workers)).toEqual([]);
  });

  it('a hung node (no heartbeat) is dropped and its process killed; the run completes identically', async () => {
    const { executor, events, workers } = pool(2, 'hung', { heartbeatMs: 250, heartbeatTimeoutMs: 2000 });
    await executor.start();
    let stopped = false;
    const results = await executor.map(job, trials60, {
      onProgress: (done) => {
        if (stopped || done < 6) return;
        stopped = true;
        void pgrep(workers).then((pids) => process.kill(pids[0], 'SIGSTOP'));
      },
    });
    try {
      expect(bytes(results)).toBe(bytes(reference60));
      expect(events.filter((e) => e.type === 'lost')).toMatchObject([{ error: { reason: 'hung' } }]);
      // The stopped process got SIGKILL through the channel: only the healthy node's worker is left.
      await expect.poll(() => pgrep(workers), { timeout: 3000 }).toHaveLength(1);
    } finally {
      await executor.close();
    }
    expect(await waitForNoProcess(workers)).toEqual([]);
  });

  it('cancelling ends every remote worker process', async () => {
    const { executor, workers } = pool(2, 'cancel');
    await executor.start();
    expect(await pgrep(workers)).toHaveLength(2);
    const controller = new AbortController();
    const reason = new Error('cancelled by the user');
    const many = trialsOf(400, 9);
    const started = performance.now();
    const run = executor.map(job, many, { signal: controller.signal, onProgress: (done) => done >= 4 && controller.abort(reason) });
    await expect(run).rejects.toBe(reason);
    // 400 trials take seconds on two threads; stopping must not wait for them.
    expect(performance.now() - started).toBeLessThan(3000);
    expect(await waitForNoProcess(workers)).toEqual([]);
    // The pool still works afterwards: it reconnects.
    expect(bytes(await executor.map(job, trials60.slice(0, 4)))).toBe(bytes(reference60.slice(0, 4)));
    await executor.close();
    expect(await waitForNoProcess(workers)).toEqual([]);
  });

  it('fails with a clear RemoteNodeError when every node is lost', async () => {
    const { executor, workers } = pool(1, 'alone');
    await executor.start();
    let killing = false;
    const run = executor.map(job, trials120, {
      onProgress: (done) => {
        // Progress moves a batch at a time, so it can step over any one count.
        if (killing || done < 4) return;
        killing = true;
        void pgrep(workers).then((pids) => pids.forEach((pid) => process.kill(pid, 'SIGKILL')));
      },
    });
    await expect(run).rejects.toBeInstanceOf(RemoteNodeError);
    await expect(run).rejects.toMatchObject({ reason: 'all-lost' });
    await expect(run).rejects.toThrow(/every SSH node was lost or unavailable; \d+ of 120 trials done:\n {2}- node1: the worker process was killed by SIGKILL/);
    await executor.close();
    expect(await waitForNoProcess(workers)).toEqual([]);
  });
});
