import { fork } from 'node:child_process';
import { ipcChannelPort } from './BridgePort.js';
import type { HostConnection } from './EngineHostClient.js';

export interface ChildProcessHostOptions {
  /** The entry module (childProcessEntry.ts, or its bundle). */
  readonly entry: string;
  /** Node flags for the child (e.g. `['--import', 'tsx']` to run the .ts entry); default none. */
  readonly execArgv?: readonly string[];
  readonly env?: NodeJS.ProcessEnv;
}

/**
 * Starts the engine host in a Node child process: the stand-in for
 * Electron's utilityProcess where there is no Electron (tests, a headless
 * front door). Messages are structured clones (`serialization: 'advanced'`),
 * as on a MessagePort; stdout and stderr are the parent's.
 */
export function launchChildProcessHost(options: ChildProcessHostOptions): HostConnection {
  const child = fork(options.entry, [], {
    execArgv: [...(options.execArgv ?? [])],
    env: options.env ?? process.env,
    serialization: 'advanced',
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  return {
    port: ipcChannelPort(child),
    onExit: (listener) => {
      // 'exit' may come before the IPC channel closes, and an error (fork failed) instead of either.
      let told = false;
      const tell = (code: number | null) => {
        if (told) return;
        told = true;
        listener(code);
      };
      child.once('exit', (code) => tell(code));
      child.once('error', () => tell(child.exitCode));
    },
    kill: () => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
    },
  };
}
