import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import type { CallOutcome } from '../api/contract.js';
import { EngineError } from '../errors/index.js';

/**
 * A request the server answers with an HTTP error. It reaches the client as
 * `{ ok: false, error: { name, code, message, details } }`, the shape of
 * every other engine error, so the app shows it like any failed call; the
 * message says what to do and never carries a stack.
 */
export class ServeRefusal extends EngineError {
  constructor(
    readonly status: number,
    name: string,
    code: string,
    message: string,
    details: Record<string, unknown> = {},
    readonly headers: Readonly<Record<string, string>> = {},
  ) {
    super(code, message, details);
    this.name = name;
  }
}

export const badRequest = (message: string, details: Record<string, unknown> = {}) => new ServeRefusal(400, 'RequestError', 'BAD_REQUEST', message, details);
export const unauthorised = () => new ServeRefusal(401, 'AuthError', 'UNAUTHORISED', 'missing or wrong token: open the URL sciope serve printed');
export const notFound = (message = 'not found') => new ServeRefusal(404, 'NotFoundError', 'NOT_FOUND', message);
export const methodNotAllowed = (message: string, allow: string) => new ServeRefusal(405, 'MethodError', 'METHOD_NOT_ALLOWED', message, { allow }, { allow });
export const bodyTimeout = (seconds: number) =>
  new ServeRefusal(408, 'RequestTimeoutError', 'BODY_TIMEOUT', `request body: nothing received for ${seconds} s`, { seconds });
export const bodyTooLarge = (limitBytes: number) =>
  new ServeRefusal(
    413,
    'RequestTooLargeError',
    'BODY_TOO_LARGE',
    `request body larger than ${formatBytes(limitBytes)}, the most sciope serve accepts in one call`,
    { limitBytes },
  );
export const wrongHost = () => new ServeRefusal(421, 'HostError', 'WRONG_HOST', 'wrong host: use the URL sciope serve printed');
export const serverBusy = (retryAfterSeconds: number) =>
  new ServeRefusal(
    503,
    'ServerBusyError',
    'SERVER_BUSY',
    `the engine is receiving other large requests; try again in ${retryAfterSeconds} s`,
    { retryAfterSeconds },
    { 'retry-after': String(retryAfterSeconds) },
  );

function formatBytes(bytes: number): string {
  const MiB = 1024 * 1024;
  return bytes % MiB === 0 ? `${bytes / MiB} MiB` : `${bytes} bytes`;
}

const JSON_HEADERS = { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store', 'x-content-type-options': 'nosniff' };

export function sendOutcome(response: ServerResponse, status: number, outcome: CallOutcome, headers: Readonly<Record<string, string>> = {}): void {
  sendOutcomeBytes(response, status, Buffer.from(JSON.stringify(outcome)), headers);
}

/** An outcome as UTF-8 JSON (as the engine host encodes it: EngineEndpoint.invokeEncoded), sent as it is. */
export function sendOutcomeBytes(response: ServerResponse, status: number, body: Uint8Array, headers: Readonly<Record<string, string>> = {}): void {
  if (response.headersSent || response.destroyed) return;
  response.writeHead(status, { ...JSON_HEADERS, 'content-length': String(body.byteLength), ...headers });
  response.end(body);
}

/** True when the request announces a body (the server may not have read it). */
export function announcesBody(request: IncomingMessage): boolean {
  return request.headers['transfer-encoding'] !== undefined || (request.headers['content-length'] !== undefined && request.headers['content-length'] !== '0');
}

/** How long a connection refused in the middle of its body still takes (and drops) bytes after the answer. */
const LINGER_MS = 2000;

/**
 * Answer with the refusal. When the request's body was not (or not wholly)
 * read, the answer says `Connection: close` and the connection closes after
 * a short linger: what the client is still sending is dropped, never
 * buffered, and the client reads the answer instead of a reset.
 */
export function sendRefusal(
  request: IncomingMessage,
  response: ServerResponse,
  refusal: ServeRefusal,
  bodyUnread = announcesBody(request) && !request.complete,
): void {
  const { name, code, message, details } = refusal.toJSON();
  if (bodyUnread) {
    lingerBeforeClosing(request.socket);
    request.resume();
  }
  sendOutcome(
    response,
    refusal.status,
    { ok: false, error: { name, code, message, details } },
    bodyUnread ? { ...refusal.headers, connection: 'close' } : refusal.headers,
  );
}

/**
 * Node closes a `Connection: close` socket with destroySoon() once the
 * answer is written. Closing while the client's body still arrives makes the
 * kernel send a reset, and a client busy writing then loses the answer
 * (the app would say "engine unreachable" instead of "body too large").
 * Here the socket ends its side, keeps reading (the bytes go nowhere) and
 * is destroyed when the client ends its side or after LINGER_MS.
 */
function lingerBeforeClosing(socket: Socket | null): void {
  if (!socket) return;
  socket.destroySoon = function lingeringClose(this: Socket) {
    if (this.writable) this.end();
    if (this.readableEnded) {
      this.destroy();
      return;
    }
    const timer = setTimeout(() => this.destroy(), LINGER_MS);
    this.once('end', () => this.destroy());
    this.once('close', () => clearTimeout(timer));
    this.resume();
  };
}
