import { describe, expect, it, vi } from 'vitest';
import type { BrowserWindow, IpcMainInvokeEvent } from 'electron';
import type { EngineEvent } from '../../../engine/api/contract.js';

/**
 * main/ipc.ts's `sciope:call`: the door between the renderer and the engine
 * host. Electron's ipcMain is played by a map of handlers.
 */

const handlers = vi.hoisted(() => new Map<string, (event: unknown, ...args: unknown[]) => unknown>());
vi.mock('electron', () => ({
  ipcMain: {
    handle: (channel: string, handler: (event: unknown, ...args: unknown[]) => unknown) => handlers.set(channel, handler),
    removeHandler: (channel: string) => handlers.delete(channel),
  },
  BrowserWindow: { fromWebContents: () => null },
  dialog: {},
}));

const { CHANNELS, registerIpc } = await import('../../../main/ipc.js');

const APP_URL = 'sciope-app://app/index.html';

function fakeWindow(sent: unknown[][]): BrowserWindow {
  return { isDestroyed: () => false, webContents: { id: 1, send: (...args: unknown[]) => sent.push(args) } } as unknown as BrowserWindow;
}

function invokeEvent(senderId: number, url: string, parent: unknown = null): IpcMainInvokeEvent {
  return { sender: { id: senderId }, senderFrame: { url, parent } } as unknown as IpcMainInvokeEvent;
}

describe('sciope:call', () => {
  it("hands the engine host's UTF-8 JSON on undecoded, refuses unknown methods in main and untrusted senders before reading", async () => {
    const sent: unknown[][] = [];
    const win = fakeWindow(sent);
    const calls: Array<[string, unknown]> = [];
    let emit!: (event: EngineEvent) => void;
    const bytes = new TextEncoder().encode('{"ok":true,"value":{"big":[1,2,3]}}');
    const undo = registerIpc(
      {
        invokeEncoded: (method, args) => {
          calls.push([method, args]);
          return Promise.resolve(bytes);
        },
        onEvent: (listener) => {
          emit = listener;
          return () => {};
        },
      },
      { window: () => win, isAppUrl: (url) => url === APP_URL },
    );
    const call = handlers.get(CHANNELS.call)!;

    expect(await call(invokeEvent(1, APP_URL), 'runs.list', {})).toBe(bytes);
    expect(calls).toEqual([['runs.list', {}]]);

    const unknown = await call(invokeEvent(1, APP_URL), 'no.such.method', {});
    expect(unknown).toBeInstanceOf(Uint8Array);
    expect(JSON.parse(new TextDecoder().decode(unknown as Uint8Array))).toMatchObject({
      ok: false,
      error: { code: 'UNKNOWN_METHOD', message: 'unknown method "no.such.method"' },
    });

    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    try {
      expect(() => call(invokeEvent(2, APP_URL), 'runs.list', {})).toThrow(/refused: not the Sciope window/);
      expect(() => call(invokeEvent(1, 'https://example.org/'), 'runs.list', {})).toThrow(/refused/);
      expect(() => call(invokeEvent(1, APP_URL, {}), 'runs.list', {})).toThrow(/refused/);
    } finally {
      warn.mockRestore();
    }
    expect(calls).toHaveLength(1);

    emit({ type: 'project.changed', project: null });
    expect(sent).toEqual([[CHANNELS.event, { type: 'project.changed', project: null }]]);
    undo();
    expect(handlers.size).toBe(0);
  });
});
