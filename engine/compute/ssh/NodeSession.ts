import type { ClientChannel } from 'ssh2';
import { RemoteNodeError } from '../../errors/index.js';
import { shellQuote, type NodeConnection } from './connection.js';
import { encodeFrame, float64At, FrameDecoder, FrameType, NO_BATCH, PROTOCOL, u32, type Frame, type Hello, type WireError } from './frames.js';

export interface SessionTiming {
  /** The worker and the host each send a heartbeat this often. */
  readonly heartbeatMs: number;
  /** A node silent for this long is considered hung and dropped. */
  readonly heartbeatTimeoutMs: number;
  /** The worker exits when the host is silent for this long. */
  readonly hostTimeoutMs: number;
}

export interface SessionListener {
  result(batchId: number, packed: Float64Array): void;
  batchError(batchId: number, error: WireError): void;
  lost(error: RemoteNodeError): void;
}

/**
 * How the worker process is started and, if it does not exit, ended: by
 * default directly on the connection's host (`exec node worker.mjs ...`,
 * killed by its HELLO pid there). A scheduler runs it as a job step instead
 * (see engine/compute/slurm): the command wraps the worker's, and killing
 * means cancelling the step, since the worker runs on another machine.
 */
export interface WorkerLaunch {
  /** The shell command for the worker's command line (already quoted); default `exec <command>`. */
  readonly wrap?: (workerCommand: string) => string;
  /** End a worker that did not exit when its stdin closed. */
  readonly kill?: (session: NodeSession) => Promise<void>;
  /** Wait this long for the worker's HELLO (default 30 000 ms). */
  readonly helloTimeoutMs?: number;
}

const STDERR_TAIL = 2000;

/**
 * One worker process on one node: `exec node worker-<hash>.mjs --threads N`
 * on an exec channel of the node's connection, spoken to in frames. The
 * session watches the heartbeat; when the channel, the process or the
 * connection goes away, or the node stays silent past the timeout, it kills
 * what is left (signal + close) and reports the node lost, once.
 */
export class NodeSession {
  hello: Hello | null = null;
  /** Jobs this worker already holds. */
  readonly sentJobs = new Set<number>();
  private listener: SessionListener | null = null;
  private lastSeen = Date.now();
  private stderr = '';
  private exit: string | null = null;
  private closed = false;
  private terminated: Promise<void> | null = null;
  private timers: NodeJS.Timeout[] = [];

  private constructor(
    readonly connection: NodeConnection,
    private readonly channel: ClientChannel,
    private readonly remoteFile: string,
    readonly threads: number,
    private readonly timing: SessionTiming,
    private readonly launch: WorkerLaunch,
  ) {}

  get label(): string {
    return this.connection.label;
  }

  get alive(): boolean {
    return !this.closed;
  }

  /** Start the worker and wait for its HELLO. */
  static async start(connection: NodeConnection, remoteFile: string, threads: number, timing: SessionTiming, launch: WorkerLaunch = {}): Promise<NodeSession> {
    const { node } = connection;
    const helloTimeoutMs = launch.helloTimeoutMs ?? 30_000;
    const worker = [
      shellQuote(node.nodePath),
      shellQuote(remoteFile),
      '--threads',
      threads,
      '--heartbeat',
      timing.heartbeatMs,
      '--host-timeout',
      timing.hostTimeoutMs,
    ].join(' ');
    const channel = await connection.spawn(launch.wrap ? launch.wrap(worker) : `exec ${worker}`);
    const session = new NodeSession(connection, channel, remoteFile, threads, timing, launch);
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => session.drop('protocol', `the worker did not say hello within ${helloTimeoutMs} ms`), helloTimeoutMs);
      session.listener = {
        result: () => undefined,
        batchError: () => undefined,
        lost: (error) => {
          clearTimeout(timer);
          reject(error);
        },
      };
      session.onHello = (hello) => {
        clearTimeout(timer);
        if (hello.protocol !== PROTOCOL) return session.drop('protocol', `the worker speaks ${hello.protocol}, expected ${PROTOCOL}`);
        if (hello.endianness !== 'LE') return session.drop('protocol', 'the node is big-endian; the packed batches are little-endian');
        resolve();
      };
      session.listen();
    });
    return session;
  }

  private onHello: (hello: Hello) => void = () => undefined;

  /** Route results and losses to the current run. */
  attach(listener: SessionListener): void {
    this.listener = listener;
  }

  sendJob(jobId: number, json: Buffer): void {
    this.write(encodeFrame(FrameType.job, u32(jobId), json));
    this.sentJobs.add(jobId);
  }

  sendBatch(batchId: number, jobId: number, packed: Float64Array): void {
    this.write(encodeFrame(FrameType.batch, u32(batchId, jobId), packed));
  }

  /**
   * End the worker: close its stdin (it exits), wait for the exit up to
   * `graceMs`, then kill it and close the channel and the connection.
   */
  async stop(graceMs = 1000): Promise<void> {
    if (this.closed) return this.terminated ?? undefined;
    this.closed = true;
    this.clearTimers();
    const exited = new Promise<void>((resolve) => {
      if (this.exit !== null) return resolve();
      this.channel.once('exit', () => resolve());
      this.channel.once('close', () => resolve());
    });
    this.channel.end();
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([exited, new Promise<void>((resolve) => (timer = setTimeout(resolve, graceMs)))]);
    clearTimeout(timer);
    await this.terminate();
  }

  private write(frame: Buffer): void {
    if (!this.closed) this.channel.write(frame);
  }

  /**
   * Kill the worker if it has not exited, then close everything. The SSH
   * "signal" request is tried first, but OpenSSH honours it only for
   * privilege-separated (non-root) logins, so the worker is also killed by
   * pid (from its HELLO) over a second channel, after checking with ps that
   * the pid is still this worker.
   */
  private terminate(): Promise<void> {
    this.terminated ??= (async () => {
      if (this.exit === null) {
        try {
          this.channel.signal('KILL');
        } catch {
          // the channel is already gone
        }
        const pid = this.hello?.pid;
        if (this.launch.kill) await this.launch.kill(this).catch(() => undefined);
        else if (pid && Number.isInteger(pid)) {
          await this.connection.exec(`ps -p ${pid} -o args= | grep -qF ${shellQuote(this.remoteFile)} && kill -9 ${pid}`, 3000).catch(() => undefined);
        }
      }
      this.channel.close();
      this.connection.close();
    })();
    return this.terminated;
  }

  private clearTimers(): void {
    this.timers.forEach((t) => clearInterval(t));
    this.timers = [];
  }

  /** Drop the node (once): kill the worker, close the connection, report it lost. */
  private drop(reason: string, what: string): void {
    if (this.closed) return;
    this.closed = true;
    this.clearTimers();
    void this.terminate();
    const tail = this.stderr.trim() ? `; its stderr ends with: ${this.stderr.trim().slice(-500)}` : '';
    this.listener?.lost(new RemoteNodeError(this.label, reason, `${this.label}: ${what}${tail}`, { stderr: this.stderr.slice(-STDERR_TAIL) }));
  }

  private onFrame = (frame: Frame): void => {
    this.lastSeen = Date.now();
    const body = frame.body;
    switch (frame.type) {
      case FrameType.hello:
        this.hello = JSON.parse(body.toString('utf8')) as Hello;
        return this.onHello(this.hello);
      case FrameType.result:
        return this.listener?.result(body.readUInt32LE(0), float64At(body, 8));
      case FrameType.error: {
        const batchId = body.readUInt32LE(0);
        const error = JSON.parse(body.subarray(4).toString('utf8')) as WireError;
        if (batchId === NO_BATCH) return this.drop('protocol', `the worker failed: ${error.message}`);
        return this.listener?.batchError(batchId, error);
      }
      default:
        return; // heartbeat
    }
  };

  private listen(): void {
    const decoder = new FrameDecoder(this.onFrame);
    this.channel.on('data', (chunk: Buffer) => {
      if (this.closed) return;
      try {
        decoder.push(chunk);
      } catch (error) {
        this.drop('protocol', (error as Error).message);
      }
    });
    this.channel.stderr.on('data', (chunk: Buffer) => {
      this.stderr = (this.stderr + chunk.toString('utf8')).slice(-STDERR_TAIL);
      this.lastSeen = Date.now();
    });
    this.channel.on('exit', (code: number | null, signal?: string) => {
      this.exit = signal ? `was killed by ${signal.startsWith('SIG') ? signal : `SIG${signal}`}` : `exited with code ${code}`;
    });
    this.channel.on('close', () => this.drop('lost', `the worker process ${this.exit ?? 'went away (channel closed)'}`));
    this.connection.client.on('close', () => this.drop('lost', 'the SSH connection was lost'));
    const { heartbeatMs, heartbeatTimeoutMs } = this.timing;
    const period = Math.min(heartbeatMs, Math.max(100, heartbeatTimeoutMs / 4));
    let lastTick = Date.now();
    this.timers.push(
      setInterval(() => {
        this.write(encodeFrame(FrameType.heartbeat));
        const now = Date.now();
        // A late tick means this process was busy and could not read the node's frames: that silence is ours.
        if (now - lastTick > 2 * period) this.lastSeen = Math.max(this.lastSeen, now - period);
        lastTick = now;
        // Before its HELLO the worker is still starting (a scheduler's step may take a while): the hello timeout governs.
        if (this.hello === null) this.lastSeen = now;
        const silent = now - this.lastSeen;
        if (silent > heartbeatTimeoutMs)
          this.drop('hung', `no heartbeat from the node for ${(silent / 1000).toFixed(1)} s (timeout ${heartbeatTimeoutMs} ms); it is hung or unreachable`);
      }, period),
    );
    this.timers.forEach((t) => t.unref());
  }
}
