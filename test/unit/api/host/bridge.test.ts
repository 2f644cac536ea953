import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MessageChannel } from 'node:worker_threads';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EngineService, type CallOutcome, type EngineEvent, type EngineServiceOptions } from '../../../../engine/api/index.js';
import { EngineHostClient, nodeMessagePort, startEngineHost, type HostConnection, type HostedService } from '../../../../engine/api/host/index.js';
import type { ApprovalRequest } from '../../../../engine/trust/types.js';

/**
 * The engine bridge (engine/api/host) with the host in this process, over a
 * worker_threads MessageChannel: the stand-in for Electron's
 * MessageChannelMain between main and the engine's utility process. Calls,
 * events, approvals asked of the front door's dialog, closing, and what the
 * host refuses. (childProcessHost.test.ts runs the host in its own process
 * and crashes it.)
 */

const root = new URL('../../../../', import.meta.url).pathname;
const decayModule = join(root, 'test/fixtures/blackbox/decay-module.mjs');

interface InProcessHost {
  readonly launch: () => HostConnection;
  readonly services: HostedService[];
  readonly launches: () => number;
}

/** Hosts in this process; `createService` builds each host's engine from the options the host derived from its init message. */
function inProcessHosts(createService: (options: EngineServiceOptions) => HostedService): InProcessHost {
  const services: HostedService[] = [];
  let launches = 0;
  return {
    services,
    launches: () => launches,
    launch: () => {
      launches += 1;
      const { port1, port2 } = new MessageChannel();
      const exits: Array<(code: number | null) => void> = [];
      let ended = false;
      const end = (code: number | null) => {
        if (ended) return;
        ended = true;
        port1.close();
        port2.close();
        for (const listener of exits) listener(code);
      };
      const host = startEngineHost(nodeMessagePort(port2), {
        log: () => {},
        createService: (options) => {
          const service = createService(options);
          services.push(service);
          return service;
        },
      });
      void host.closed.then(() => setImmediate(() => end(0)));
      return { port: nodeMessagePort(port1), onExit: (listener) => void exits.push(listener), kill: () => end(null) };
    },
  };
}

describe('the engine bridge (a real EngineService behind a MessageChannel)', () => {
  let dir: string;
  let hosts: InProcessHost;
  let client: EngineHostClient;
  const events: EngineEvent[] = [];
  const asked: ApprovalRequest[] = [];
  let nextAnswer = false;

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'sciope-bridge-'));
    const configDir = join(dir, 'config');
    hosts = inProcessHosts((options) => new EngineService({ ...options, log: () => {} }));
    client = new EngineHostClient({
      launch: hosts.launch,
      init: { configDir, workers: 1, approval: 'dialog' },
      approvalChannel: {
        kind: 'dialog',
        confirm: async (request) => {
          asked.push(request);
          return nextAnswer;
        },
      },
      log: () => {},
    });
    client.onEvent((event) => events.push(event));
  });

  afterAll(async () => {
    await client.close();
    for (const service of hosts.services) await service.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('starts the host on the first call and answers calls, refusals included, as the engine does', async () => {
    expect(client.running).toBe(false);
    const info = await client.invoke('app.info', {});
    expect(client.running).toBe(true);
    expect(info).toMatchObject({ ok: true, value: { project: null } });
    expect(await client.invoke('no.such.method', {})).toMatchObject({ ok: false, error: { code: 'UNKNOWN_METHOD' } });
    const invalid = await client.invoke('simulate.preview', { modelId: 1, runs: 0 });
    expect(invalid).toMatchObject({ ok: false, error: { code: 'INVALID_ARGUMENT', details: { issues: [{ path: 'runs' }] } } });
    // invokeEncoded is the same outcome, as UTF-8 JSON the front door passes on undecoded.
    expect(JSON.parse(new TextDecoder().decode(await client.invokeEncoded('app.info', {})))).toEqual(await client.invoke('app.info', {}));
    expect(hosts.launches()).toBe(1);
  });

  it('forwards engine events to the front door', async () => {
    const path = join(dir, 'bridge.sciope');
    const created = await client.invoke('projects.create', { path });
    expect(created).toMatchObject({ ok: true, value: { path } });
    expect(events).toContainEqual({ type: 'project.changed', project: expect.objectContaining({ path }) });
  });

  it("asks the front door's dialog to approve a simulator; only its answer approves", async () => {
    const added = (await client.invoke('models.addSimulator', {
      name: 'decay',
      simulator: {
        kind: 'module',
        path: decayModule,
        parameters: [
          { id: 'a0', value: 100 },
          { id: 'k', value: 0.1 },
        ],
        species: ['A', 'B'],
      },
    })) as CallOutcome<{ id: number }>;
    expect(added.ok).toBe(true);
    const modelId = added.ok ? added.value.id : -1;
    const listed = (await client.invoke('trust.list', {})) as CallOutcome<{ simulators: Array<{ fingerprint: string; text: string; approved: boolean }> }>;
    const item = listed.ok ? listed.value.simulators[0] : null;
    expect(item).toMatchObject({ approved: false });

    nextAnswer = false;
    expect(await client.invoke('trust.request', { fingerprint: item!.fingerprint })).toEqual({ ok: true, value: { approved: false, via: 'dialog' } });
    expect(asked).toHaveLength(1);
    // The dialog shows the engine's description, for this project.
    expect(asked[0]).toMatchObject({ scope: join(dir, 'bridge.sciope'), text: item!.text, description: { fingerprint: item!.fingerprint, kind: 'module' } });
    expect(await client.invoke('simulate.preview', { modelId, runs: 1, points: 3, tEnd: 2, seed: 1 })).toMatchObject({
      ok: false,
      error: { code: 'SIMULATOR_NOT_APPROVED' },
    });

    nextAnswer = true;
    expect(await client.invoke('trust.request', { fingerprint: item!.fingerprint })).toEqual({ ok: true, value: { approved: true, via: 'dialog' } });
    const preview = await client.invoke('simulate.preview', { modelId, runs: 1, points: 11, tEnd: 10, seed: 1 });
    expect(preview).toMatchObject({ ok: true, value: { runs: 1 } });
  });

  it('carries a cancel while the call it cancels is in progress', async () => {
    const added = (await client.invoke('models.addExample', { example: 'vilar' })) as CallOutcome<{ id: number }>;
    const modelId = added.ok ? added.value.id : -1;
    // 1,000 Vilar trajectories to t = 2,000: minutes of work, cancelled once started.
    const preview = client.invoke('simulate.preview', { modelId, runs: 1000, tEnd: 2000, points: 11, seed: 5, previewId: 'long' });
    let cancelled = false;
    for (let i = 0; i < 200 && !cancelled; i++) {
      await new Promise((r) => setTimeout(r, 25));
      const outcome = (await client.invoke('simulate.cancel', { previewId: 'long' })) as CallOutcome<{ cancelled: boolean }>;
      cancelled = outcome.ok && outcome.value.cancelled;
    }
    expect(cancelled).toBe(true);
    expect(await preview).toMatchObject({ ok: false, error: { code: 'CANCELLED' } });
  });

  it('closes the engine and ends the host; later calls are refused', async () => {
    const service = hosts.services[0] as EngineService;
    await client.close();
    expect(client.running).toBe(false);
    // The engine closed its project.
    expect(await service.invoke('projects.contents', {})).toMatchObject({ ok: false, error: { code: 'NO_PROJECT' } });
    expect(await client.invoke('app.info', {})).toMatchObject({ ok: false, error: { code: 'ENGINE_CLOSED' } });
    expect(hosts.launches()).toBe(1);
  });
});

describe("the engine bridge with a terminal's code channel (sciope serve)", () => {
  it('prints the code in the front door, and the code given back through a call approves', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sciope-bridge-code-'));
    const hosts = inProcessHosts((options) => new EngineService({ ...options, log: () => {} }));
    const announced: Array<{ code: string; text: string }> = [];
    const client = new EngineHostClient({
      launch: hosts.launch,
      init: { configDir: join(dir, 'config'), workers: 1, approval: 'code' },
      approvalChannel: { kind: 'code', announce: (request, code) => void announced.push({ code, text: request.text }) },
      log: () => {},
    });
    try {
      await client.call('projects.create', { path: join(dir, 'code.sciope') });
      await client.call('models.addSimulator', {
        name: 'decay',
        simulator: {
          kind: 'module',
          path: decayModule,
          parameters: [
            { id: 'a0', value: 100 },
            { id: 'k', value: 0.1 },
          ],
          species: ['A', 'B'],
        },
      });
      const [item] = (await client.call('trust.list')).simulators;
      expect(await client.call('trust.request', { fingerprint: item.fingerprint! })).toEqual({ approved: false, via: 'code' });
      expect(announced).toEqual([{ code: expect.stringMatching(/^\d{4}-\d{4}$/), text: item.text }]);
      const list = await client.call('trust.approve', { fingerprint: item.fingerprint!, code: announced[0].code });
      expect(list.simulators[0]).toMatchObject({ fingerprint: item.fingerprint, approved: true });
    } finally {
      await client.close();
      for (const service of hosts.services) await service.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

/** A stand-in engine: answers each call with its method name and arguments, or waits (method `wait`). */
function recordingService(calls: Array<{ method: string; args: unknown }>, emitters: Array<(event: EngineEvent) => void>): HostedService {
  return {
    invoke: (method, args) => {
      calls.push({ method, args });
      if (method === 'wait') return new Promise<CallOutcome>(() => {});
      if (method === 'runs.start') return Promise.resolve({ ok: true, value: { runId: 7 } });
      if (method === 'learn.train') return Promise.resolve({ ok: true, value: { taskId: 3 } });
      return Promise.resolve({ ok: true, value: { method, args } });
    },
    onEvent: (listener) => {
      emitters.push(listener);
      return () => {};
    },
    close: () => Promise.resolve(),
  };
}

describe('the engine bridge when the host crashes', () => {
  it('answers waiting calls, reports runs and trainings stopped, and restarts with the project reopened', async () => {
    const calls: Array<{ method: string; args: unknown }> = [];
    const emitters: Array<(event: EngineEvent) => void> = [];
    const hosts = inProcessHosts(() => recordingService(calls, emitters));
    let connection: HostConnection | null = null;
    const crashes: unknown[] = [];
    const client = new EngineHostClient({
      launch: () => (connection = hosts.launch()),
      init: { configDir: '/nonexistent', approval: 'none' },
      onCrash: (crash) => crashes.push(crash),
      log: () => {},
    });
    const events: EngineEvent[] = [];
    client.onEvent((event) => events.push(event));

    await client.invoke('projects.open', { path: '/p/a.sciope' });
    emitters[0]({ type: 'project.changed', project: { path: '/p/a.sciope', name: 'a', bytes: 1, schemaVersion: 1 } });
    expect(await client.invoke('runs.start', { studyId: 1 })).toEqual({ ok: true, value: { runId: 7 } });
    expect(await client.invoke('learn.train', { studyId: 1 })).toEqual({ ok: true, value: { taskId: 3 } });
    const waiting = client.invoke('wait', {});
    await new Promise((r) => setTimeout(r, 20));

    connection!.kill();
    expect(await waiting).toMatchObject({ ok: false, error: { code: 'ENGINE_STOPPED', message: expect.stringContaining('restarts with your next action') } });
    expect(crashes).toEqual([{ code: null, project: '/p/a.sciope', interruptedRuns: [7], failedTrainings: [3] }]);
    expect(events).toContainEqual(
      expect.objectContaining({ type: 'run.finished', runId: 7, status: 'interrupted', error: expect.objectContaining({ code: 'ENGINE_STOPPED' }) }),
    );
    expect(events).toContainEqual(expect.objectContaining({ type: 'learn.finished', taskId: 3, status: 'failed' }));
    expect(client.running).toBe(false);

    // The next call starts a new host, which first reopens the project.
    calls.length = 0;
    expect(await client.invoke('runs.list', {})).toMatchObject({ ok: true, value: { method: 'runs.list' } });
    expect(hosts.launches()).toBe(2);
    expect(calls).toEqual([
      { method: 'projects.open', args: { path: '/p/a.sciope' } },
      { method: 'runs.list', args: {} },
    ]);
    await client.close();
  });
});

describe('the engine host refuses what is not a well-formed message of the front door', () => {
  it('drops messages before init, a second init, forged answers and malformed calls', async () => {
    const calls: Array<{ method: string; args: unknown }> = [];
    const logged: string[] = [];
    const { port1, port2 } = new MessageChannel();
    const host = startEngineHost(nodeMessagePort(port2), { log: (m) => void logged.push(m), createService: () => recordingService(calls, []) });
    const replies: unknown[] = [];
    port1.on('message', (m) => replies.push(m));
    const settle = () => new Promise((r) => setTimeout(r, 30));

    port1.postMessage({ kind: 'call', id: 1, method: 'app.info', args: {} });
    await settle();
    expect(calls).toEqual([]);
    port1.postMessage({ kind: 'init', configDir: '/c', approval: 'dialog' });
    port1.postMessage({ kind: 'init', configDir: '/other', approval: 'none' });
    port1.postMessage({ kind: 'approval.answer', id: 1, approved: true });
    port1.postMessage({ kind: 'call', id: -1, method: 'app.info', args: {} });
    port1.postMessage({ kind: 'call', id: 2, method: 'app.info', args: {}, extra: true });
    port1.postMessage('app.info');
    port1.postMessage({ kind: 'call', id: 3, method: 'app.info', args: { a: 1 } });
    await settle();
    expect(calls).toEqual([{ method: 'app.info', args: { a: 1 } }]);
    expect(replies).toEqual([
      { kind: 'ready' },
      { kind: 'result', id: 3, outcome: new TextEncoder().encode(JSON.stringify({ ok: true, value: { method: 'app.info', args: { a: 1 } } })) },
    ]);
    expect(logged).toHaveLength(5);
    expect(logged[0]).toContain('before init');
    expect(logged[1]).toContain('a second init');

    port1.postMessage({ kind: 'close' });
    await host.closed;
    port1.postMessage({ kind: 'call', id: 4, method: 'app.info', args: {} });
    await settle();
    expect(replies[2]).toEqual({ kind: 'closed' });
    expect(new TextDecoder().decode((replies[3] as { outcome: Uint8Array }).outcome)).toContain('ENGINE_CLOSED');
    port1.close();
  });
});
