import { contextBridge, ipcRenderer } from 'electron';
import type { IpcRendererEvent } from 'electron';
import type { CallOutcome, EngineEvent, PreloadBridge } from '../engine/api/contract.js';

// Injected at build time from package.json (see electron.vite.config.ts).
declare const __SCIOPE_VERSION__: string;

// The channels main/ipc.ts serves (CHANNELS there); a sandboxed preload can only require('electron').
const CALL = 'sciope:call';
const DIALOG = 'sciope:dialog';
const EVENT = 'sciope:event';
const MENU = 'sciope:menu';

/**
 * Subscribe to one main-to-renderer channel. The listener never sees the
 * IpcRendererEvent (it holds `sender`, i.e. ipcRenderer itself), only the
 * payload; the returned function unsubscribes.
 */
function subscribe(channel: string, forward: (...args: unknown[]) => void): () => void {
  const handler = (_event: IpcRendererEvent, ...args: unknown[]) => forward(...args);
  ipcRenderer.on(channel, handler);
  return () => {
    ipcRenderer.removeListener(channel, handler);
  };
}

/** The one global the renderer sees (window.sciope); its type is PreloadBridge in engine/api/contract.ts. */
const sciope: PreloadBridge = Object.freeze({
  version: __SCIOPE_VERSION__,
  platform: process.platform as string,
  // Main answers with the outcome as the engine's UTF-8 JSON (main/ipc.ts): decoded here, in the renderer's process.
  call: async (method: string, args: unknown) =>
    JSON.parse(new TextDecoder().decode((await ipcRenderer.invoke(CALL, method, args)) as Uint8Array)) as CallOutcome,
  onEvent: (listener: (event: EngineEvent) => void) => subscribe(EVENT, (event) => listener(event as EngineEvent)),
  openFileDialog: (options: Parameters<NonNullable<PreloadBridge['openFileDialog']>>[0]) => ipcRenderer.invoke(DIALOG, options),
  onMenuCommand: (listener: (command: string, payload?: unknown) => void) =>
    subscribe(MENU, (command, payload) => {
      if (typeof command === 'string') listener(command, payload);
    }),
});

contextBridge.exposeInMainWorld('sciope', sciope);
