import type { IncomingMessage, Server } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import type { EngineEvent } from '../api/contract.js';

export interface EventSocketOptions {
  /** Where the events come from. */
  readonly onEvent: (listener: (event: EngineEvent) => void) => () => void;
  /** Whether this upgrade request may open the event socket (path, host, origin, token). */
  readonly accepts: (request: IncomingMessage) => boolean;
  readonly maxClients: number;
  readonly maxBacklogBytes: number;
  readonly retryAfterSeconds: number;
}

/**
 * The WebSocket of engine events (/events) on `server`. Clients never send
 * (1 KiB frames at most); at most `maxClients` are open; a client that
 * stops reading is closed once `maxBacklogBytes` of events wait for it, so
 * it cannot make the server buffer every event of a long run.
 */
export function attachEventSocket(server: Server, options: EventSocketOptions): { close(): void } {
  const sockets = new WebSocketServer({ noServer: true, maxPayload: 1024, perMessageDeflate: false });
  const clients = new Set<WebSocket>();

  server.on('upgrade', (request: IncomingMessage, socket: Duplex, head: Buffer) => {
    // The HTTP server no longer watches an upgraded socket: a reset from the client must not become an uncaught error.
    socket.on('error', () => socket.destroy());
    if (!options.accepts(request)) {
      refuseUpgrade(socket, '401 Unauthorized');
      return;
    }
    if (clients.size >= options.maxClients) {
      refuseUpgrade(socket, '503 Service Unavailable', `Retry-After: ${options.retryAfterSeconds}\r\n`);
      return;
    }
    sockets.handleUpgrade(request, socket, head, (ws) => {
      clients.add(ws);
      ws.on('close', () => clients.delete(ws));
      ws.on('error', () => clients.delete(ws));
    });
  });

  const unsubscribe = options.onEvent((event) => {
    if (clients.size === 0) return;
    const text = JSON.stringify(event);
    for (const ws of clients) {
      if (ws.readyState !== ws.OPEN) continue;
      if (ws.bufferedAmount > options.maxBacklogBytes) {
        clients.delete(ws);
        ws.terminate();
        continue;
      }
      ws.send(text);
    }
  });

  return {
    close() {
      unsubscribe();
      for (const ws of clients) ws.terminate();
      clients.clear();
      sockets.close();
    },
  };
}

/** Answer an upgrade request and close the socket once the answer is out (the HTTP server allows half-open sockets). */
function refuseUpgrade(socket: Duplex, status: string, extraHeaders = ''): void {
  if (!socket.writable) {
    socket.destroy();
    return;
  }
  socket.once('finish', () => socket.destroy());
  socket.end(`HTTP/1.1 ${status}\r\nConnection: close\r\nContent-Length: 0\r\n${extraHeaders}\r\n`);
}
