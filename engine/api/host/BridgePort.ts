import type { MessagePort as NodeMessagePort } from 'node:worker_threads';

/**
 * One end of the channel between a front door and the engine host: what
 * the bridge needs of a MessagePort. Electron's MessagePortMain (main/),
 * Node's worker_threads MessagePort and a child process's IPC channel (below)
 * each get a small adapter, so the bridge itself is plain Node code that
 * tests drive without Electron.
 */
export interface BridgePort {
  post(message: unknown): void;
  /** `listener` receives each message's data (not an event object). */
  listen(listener: (message: unknown) => void): void;
  close(): void;
}

/** A worker_threads MessagePort (one end of a `new MessageChannel()`). */
export function nodeMessagePort(port: NodeMessagePort): BridgePort {
  return {
    post: (message) => port.postMessage(message),
    listen: (listener) => {
      port.on('message', listener);
    },
    close: () => port.close(),
  };
}

/** What a child process's IPC channel offers, on either side (a ChildProcess, or `process` in the child). */
export interface IpcEndpoint {
  send?(message: unknown): boolean;
  on(event: 'message', listener: (message: unknown) => void): unknown;
  disconnect?(): void;
  readonly connected?: boolean;
}

/** A child process's IPC channel (fork with `serialization: 'advanced'`, so messages are structured clones as on a MessagePort). */
export function ipcChannelPort(endpoint: IpcEndpoint): BridgePort {
  return {
    post: (message) => {
      if (endpoint.connected !== false) endpoint.send?.(message);
    },
    listen: (listener) => {
      endpoint.on('message', listener);
    },
    close: () => {
      if (endpoint.connected) endpoint.disconnect?.();
    },
  };
}
