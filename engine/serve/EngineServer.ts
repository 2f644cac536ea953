import { randomBytes, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { EngineService } from '../api/EngineService.js';
import { attachEventSocket } from './eventSocket.js';
import { parseJsonBody } from './jsonBody.js';
import { DEFAULT_SERVE_LIMITS, type ServeLimits } from './limits.js';
import {
  announcesBody,
  badRequest,
  methodNotAllowed,
  notFound,
  sendOutcome,
  sendOutcomeBytes,
  sendRefusal,
  ServeRefusal,
  unauthorised,
  wrongHost,
} from './refusals.js';
import { BodyAbortedError, BodyBudget, readBody } from './requestBody.js';
import { staticFiles } from './staticFiles.js';

/**
 * What the server needs of the engine: an EngineService, an
 * EngineHostClient (engine/api/host: the engine in its own process), or a
 * stand-in in tests. With `invokeEncoded` (the host client) the outcome
 * comes as the host's UTF-8 JSON and is sent as it is: neither decoded nor
 * encoded on the server's event loop, however large.
 */
export type EngineEndpoint = Pick<EngineService, 'invoke' | 'onEvent'> & { invokeEncoded?(method: string, args: unknown): Promise<Uint8Array> };

export interface EngineServerOptions {
  readonly service: EngineEndpoint;
  /** 0 picks a free port. */
  readonly port?: number;
  /** The built renderer (out/renderer); without it only the API is served. */
  readonly staticDir?: string | null;
  /** Fixed token (tests); a random 256-bit one by default. */
  readonly token?: string;
  /** What clients may send (DEFAULT_SERVE_LIMITS where not given). */
  readonly limits?: Partial<ServeLimits>;
  /** Where faults of the server itself are written (stack included; a client never sees one); stderr by default. */
  readonly log?: (message: string) => void;
}

export interface RunningServer {
  readonly url: string;
  readonly port: number;
  readonly token: string;
  close(): Promise<void>;
}

/**
 * Web mode: the built renderer and the EngineApi over HTTP (POST
 * /api/<method>) and a WebSocket of engine events (/events), on 127.0.0.1
 * only. Every API call and the event socket need the random token printed
 * with the URL, so other local users and other web pages cannot drive the
 * engine: a page elsewhere cannot add the Authorization header without a
 * CORS preflight, which this server never grants, and the Host check stops
 * DNS-rebinding pages from posing as 127.0.0.1. What a client may send is
 * bounded by ServeLimits (body size, bodies in flight, JSON shape,
 * timeouts, connections); every refusal is a JSON error without a stack.
 */
export async function startEngineServer(options: EngineServerOptions): Promise<RunningServer> {
  const token = options.token ?? randomBytes(32).toString('base64url');
  const tokenBytes = Buffer.from(token);
  const limits: ServeLimits = { ...DEFAULT_SERVE_LIMITS, ...options.limits };
  const log = options.log ?? ((message: string) => process.stderr.write(`${message}\n`));
  const files = staticFiles(options.staticDir);
  const budget = new BodyBudget(limits.bodyBudgetBytes);
  let port = 0;

  const authorised = (presented: string | null | undefined): boolean => {
    if (!presented) return false;
    const bytes = Buffer.from(presented);
    return bytes.length === tokenBytes.length && timingSafeEqual(bytes, tokenBytes);
  };
  const hostAllowed = (host: string | undefined): boolean => host === `127.0.0.1:${port}` || host === `localhost:${port}`;
  const originAllowed = (origin: string | undefined): boolean =>
    origin === undefined || origin === `http://127.0.0.1:${port}` || origin === `http://localhost:${port}`;

  const server: Server = createServer(
    { headersTimeout: limits.headersTimeoutMs, requestTimeout: limits.requestTimeoutMs, connectionsCheckingInterval: limits.timeoutCheckIntervalMs },
    (request, response) => dispatch(request, response, false),
  );
  server.maxConnections = limits.maxConnections;
  // Node answers 100 Continue itself unless asked: only a body the server will read is invited.
  server.on('checkContinue', (request, response) => dispatch(request, response, true));

  function dispatch(request: IncomingMessage, response: ServerResponse, expectsContinue: boolean): void {
    handle(request, response, expectsContinue).catch((error: unknown) => {
      if (error instanceof BodyAbortedError) {
        response.destroy();
        return;
      }
      if (error instanceof ServeRefusal) {
        sendRefusal(request, response, error);
        return;
      }
      log(`sciope serve: ${request.method} ${requestTarget(request)?.pathname ?? '?'}: ${(error as Error)?.stack ?? String(error)}`);
      if (response.headersSent) response.destroy();
      else
        sendRefusal(
          request,
          response,
          new ServeRefusal(500, 'InternalError', 'INTERNAL', 'internal error in sciope serve (its terminal shows the details; please report this)'),
        );
    });
  }

  async function handle(request: IncomingMessage, response: ServerResponse, expectsContinue: boolean): Promise<void> {
    if (!hostAllowed(request.headers.host)) throw wrongHost();
    const url = requestTarget(request);
    if (!url) throw badRequest('malformed request target');
    if (url.pathname.startsWith('/api/')) {
      await callApi(url, request, response, expectsContinue);
      return;
    }
    if (request.method !== 'GET' && request.method !== 'HEAD') throw methodNotAllowed('method not allowed: the app is read with GET', 'GET, HEAD');
    // Node would read and drop a body here to keep the connection: refuse it (and close) instead of reading without end.
    if (announcesBody(request)) throw badRequest('the files of the app are read without a request body');
    if (!files) throw notFound('the app is not built: run `npm run build`, then restart `sciope serve` (the API works without it)');
    await files.serve(url.pathname, response, request.method === 'HEAD');
  }

  async function callApi(url: URL, request: IncomingMessage, response: ServerResponse, expectsContinue: boolean): Promise<void> {
    if (request.method !== 'POST') throw methodNotAllowed('API calls are POST requests', 'POST');
    const bearer = /^Bearer (.+)$/.exec(request.headers.authorization ?? '')?.[1];
    if (!authorised(bearer)) throw unauthorised();
    const method = decodeMethod(url.pathname.slice('/api/'.length));
    const { args, release } = await receiveArguments(request, expectsContinue ? () => response.writeContinue() : undefined);
    try {
      const { service } = options;
      if (service.invokeEncoded) sendOutcomeBytes(response, 200, await service.invokeEncoded(method, args));
      else sendOutcome(response, 200, await service.invoke(method, args));
    } finally {
      release();
    }
  }

  /** The call's argument; its body's bytes stay counted in the budget until `release` (the Buffer itself is dropped here). */
  async function receiveArguments(request: IncomingMessage, onAdmitted?: () => void): Promise<{ args: unknown; release: () => void }> {
    const body = await readBody(
      request,
      { maxBytes: limits.maxBodyBytes, budget, idleTimeoutMs: limits.bodyIdleTimeoutMs, retryAfterSeconds: limits.retryAfterSeconds },
      onAdmitted,
    );
    try {
      return { args: parseJsonBody(body.bytes, { maxDepth: limits.maxJsonDepth, maxContainers: limits.maxJsonContainers }), release: body.release };
    } catch (error) {
      body.release();
      throw error;
    }
  }

  const events = attachEventSocket(server, {
    onEvent: (listener) => options.service.onEvent(listener),
    accepts: (request) => {
      const url = requestTarget(request);
      return (
        url !== null &&
        url.pathname === '/events' &&
        hostAllowed(request.headers.host) &&
        originAllowed(request.headers.origin) &&
        authorised(url.searchParams.get('token'))
      );
    },
    maxClients: limits.maxEventClients,
    maxBacklogBytes: limits.maxEventBacklogBytes,
    retryAfterSeconds: limits.retryAfterSeconds,
  });

  try {
    await new Promise<void>((resolveListen, reject) => {
      server.once('error', reject);
      server.listen(options.port ?? 0, '127.0.0.1', () => {
        server.off('error', reject);
        resolveListen();
      });
    });
  } catch (error) {
    events.close();
    throw error;
  }
  // After listening, a failed accept (descriptors run out) is logged, never an uncaught error.
  server.on('error', (error) => log(`sciope serve: ${error.message}`));
  port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}/?token=${token}`,
    port,
    token,
    async close() {
      events.close();
      server.closeAllConnections();
      await new Promise<void>((r) => server.close(() => r()));
    },
  };
}

/**
 * The request's URL, parsed against a fixed origin: the Host header is the
 * client's to choose and is checked on its own, never parsed (a Host of
 * "[" made URL parsing throw). Null for a target no URL can be made of.
 */
function requestTarget(request: IncomingMessage): URL | null {
  try {
    return new URL(request.url ?? '/', 'http://127.0.0.1');
  } catch {
    return null;
  }
}

function decodeMethod(encoded: string): string {
  try {
    return decodeURIComponent(encoded);
  } catch {
    throw badRequest('bad percent-encoding in the method name', { method: encoded.slice(0, 100) });
  }
}
