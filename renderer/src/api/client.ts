import type { ApiArgs, ApiMethod, ApiResults, CallOutcome, EngineClient, EngineEvent, PreloadBridge, WireError } from '../../../engine/api/contract';

/**
 * The renderer's only way to the engine. In Electron the preload's
 * window.sciope forwards calls over IPC; in web mode (`sciope serve`) calls
 * are HTTP POSTs to /api/<method> and events arrive over a WebSocket at
 * /events, both authorised by the token the server printed in its URL.
 */

/** An engine error as the user should see it: a message, never a stack. */
export class EngineCallError extends Error {
  readonly code: string;
  readonly details: Record<string, unknown>;

  constructor(wire: WireError) {
    super(wire.message);
    this.name = wire.name;
    this.code = wire.code;
    this.details = wire.details;
  }
}

function unwrap<T>(outcome: CallOutcome): T {
  if (outcome.ok) return outcome.value as T;
  throw new EngineCallError(outcome.error);
}

class IpcClient implements EngineClient {
  constructor(private readonly bridge: PreloadBridge) {}

  async call<M extends ApiMethod>(method: M, args?: ApiArgs<M>): Promise<ApiResults[M]> {
    return unwrap<ApiResults[M]>(await this.bridge.call(method, args ?? {}));
  }

  onEvent(listener: (event: EngineEvent) => void): () => void {
    return this.bridge.onEvent(listener);
  }
}

const TOKEN_KEY = 'sciope.token';

/** The token from `?token=` (kept for reloads in sessionStorage, then removed from the address bar). */
function webToken(): string {
  const url = new URL(window.location.href);
  const fromUrl = url.searchParams.get('token');
  if (fromUrl) {
    sessionStorage.setItem(TOKEN_KEY, fromUrl);
    url.searchParams.delete('token');
    window.history.replaceState(null, '', url.toString());
    return fromUrl;
  }
  return sessionStorage.getItem(TOKEN_KEY) ?? '';
}

/**
 * The link to the engine as the app shows it: 'online'; 'lost' while the
 * engine does not answer (the event socket is retried); 'replaced' when an
 * engine answers but refuses this page's token, i.e. `sciope serve` was
 * started again and printed a new address. Electron's IPC is always online.
 */
export type ConnectionState = 'online' | 'lost' | 'replaced';

const connectionListeners = new Set<(state: ConnectionState) => void>();
let connectionState: ConnectionState = 'online';

function setConnection(state: ConnectionState): void {
  if (state === connectionState) return;
  connectionState = state;
  for (const listener of connectionListeners) listener(state);
}

/** Follow the connection state (called at once with the current one); returns the unsubscribe. */
export function onConnection(listener: (state: ConnectionState) => void): () => void {
  connectionListeners.add(listener);
  listener(connectionState);
  return () => connectionListeners.delete(listener);
}

class WebClient implements EngineClient {
  private readonly listeners = new Set<(event: EngineEvent) => void>();
  private socket: WebSocket | null = null;
  private retry = 0;

  constructor(private readonly token: string) {}

  async call<M extends ApiMethod>(method: M, args?: ApiArgs<M>): Promise<ApiResults[M]> {
    let response: Response;
    try {
      response = await fetch(`/api/${method}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${this.token}` },
        body: JSON.stringify(args ?? {}),
      });
    } catch {
      setConnection('lost');
      throw new EngineCallError({
        name: 'ConnectionError',
        code: 'ENGINE_UNREACHABLE',
        message: 'The engine is not reachable. Is `sciope serve` still running?',
        details: {},
      });
    }
    if (response.status === 401) {
      // Authorised before, refused now: a new engine with a new token answers on this port.
      if (connectionState !== 'online' || this.everOpen) setConnection('replaced');
      throw new EngineCallError({
        name: 'AuthError',
        code: 'UNAUTHORISED',
        message: 'This page is not authorised by the engine: open the URL with the token that `sciope serve` printed.',
        details: {},
      });
    }
    return unwrap<ApiResults[M]>((await response.json()) as CallOutcome);
  }

  /** True once the event socket has been open: a later 401 means the engine was replaced, not a wrong first URL. */
  private everOpen = false;

  /** After the socket closed: is the engine down (lost), back with another token (replaced), or back (the socket reopens)? */
  private async probe(): Promise<void> {
    try {
      const response = await fetch('/api/app.info', {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${this.token}` },
        body: '{}',
      });
      if (response.status === 401) setConnection('replaced');
    } catch {
      setConnection('lost');
    }
  }

  onEvent(listener: (event: EngineEvent) => void): () => void {
    this.listeners.add(listener);
    this.connect();
    return () => this.listeners.delete(listener);
  }

  private connect(): void {
    if (this.socket) return;
    const protocol = window.location.protocol === 'https:' ? 'wss:' : 'ws:';
    const socket = new WebSocket(`${protocol}//${window.location.host}/events?token=${encodeURIComponent(this.token)}`);
    this.socket = socket;
    socket.onopen = () => {
      this.retry = 0;
      this.everOpen = true;
      setConnection('online');
    };
    socket.onmessage = (message) => {
      const event = JSON.parse(String(message.data)) as EngineEvent;
      for (const listener of this.listeners) listener(event);
    };
    socket.onclose = () => {
      if (this.socket === socket) this.socket = null;
      if (this.everOpen && connectionState === 'online') setConnection('lost');
      void this.probe();
      // Reconnect with back-off: a dropped tunnel or a sleeping laptop should not need a reload.
      const delay = Math.min(5_000, 500 * 2 ** this.retry++);
      setTimeout(() => this.connect(), delay);
    };
  }
}

let client: EngineClient | null = null;

/** The engine client for this window (IPC in Electron, HTTP/WebSocket in a browser). */
export function engine(): EngineClient {
  client ??= window.sciope ? new IpcClient(window.sciope) : new WebClient(webToken());
  return client;
}

/** True inside the Electron app (native dialogs and menus are available). */
export function isDesktop(): boolean {
  return Boolean(window.sciope);
}
