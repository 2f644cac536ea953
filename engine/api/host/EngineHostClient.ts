import type { ApprovalChannel, ApprovalRequest } from '../../trust/types.js';
import type { ApiMethod, ApiResults, CallOutcome, EngineEvent, WireError } from '../contract.js';
import type { BridgePort } from './BridgePort.js';
import { describeRefused, parseFromHost, type HostInit, type ToHost } from './protocol.js';
import { unwrapOutcome } from '../wire.js';

/** A running engine host as its launcher started it: Electron's utility process, a Node child process, a thread. */
export interface HostConnection {
  readonly port: BridgePort;
  /** `listener` runs once when the host has ended, however it ended (`code` null when unknown). */
  onExit(listener: (code: number | null) => void): void;
  /** End the host now. */
  kill(): void;
}

/** What the front door learns when its engine host ended without being asked to. */
export interface HostCrash {
  readonly code: number | null;
  /** The project that was open; the next call reopens it. */
  readonly project: string | null;
  /** Runs and trainings that were in progress: reported finished (interrupted, failed) to the listeners. */
  readonly interruptedRuns: readonly number[];
  readonly failedTrainings: readonly number[];
}

export interface EngineHostClientOptions {
  /** Starts a host; called for the first call and again for the first call after a crash. */
  readonly launch: () => HostConnection;
  /** The host's settings (the init message). */
  readonly init: Omit<HostInit, 'kind'>;
  /** Answers the host's approval questions (a native dialog) or shows its codes; of the kind `init.approval` names. */
  readonly approvalChannel?: ApprovalChannel;
  /** Told when the host crashed (after its calls were answered and its runs reported). */
  readonly onCrash?: (crash: HostCrash) => void;
  readonly log?: (message: string) => void;
  /** How long close() waits for the engine to cancel its runs and close its project before ending the host. Default 5 s. */
  readonly closeTimeoutMs?: number;
}

interface HostSession {
  readonly connection: HostConnection;
  readonly pending: Map<number, (outcome: Uint8Array) => void>;
  readonly ended: Promise<void>;
  closing: boolean;
}

const stoppedError = (code: number | null): WireError => ({
  name: 'EngineHostError',
  code: 'ENGINE_STOPPED',
  message: `the engine stopped unexpectedly${code === null ? '' : ` (exit code ${code})`}; it restarts with your next action and reopens the project (saved up to its last completed step)`,
  details: { exitCode: code },
});
const encoder = new TextEncoder();
const decoder = new TextDecoder();
const encode = (outcome: CallOutcome): Uint8Array => encoder.encode(JSON.stringify(outcome));
const decode = (bytes: Uint8Array): CallOutcome => JSON.parse(decoder.decode(bytes)) as CallOutcome;
const closedOutcome = encode({ ok: false, error: { name: 'EngineHostError', code: 'ENGINE_CLOSED', message: 'the engine is shutting down', details: {} } });

/** Methods whose result names work that continues after the call: tracked so a crash can report it finished. */
const STARTS_RUN = new Set(['runs.start', 'runs.resume']);
const STARTS_TRAINING = 'learn.train';

/**
 * The front door's side of the bridge (protocol.ts): an EngineApi endpoint
 * (`invoke`, `onEvent`, what main/ipc.ts and serve/EngineServer.ts use)
 * whose engine runs in a separate host started on the first call.
 *
 * When the host ends without being asked to (a crash, the OS killing it),
 * calls waiting for it are answered with ENGINE_STOPPED, the runs and
 * trainings it had in progress are reported finished, and `onCrash` is told;
 * the next call starts a new host and first reopens the project that was
 * open (SQLite's write-ahead log keeps every committed generation; the
 * reopened store marks the dead host's runs interrupted, resumable).
 */
export class EngineHostClient {
  private session: HostSession | null = null;
  private nextId = 1;
  private closed = false;
  private readonly listeners = new Set<(event: EngineEvent) => void>();
  private project: string | null = null;
  private readonly activeRuns = new Set<number>();
  private readonly activeTrainings = new Set<number>();
  private readonly log: (message: string) => void;

  constructor(private readonly options: EngineHostClientOptions) {
    this.log = options.log ?? ((message) => process.stderr.write(`${message}\n`));
  }

  /** One call, its outcome decoded. Never throws. */
  async invoke(method: string, args: unknown): Promise<CallOutcome> {
    return decode(await this.invokeEncoded(method, args));
  }

  /** One call, its outcome (a CallOutcome) as the host's UTF-8 JSON, for a front door that hands it on undecoded. Never throws. */
  async invokeEncoded(method: string, args: unknown): Promise<Uint8Array> {
    if (this.closed) return closedOutcome;
    let session = this.session;
    if (!session) {
      try {
        session = this.launch();
      } catch (error) {
        this.log(`sciope: could not start the engine: ${(error as Error).stack ?? String(error)}`);
        return encode({ ok: false, error: { ...stoppedError(null), message: `the engine could not start: ${(error as Error).message}` } });
      }
    }
    const outcome = await this.send(session, method, args);
    if (STARTS_RUN.has(method) || method === STARTS_TRAINING) this.trackStarted(method, outcome);
    return outcome;
  }

  /** Typed call for in-process callers (the CLI), as EngineService.call: throws the engine's error. */
  async call<M extends ApiMethod>(method: M, args?: unknown): Promise<ApiResults[M]> {
    return unwrapOutcome(await this.invoke(method, args)) as ApiResults[M];
  }

  onEvent(listener: (event: EngineEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Whether a host is running now (tests, diagnostics). */
  get running(): boolean {
    return this.session !== null;
  }

  /** Ask the engine to close (runs cancelled, project closed), then end the host; at most closeTimeoutMs. Later calls answer ENGINE_CLOSED. */
  async close(): Promise<void> {
    this.closed = true;
    const session = this.session;
    if (!session) return;
    session.closing = true;
    this.post(session, { kind: 'close' });
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<void>((resolve) => (timer = setTimeout(resolve, this.options.closeTimeoutMs ?? 5_000)));
    await Promise.race([session.ended, timeout]);
    clearTimeout(timer);
    session.connection.kill();
    await session.ended;
  }

  private launch(): HostSession {
    const connection = this.options.launch();
    let markEnded!: () => void;
    const session: HostSession = { connection, pending: new Map(), ended: new Promise((resolve) => (markEnded = resolve)), closing: false };
    this.session = session;
    connection.port.listen((data) => this.receive(session, data));
    connection.onExit((code) => {
      this.ended(session, code);
      markEnded();
    });
    this.post(session, { kind: 'init', ...this.options.init });
    if (this.project) {
      // After a crash: the project comes back before the call that restarted the host (the port keeps the order).
      const path = this.project;
      void this.send(session, 'projects.open', { path }).then((bytes) => {
        const outcome = decode(bytes);
        if (!outcome.ok) this.log(`sciope: could not reopen ${path} after the engine restarted: ${outcome.error.message}`);
      });
    }
    return session;
  }

  private send(session: HostSession, method: string, args: unknown): Promise<Uint8Array> {
    const id = this.nextId++;
    return new Promise<Uint8Array>((resolve) => {
      session.pending.set(id, resolve);
      this.post(session, { kind: 'call', id, method, args });
    });
  }

  private post(session: HostSession, message: ToHost): void {
    try {
      session.connection.port.post(message);
    } catch (error) {
      // A port whose host just died: the exit handler answers the calls.
      this.log(`sciope: could not reach the engine: ${(error as Error).message}`);
    }
  }

  private receive(session: HostSession, data: unknown): void {
    const message = parseFromHost(data);
    if (!message) {
      this.log(`sciope: refused ${describeRefused(data)} from the engine host`);
      return;
    }
    switch (message.kind) {
      case 'result': {
        const resolve = session.pending.get(message.id);
        session.pending.delete(message.id);
        resolve?.(message.outcome);
        return;
      }
      case 'event':
        this.observe(message.event);
        this.emit(message.event);
        return;
      case 'approval.ask':
        void this.answer(session, message.id, message.request);
        return;
      case 'approval.announce':
        if (this.options.approvalChannel?.kind === 'code') this.options.approvalChannel.announce(message.request, message.code);
        return;
      case 'ready':
      case 'closed':
        return;
    }
  }

  /** The front door's own channel decides; without a dialog channel the answer is no. */
  private async answer(session: HostSession, id: number, request: ApprovalRequest): Promise<void> {
    const channel = this.options.approvalChannel;
    let approved = false;
    if (channel?.kind === 'dialog') {
      try {
        approved = await channel.confirm(request);
      } catch (error) {
        this.log(`sciope: the approval dialog failed: ${(error as Error).message}`);
      }
    }
    if (this.session === session) this.post(session, { kind: 'approval.answer', id, approved });
  }

  private observe(event: EngineEvent): void {
    if (event.type === 'project.changed') this.project = event.project?.path ?? null;
    else if (event.type === 'run.finished') this.activeRuns.delete(event.runId);
    else if (event.type === 'learn.finished') this.activeTrainings.delete(event.taskId);
  }

  private trackStarted(method: string, bytes: Uint8Array): void {
    const outcome = decode(bytes) as CallOutcome<{ runId?: number; taskId?: number }>;
    if (!outcome.ok) return;
    if (method === STARTS_TRAINING && typeof outcome.value.taskId === 'number') this.activeTrainings.add(outcome.value.taskId);
    if (STARTS_RUN.has(method) && typeof outcome.value.runId === 'number') this.activeRuns.add(outcome.value.runId);
  }

  private emit(event: EngineEvent): void {
    for (const listener of this.listeners) {
      try {
        listener(event);
      } catch (error) {
        this.log(`sciope: engine event listener failed: ${(error as Error).stack ?? String(error)}`);
      }
    }
  }

  private ended(session: HostSession, code: number | null): void {
    if (this.session === session) this.session = null;
    const stopped = session.closing ? closedOutcome : encode({ ok: false, error: stoppedError(code) });
    for (const resolve of session.pending.values()) resolve(stopped);
    session.pending.clear();
    if (session.closing) return;
    const error = stoppedError(code);
    const crash: HostCrash = { code, project: this.project, interruptedRuns: [...this.activeRuns], failedTrainings: [...this.activeTrainings] };
    this.activeRuns.clear();
    this.activeTrainings.clear();
    for (const runId of crash.interruptedRuns) this.emit({ type: 'run.finished', runId, status: 'interrupted', error });
    for (const taskId of crash.failedTrainings) this.emit({ type: 'learn.finished', taskId, status: 'failed', networkId: null, backend: null, error });
    this.options.onCrash?.(crash);
  }
}
