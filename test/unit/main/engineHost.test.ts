import { EventEmitter } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MessageChannel, type MessagePort } from 'node:worker_threads';
import { afterAll, describe, expect, it, vi } from 'vitest';
import type { BrowserWindow, MessageBoxOptions, MessagePortMain } from 'electron';
import { EngineHostClient, nodeMessagePort, type HostConnection } from '../../../engine/api/host/index.js';
import { CONNECT, electronPort } from '../../../main/electronPort.js';
import { engineCrashDialogOptions, engineCrashReporter } from '../../../main/engineCrashDialog.js';

/**
 * Main's side of the engine host, without Electron: MessagePortMain and the
 * utility process's parentPort are played by Node ports that deliver
 * `{ data, ports }` events as Electron's do.
 */

/** A worker_threads port dressed as Electron's MessagePortMain (events carry `{ data, ports }`; delivery starts at start()). */
function asMessagePortMain(port: MessagePort): MessagePortMain {
  const emitter = new EventEmitter();
  let started = false;
  const queued: unknown[] = [];
  port.on('message', (data) => (started ? emitter.emit('message', { data, ports: [] }) : queued.push(data)));
  const fake = {
    postMessage: (message: unknown) => port.postMessage(message),
    start: () => {
      started = true;
      for (const data of queued.splice(0)) emitter.emit('message', { data, ports: [] });
    },
    close: () => port.close(),
    on: (event: string, listener: (...args: unknown[]) => void) => {
      emitter.on(event, listener);
      return fake;
    },
  };
  return fake as unknown as MessagePortMain;
}

describe('electronPort', () => {
  it('passes message data (not the event) and starts delivery when listened to', async () => {
    const { port1, port2 } = new MessageChannel();
    const bridge = electronPort(asMessagePortMain(port1));
    port2.postMessage({ kind: 'ready' });
    const received = new Promise((resolve) => bridge.listen(resolve));
    expect(await received).toEqual({ kind: 'ready' });
    const back = new Promise((resolve) => port2.once('message', resolve));
    bridge.post({ kind: 'close' });
    expect(await back).toEqual({ kind: 'close' });
    bridge.close();
  });
});

describe('main/engineHost.ts, the utility-process entry', () => {
  const dir = mkdtempSync(join(tmpdir(), 'sciope-utility-entry-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('takes the bridge port from its parentPort, serves the engine on it, and ends once closed', async () => {
    const exit = vi.spyOn(process, 'exit').mockImplementation((() => undefined) as never);
    const parentPort = new EventEmitter();
    (process as unknown as { parentPort?: EventEmitter }).parentPort = parentPort;
    try {
      await import('../../../main/engineHost.js');
      const { port1, port2 } = new MessageChannel();
      parentPort.emit('message', { data: { kind: CONNECT }, ports: [asMessagePortMain(port2)] });
      const exits: Array<(code: number | null) => void> = [];
      const connection: HostConnection = { port: nodeMessagePort(port1), onExit: (l) => void exits.push(l), kill: () => exits.forEach((l) => l(0)) };
      const client = new EngineHostClient({
        launch: () => connection,
        init: { configDir: join(dir, 'config'), workers: 1, approval: 'dialog' },
        log: () => {},
      });
      const path = join(dir, 'entry.sciope');
      expect(await client.invoke('projects.create', { path })).toMatchObject({ ok: true, value: { path } });
      expect(await client.invoke('projects.recent', {})).toEqual({ ok: true, value: [path] });
      await client.close();
      await vi.waitFor(() => expect(exit).toHaveBeenCalledWith(0), { timeout: 2_000 });
    } finally {
      delete (process as unknown as { parentPort?: EventEmitter }).parentPort;
      exit.mockRestore();
    }
  });
});

describe('the engine crash dialog', () => {
  const crash = { code: 139, project: '/home/ada/toggle.sciope', interruptedRuns: [4], failedTrainings: [2] };

  it('says what ended, that the project is kept and reopens, and what stopped', () => {
    const options = engineCrashDialogOptions(crash);
    expect(options).toMatchObject({ type: 'error', message: 'The engine stopped unexpectedly', buttons: ['OK'] });
    expect(options.detail).toContain('exit code 139');
    expect(options.detail).toContain('/home/ada/toggle.sciope is saved up to its last completed step; it reopens with your next action');
    expect(options.detail).toContain('run 4 (interrupted: resume it from the Runs view), training 2');
    expect(engineCrashDialogOptions({ code: null, project: null, interruptedRuns: [], failedTrainings: [] }).detail).toBe(
      'The engine process ended.\nIt restarts with your next action.',
    );
  });

  it('shows one box at a time, modal to the window, and none without a window', async () => {
    const error = vi.spyOn(console, 'error').mockImplementation(() => {});
    try {
      const win = { isDestroyed: () => false } as unknown as BrowserWindow;
      let window: BrowserWindow | null = win;
      const shown: MessageBoxOptions[] = [];
      let close!: () => void;
      const report = engineCrashReporter({
        window: () => window,
        showMessageBox: (_win, options) => {
          shown.push(options);
          return new Promise((resolve) => (close = () => resolve({ response: 0 })));
        },
      });
      report(crash);
      report(crash);
      expect(shown).toHaveLength(1);
      close();
      await new Promise((r) => setTimeout(r, 0));
      report(crash);
      expect(shown).toHaveLength(2);
      close();
      await new Promise((r) => setTimeout(r, 0));
      window = null;
      report(crash);
      expect(shown).toHaveLength(2);
      expect(error).toHaveBeenCalledTimes(4);
    } finally {
      error.mockRestore();
    }
  });
});
