/**
 * What one `sciope serve` accepts from its clients, so that no request,
 * with or without the token, can take the memory, the event loop or the
 * connections of the engine. Each default says why it is what it is; tests
 * pass smaller ones to reach the limits quickly.
 */
export interface ServeLimits {
  /**
   * Largest request body. An SBML document or a CSV travels inside a JSON
   * body, so the API's text limits (engine/api/contract.ts) must leave room
   * for the JSON escaping of quotes, backslashes and line breaks below this.
   */
  readonly maxBodyBytes: number;
  /**
   * Bytes of request bodies held at once, from the first byte read until the
   * call has answered. A body that would pass it is answered 503 with
   * Retry-After instead of being buffered.
   */
  readonly bodyBudgetBytes: number;
  /** A body that sends nothing for this long is answered 408 (a slow-loris body holds its budget). */
  readonly bodyIdleTimeoutMs: number;
  /** Deepest nesting of arrays and objects in a JSON body; the contract's deepest argument is far shallower. */
  readonly maxJsonDepth: number;
  /** Arrays plus objects in one JSON body: each costs tens of bytes of heap for three bytes of JSON, and parsing millions of them blocks the engine for seconds. */
  readonly maxJsonContainers: number;
  /** Node's time to receive the request headers (also how long an idle new connection is kept). */
  readonly headersTimeoutMs: number;
  /** Node's time to receive a whole request. */
  readonly requestTimeoutMs: number;
  /** How often Node checks the two timeouts above. */
  readonly timeoutCheckIntervalMs: number;
  /** Open TCP connections; more are refused at accept, so descriptors cannot run out. */
  readonly maxConnections: number;
  /** Event WebSockets open at once (the app keeps one per tab). */
  readonly maxEventClients: number;
  /** Event bytes queued for one WebSocket that does not read them; past it the socket is closed (the app reconnects). */
  readonly maxEventBacklogBytes: number;
  /** Seconds a refused client is asked to wait (Retry-After of a 503). */
  readonly retryAfterSeconds: number;
}

const MiB = 1024 * 1024;

export const DEFAULT_SERVE_LIMITS: ServeLimits = {
  // A 50 MB SBML or CSV document plus its JSON escaping fits; 64 MiB is what the server buffers for one call.
  maxBodyBytes: 64 * MiB,
  // Two bodies at the cap at once; a third waits (503). Parsing one costs about three times its size in memory.
  bodyBudgetBytes: 128 * MiB,
  bodyIdleTimeoutMs: 30_000,
  maxJsonDepth: 64,
  // Ten times the largest batch of parameter rows (explore.runBatch, 100 000 rows).
  maxJsonContainers: 1_000_000,
  headersTimeoutMs: 20_000,
  // A body at the cap over a slow SSH tunnel (about 0.25 MB/s) still arrives.
  requestTimeoutMs: 300_000,
  timeoutCheckIntervalMs: 5_000,
  maxConnections: 256,
  maxEventClients: 32,
  maxEventBacklogBytes: 16 * MiB,
  retryAfterSeconds: 2,
};
