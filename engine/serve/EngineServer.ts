import { randomBytes, timingSafeEqual } from 'node:crypto';
import { createReadStream, existsSync, statSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join, normalize, resolve, sep } from 'node:path';
import { WebSocketServer, type WebSocket } from 'ws';
import type { EngineService } from '../api/EngineService.js';
import type { CallOutcome } from '../api/contract.js';

export interface EngineServerOptions {
  readonly service: EngineService;
  /** 0 picks a free port. */
  readonly port?: number;
  /** The built renderer (out/renderer); without it only the API is served. */
  readonly staticDir?: string | null;
  /** Fixed token (tests); a random 256-bit one by default. */
  readonly token?: string;
}

export interface RunningServer {
  readonly url: string;
  readonly port: number;
  readonly token: string;
  close(): Promise<void>;
}

/** Bodies larger than this are refused (an observed CSV or SBML document fits well within it). */
const MAX_BODY_BYTES = 256 * 1024 * 1024;

const MIME: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.json': 'application/json',
  '.wasm': 'application/wasm',
  '.woff2': 'font/woff2',
};

/**
 * Web mode: the built renderer and the EngineApi over HTTP (POST
 * /api/<method>) and a WebSocket of engine events (/events), on 127.0.0.1
 * only. Every API call and the event socket need the random token printed
 * with the URL, so other local users and other web pages cannot drive the
 * engine: a page elsewhere cannot add the Authorization header without a
 * CORS preflight, which this server never grants, and the Host check stops
 * DNS-rebinding pages from posing as 127.0.0.1.
 */
export async function startEngineServer(options: EngineServerOptions): Promise<RunningServer> {
  const token = options.token ?? randomBytes(32).toString('base64url');
  const tokenBytes = Buffer.from(token);
  const staticDir = options.staticDir && existsSync(join(options.staticDir, 'index.html')) ? resolve(options.staticDir) : null;
  let port = 0;

  const authorised = (presented: string | null | undefined): boolean => {
    if (!presented) return false;
    const bytes = Buffer.from(presented);
    return bytes.length === tokenBytes.length && timingSafeEqual(bytes, tokenBytes);
  };
  const hostAllowed = (host: string | undefined): boolean => host === `127.0.0.1:${port}` || host === `localhost:${port}`;

  const server: Server = createServer((request, response) => {
    void handle(request, response).catch((error: unknown) => {
      if (!response.headersSent) send(response, 500, { ok: false, error: { name: 'InternalError', code: 'INTERNAL', message: `internal error: ${(error as Error).message}`, details: {} } });
      else response.destroy();
    });
  });

  async function handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    if (!hostAllowed(request.headers.host)) {
      response.writeHead(421, { 'content-type': 'text/plain' }).end('wrong host: use the URL sciope serve printed\n');
      return;
    }
    const url = new URL(request.url ?? '/', `http://${request.headers.host}`);
    if (url.pathname.startsWith('/api/')) {
      if (request.method !== 'POST') {
        response.writeHead(405, { allow: 'POST', 'content-type': 'text/plain' }).end('API calls are POST requests\n');
        return;
      }
      const bearer = /^Bearer (.+)$/.exec(request.headers.authorization ?? '')?.[1];
      if (!authorised(bearer)) {
        send(response, 401, { ok: false, error: { name: 'AuthError', code: 'UNAUTHORISED', message: 'missing or wrong token: open the URL sciope serve printed', details: {} } });
        return;
      }
      const method = decodeURIComponent(url.pathname.slice('/api/'.length));
      let args: unknown;
      try {
        const body = await readBody(request);
        args = body.length === 0 ? undefined : JSON.parse(body);
      } catch (error) {
        send(response, 400, { ok: false, error: { name: 'RequestError', code: 'BAD_REQUEST', message: `request body: ${(error as Error).message}`, details: {} } });
        return;
      }
      send(response, 200, await options.service.invoke(method, args));
      return;
    }
    if (request.method !== 'GET' && request.method !== 'HEAD') {
      response.writeHead(405, { 'content-type': 'text/plain' }).end('method not allowed\n');
      return;
    }
    serveStatic(url.pathname, response);
  }

  function serveStatic(pathname: string, response: ServerResponse): void {
    if (!staticDir) {
      response.writeHead(404, { 'content-type': 'text/plain' }).end('the app is not built: run `npm run build`, then restart `sciope serve` (the API works without it)\n');
      return;
    }
    const relative = normalize(decodeURIComponent(pathname === '/' ? '/index.html' : pathname)).replace(/^([/\\])+/, '');
    const file = resolve(staticDir, relative);
    if (!(file === staticDir || file.startsWith(staticDir + sep)) || !existsSync(file) || !statSync(file).isFile()) {
      response.writeHead(404, { 'content-type': 'text/plain' }).end('not found\n');
      return;
    }
    response.writeHead(200, {
      'content-type': MIME[extname(file).toLowerCase()] ?? 'application/octet-stream',
      'x-content-type-options': 'nosniff',
      'referrer-policy': 'no-referrer',
      'x-frame-options': 'DENY',
      'cache-control': extname(file) === '.html' ? 'no-store' : 'max-age=3600',
    });
    createReadStream(file).pipe(response);
  }

  const sockets = new WebSocketServer({ noServer: true, maxPayload: 1024 });
  const clients = new Set<WebSocket>();
  server.on('upgrade', (request, socket, head) => {
    const url = new URL(request.url ?? '/', `http://${request.headers.host}`);
    const origin = request.headers.origin;
    const originAllowed = origin === undefined || origin === `http://127.0.0.1:${port}` || origin === `http://localhost:${port}`;
    if (url.pathname !== '/events' || !hostAllowed(request.headers.host) || !originAllowed || !authorised(url.searchParams.get('token'))) {
      socket.end('HTTP/1.1 401 Unauthorized\r\n\r\n');
      return;
    }
    sockets.handleUpgrade(request, socket, head, (ws) => {
      clients.add(ws);
      ws.on('close', () => clients.delete(ws));
      ws.on('error', () => clients.delete(ws));
    });
  });
  const unsubscribe = options.service.onEvent((event) => {
    const text = JSON.stringify(event);
    for (const ws of clients) if (ws.readyState === ws.OPEN) ws.send(text);
  });

  await new Promise<void>((resolveListen, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolveListen());
  });
  port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}/?token=${token}`,
    port,
    token,
    async close() {
      unsubscribe();
      for (const ws of clients) ws.terminate();
      sockets.close();
      server.closeAllConnections();
      await new Promise<void>((r) => server.close(() => r()));
    },
  };
}

function send(response: ServerResponse, status: number, outcome: CallOutcome): void {
  const body = JSON.stringify(outcome);
  response.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store', 'x-content-type-options': 'nosniff' });
  response.end(body);
}

function readBody(request: IncomingMessage): Promise<string> {
  return new Promise((resolveBody, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    request.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) {
        reject(new Error(`larger than ${MAX_BODY_BYTES / 1024 / 1024} MB`));
        request.destroy();
        return;
      }
      chunks.push(chunk);
    });
    request.on('end', () => resolveBody(Buffer.concat(chunks).toString('utf8')));
    request.on('error', reject);
  });
}
