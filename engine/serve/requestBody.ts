import type { IncomingMessage } from 'node:http';
import { bodyTimeout, bodyTooLarge, serverBusy, ServeRefusal } from './refusals.js';

/**
 * The bytes of request bodies the server holds at once. A body reserves its
 * bytes before they are buffered (all of a declared Content-Length at once,
 * a chunked body chunk by chunk) and gives them back when its call has
 * answered; what does not fit is refused, never queued in memory.
 */
export class BodyBudget {
  private used = 0;

  constructor(readonly capacity: number) {}

  get inUse(): number {
    return this.used;
  }

  tryReserve(bytes: number): boolean {
    if (this.used + bytes > this.capacity) return false;
    this.used += bytes;
    return true;
  }

  release(bytes: number): void {
    this.used = Math.max(0, this.used - bytes);
  }
}

export interface BodyLimits {
  readonly maxBytes: number;
  readonly budget: BodyBudget;
  readonly idleTimeoutMs: number;
  readonly retryAfterSeconds: number;
}

/** A body read whole; `release` gives its bytes back to the budget (call it once the call has answered). */
export interface ReceivedBody {
  readonly bytes: Buffer;
  release(): void;
}

/** The client went away before its body was complete: there is no one to answer. */
export class BodyAbortedError extends Error {
  constructor() {
    super('the client closed the connection before the request body was complete');
    this.name = 'BodyAbortedError';
  }
}

/**
 * Read a request body into one Buffer within the limits: a declared
 * Content-Length over the cap is refused before a byte is read (413), a
 * chunked body the moment it passes the cap (413), a body that does not fit
 * the budget with 503 + Retry-After, a body that stalls with 408. On a
 * refusal reading stops; the caller answers and the connection closes.
 * `onAdmitted` runs once the declared size is accepted, before reading
 * (to answer `Expect: 100-continue`).
 */
export function readBody(request: IncomingMessage, limits: BodyLimits, onAdmitted?: () => void): Promise<ReceivedBody> {
  const declaredHeader = request.headers['content-length'];
  const declared = declaredHeader === undefined || request.headers['transfer-encoding'] !== undefined ? null : Number(declaredHeader);
  if (declared !== null && declared > limits.maxBytes) return Promise.reject(bodyTooLarge(limits.maxBytes));
  let reserved = 0;
  const reserve = (bytes: number): boolean => {
    if (!limits.budget.tryReserve(bytes)) return false;
    reserved += bytes;
    return true;
  };
  const release = () => {
    limits.budget.release(reserved);
    reserved = 0;
  };
  if (declared !== null && !reserve(declared)) return Promise.reject(serverBusy(limits.retryAfterSeconds));

  return new Promise<ReceivedBody>((resolveBody, reject) => {
    // A declared length fills one buffer in place; a chunked body keeps its chunks and is joined once at the end.
    // Untouched pages of a large allocation cost no resident memory until the bytes arrive.
    let whole = declared !== null ? Buffer.allocUnsafe(declared) : null;
    const chunks: Buffer[] = [];
    let size = 0;
    let settled = false;
    let idle: NodeJS.Timeout | undefined;

    const finish = (outcome: ServeRefusal | BodyAbortedError | null) => {
      if (settled) return;
      settled = true;
      clearTimeout(idle);
      request.off('data', onData);
      request.off('end', onEnd);
      request.off('close', onClose);
      if (outcome === null) {
        const bytes = whole ? whole.subarray(0, size) : chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, size);
        // The request keeps its 'error' listener (this closure) while the call runs: it must not keep the bytes too.
        whole = null;
        chunks.length = 0;
        resolveBody({ bytes, release });
        return;
      }
      // Stop pulling the rest of the body off the wire; the answer closes the connection.
      request.pause();
      whole = null;
      chunks.length = 0;
      release();
      reject(outcome);
    };
    const armIdle = () => {
      clearTimeout(idle);
      idle = setTimeout(() => finish(bodyTimeout(limits.idleTimeoutMs / 1000)), limits.idleTimeoutMs);
    };
    const onData = (chunk: Buffer) => {
      if (settled) return;
      if (size + chunk.length > (whole ? whole.length : limits.maxBytes)) {
        finish(bodyTooLarge(limits.maxBytes));
        return;
      }
      if (whole) {
        chunk.copy(whole, size);
      } else {
        if (!reserve(chunk.length)) {
          finish(serverBusy(limits.retryAfterSeconds));
          return;
        }
        chunks.push(chunk);
      }
      size += chunk.length;
      armIdle();
    };
    const onEnd = () => finish(null);
    // After 'end' there is nothing left to lose; before it, the client is gone.
    const onClose = () => {
      if (!request.complete) finish(new BodyAbortedError());
    };

    request.on('data', onData);
    request.on('end', onEnd);
    request.on('close', onClose);
    // Kept after settling too: a reset connection must not become an uncaught error.
    request.on('error', onClose);
    armIdle();
    onAdmitted?.();
  });
}
