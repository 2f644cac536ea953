import { MessageChannelMain, utilityProcess } from 'electron';
import type { HostConnection } from '../engine/api/host/EngineHostClient.js';
import { CONNECT, electronPort } from './electronPort.js';

/**
 * Start the engine host (main/engineHost.ts, bundled as out/main/engineHost.js)
 * in an Electron utility process and hand it one end of a MessageChannelMain;
 * main keeps the other. Its environment is main's (the better-sqlite3 build
 * for Electron's ABI, the worker bundles' folder); stdout and stderr are
 * main's. Chromium ends it when the app ends.
 */
export function launchUtilityProcessHost(entry: string): HostConnection {
  const { port1, port2 } = new MessageChannelMain();
  const child = utilityProcess.fork(entry, [], { serviceName: 'Sciope engine', stdio: 'inherit' });
  child.postMessage({ kind: CONNECT }, [port2]);
  let exited = false;
  child.once('exit', () => {
    exited = true;
    port1.close();
  });
  return {
    port: electronPort(port1),
    onExit: (listener) => {
      child.once('exit', (code) => listener(code));
    },
    kill: () => {
      if (!exited) child.kill();
    },
  };
}
