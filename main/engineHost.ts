import type { MessagePortMain } from 'electron';
import { startEngineHost } from '../engine/api/host/engineHost.js';
import { CONNECT, electronPort } from './electronPort.js';

/**
 * Where the engine lives in the desktop app, and why.
 *
 * This module is the entry of an Electron utility process (bundled as
 * out/main/engineHost.js by electron.vite.config.ts), started by main on the
 * first EngineApi call (main/utilityProcessHost.ts). It runs the
 * EngineService (engine/api/host/engineHost.ts): the open project's SQLite
 * file, the worker pool, run bookkeeping, and everything CPU-heavy the
 * engine does on its own thread. Main keeps only windows, menus, dialogs,
 * the app scheme and IPC forwarding, so a long computation never freezes
 * the window, and a crash of the engine takes down neither the window nor
 * the project: main reports it and starts a new host on the next call,
 * which reopens the project (engine/api/host/EngineHostClient.ts).
 *
 * Trust stays in main: when the engine needs an approval it asks over the
 * bridge and main answers from its native dialog (main/approvalDialog.ts).
 * The utility process has no window and no IPC with the renderer; the
 * renderer reaches it only through main's validated `sciope:call`.
 */

interface ParentPort {
  once(event: 'message', listener: (event: { data: unknown; ports: MessagePortMain[] }) => void): unknown;
}

// Electron gives a utility process `process.parentPort` (typed by Electron's own declarations when installed).
const parentPort = (process as unknown as { parentPort?: ParentPort }).parentPort;
if (!parentPort) throw new Error('main/engineHost.ts runs in an Electron utility process (utilityProcess.fork)');

parentPort.once('message', ({ data, ports }) => {
  const port = ports[0];
  if ((data as { kind?: unknown } | null)?.kind !== CONNECT || !port) {
    console.error('sciope engine host: the first message from main did not carry the bridge port');
    process.exit(1);
  }
  const host = startEngineHost(electronPort(port));
  void host.closed.then(() => {
    port.close();
    // Worker threads or timers may linger; what matters is saved by now.
    setTimeout(() => process.exit(0), 200).unref();
  });
});
