import type { MessagePortMain } from 'electron';
import type { BridgePort } from '../engine/api/host/BridgePort.js';

/** The first message main sends on the utility process's parentPort: it carries the bridge's port. */
export const CONNECT = 'sciope:engine-port';

/**
 * Electron's MessagePortMain as a BridgePort (engine/api/host): the same
 * adapter on both ends, main and the engine's utility process. Its messages
 * are structured clones; `start()` begins delivery (queued until then).
 */
export function electronPort(port: Pick<MessagePortMain, 'postMessage' | 'on' | 'start' | 'close'>): BridgePort {
  return {
    post: (message) => port.postMessage(message),
    listen: (listener) => {
      port.on('message', (event) => listener(event.data));
      port.start();
    },
    close: () => port.close(),
  };
}
