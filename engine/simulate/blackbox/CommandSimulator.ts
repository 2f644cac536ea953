import { MessageChannel, receiveMessageOnPort, Worker, type MessagePort } from 'node:worker_threads';
import { EngineError } from '../../errors/index.js';
import type { SimulationMethod, Simulator } from '../types.js';
import { BRIDGE_SOURCE, Ctrl, CTRL_INTS, FAILURE_KINDS, REGION_BYTES, ReplyKind, RequestType } from './bridgeSource.js';
import { blackBoxSeed, writeBlackBoxOutput } from './output.js';
import type { CommandSimulatorSpec } from './spec.js';

export type CommandFailureKind = (typeof FAILURE_KINDS)[number];

/** A command simulator that failed: `kind` says how (its own structured error, crash, time-out, protocol violation, missing command). */
export class CommandSimulatorError extends EngineError {
  constructor(
    readonly kind: CommandFailureKind,
    message: string,
  ) {
    super('BLACKBOX_COMMAND', message, { kind });
  }
}

export const DEFAULT_TIMEOUT_MS = 30_000;
export const DEFAULT_START_TIMEOUT_MS = 10_000;

type Reply = { kind: ReplyKind; text: string; failure: CommandFailureKind };

/**
 * A Simulator backed by an external program speaking the JSON-lines
 * protocol of docs/blackbox-protocol.md. One long-lived process serves every
 * simulation of this instance (one instance per thread).
 *
 * Synchronous bridge: `simulateInto` must return synchronously, so the
 * process is owned by a helper thread (bridgeSource.ts) and this thread
 * blocks in Atomics.wait on shared memory until the answer line is there.
 * Measured (test/bench/blackbox.bench.ts, 3 species x 101 points, busy
 * 2-core VM): 0.15-0.20 ms per simulation with a Node echo simulator, of
 * which the bridge adds 0.02-0.07 ms over a plain async pipe round trip;
 * a MessagePort in both directions cost about twice the shared-memory hop.
 *
 * Failures: a crash during a simulation restarts the process and retries
 * that simulation once (a deterministic simulator gives the same answer);
 * a time-out kills the process (it restarts for the next simulation); a
 * line that breaks the protocol kills it too; every error of the process
 * carries the last lines of its stderr.
 */
export class CommandSimulator implements Simulator {
  /** Not meaningful for a black box; kept for the Simulator interface. */
  readonly method: SimulationMethod = 'ssa';
  readonly speciesIds: readonly string[];
  readonly parameterIds: readonly string[];
  readonly defaultParameters: Float64Array;
  readonly label: string;
  /** Processes started so far (restarts included). */
  starts = 0;
  private readonly worker: Worker;
  private readonly port: MessagePort;
  private readonly ctrl: Int32Array;
  private readonly reqBuf: Buffer;
  private readonly repBuf: Buffer;
  private readonly timeoutMs: number;
  private readonly startTimeoutMs: number;
  private running = false;
  private nextId = 1;
  private timeKey: Float64Array | null = null;
  private timeJson = '[]';
  private closed = false;

  constructor(readonly spec: CommandSimulatorSpec) {
    this.speciesIds = [...spec.species];
    this.parameterIds = spec.parameters.map((p) => p.id);
    this.defaultParameters = Float64Array.from(spec.parameters, (p) => p.value);
    this.label = spec.name ?? `command simulator ${JSON.stringify(spec.command.join(' '))}`;
    this.timeoutMs = spec.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    this.startTimeoutMs = spec.startTimeoutMs ?? DEFAULT_START_TIMEOUT_MS;
    const shared = new SharedArrayBuffer(CTRL_INTS * 4 + 2 * REGION_BYTES);
    this.ctrl = new Int32Array(shared, 0, CTRL_INTS);
    this.reqBuf = Buffer.from(shared, CTRL_INTS * 4, REGION_BYTES);
    this.repBuf = Buffer.from(shared, CTRL_INTS * 4 + REGION_BYTES, REGION_BYTES);
    const { port1, port2 } = new MessageChannel();
    this.port = port1;
    this.worker = new Worker(BRIDGE_SOURCE, {
      eval: true,
      workerData: { command: spec.command, cwd: spec.cwd, env: spec.env, label: this.label, shared, regionBytes: REGION_BYTES, port: port2 },
      transferList: [port2],
    });
    this.worker.unref();
  }

  /** Send a request and wait for the reply; null when `waitMs` passed first. */
  private call(type: RequestType, waitMs: number, line?: string): Reply | null {
    if (this.closed) throw new CommandSimulatorError('error', `${this.label}: closed`);
    let length = 0;
    if (line !== undefined) {
      length = Buffer.byteLength(line);
      if (length > REGION_BYTES) {
        this.port.postMessage(line);
        length = -1;
      } else this.reqBuf.write(line, 0);
    }
    Atomics.store(this.ctrl, Ctrl.rep, 0);
    this.ctrl[Ctrl.reqType] = type;
    this.ctrl[Ctrl.reqLength] = length;
    Atomics.store(this.ctrl, Ctrl.req, 1);
    Atomics.notify(this.ctrl, Ctrl.req);
    // Wait until the reply flag is really set: Atomics.wait also returns 'ok' for a late notify of the
    // previous reply (the helper stores REP = 1, is preempted, and notifies after this request began),
    // which would read the previous answer again.
    const deadline = performance.now() + waitMs;
    while (Atomics.load(this.ctrl, Ctrl.rep) === 0) {
      const left = deadline - performance.now();
      if (left <= 0 || Atomics.wait(this.ctrl, Ctrl.rep, 0, left) === 'timed-out') {
        if (Atomics.load(this.ctrl, Ctrl.rep) === 0) return null;
      }
    }
    const kind = this.ctrl[Ctrl.repKind] as ReplyKind;
    const replyLength = this.ctrl[Ctrl.repLength];
    const text = replyLength >= 0 ? this.repBuf.toString('utf8', 0, replyLength) : String(receiveMessageOnPort(this.port)?.message ?? '');
    return { kind, text, failure: FAILURE_KINDS[this.ctrl[Ctrl.failCode]] ?? 'error' };
  }

  private kill(): void {
    this.running = false;
    this.call(RequestType.kill, 5_000);
  }

  /** Start (or restart) the process and check its handshake. */
  start(): void {
    this.running = false;
    this.starts++;
    const reply = this.call(RequestType.start, this.startTimeoutMs);
    if (reply === null) {
      this.kill();
      throw new CommandSimulatorError(
        'timeout',
        `${this.label}: no handshake within ${this.startTimeoutMs} ms (expected {"v":1,"hello":"sciope-simulator"} on stdout)`,
      );
    }
    if (reply.kind === ReplyKind.fail) throw new CommandSimulatorError(reply.failure, reply.text);
    this.running = true;
  }

  private requestLine(id: number, parameters: Float64Array, seed: number, grid: Float64Array): string {
    if (this.timeKey !== grid) {
      this.timeJson = JSON.stringify(Array.from(grid));
      this.timeKey = grid;
    }
    let params = '{';
    for (let k = 0; k < this.parameterIds.length; k++) params += `${k ? ',' : ''}${JSON.stringify(this.parameterIds[k])}:${JSON.stringify(parameters[k])}`;
    return `{"v":1,"id":${id},"parameters":${params}},"seed":${seed},"time":${this.timeJson}}\n`;
  }

  simulateInto(out: Float64Array, grid: Float64Array, parameters: Float64Array, rng: Uint32Array): number {
    const seed = blackBoxSeed(rng);
    for (let attempt = 0; ; attempt++) {
      if (!this.running) this.start();
      const id = this.nextId++;
      const reply = this.call(RequestType.simulate, this.timeoutMs, this.requestLine(id, parameters, seed, grid));
      if (reply === null) {
        this.kill();
        throw new CommandSimulatorError(
          'timeout',
          `${this.label}: simulation timed out after ${this.timeoutMs} ms (the process was stopped; it restarts for the next simulation)`,
        );
      }
      if (reply.kind === ReplyKind.line) {
        this.writeAnswer(out, grid.length, id, reply.text);
        return 1;
      }
      this.running = false;
      if (reply.failure === 'crash' && attempt === 0) continue;
      throw new CommandSimulatorError(
        reply.failure,
        reply.failure === 'crash' ? `${reply.text}\n(the simulation crashed the process twice, before and after a restart)` : reply.text,
      );
    }
  }

  /** Parse and check one answer line; a line that breaks the protocol kills the process (it restarts for the next simulation). */
  private writeAnswer(out: Float64Array, points: number, id: number, line: string): void {
    const violation = (message: string): never => {
      this.kill();
      throw new CommandSimulatorError(
        'protocol',
        `${this.label}: ${message}: ${line.length > 200 ? `${JSON.stringify(line.slice(0, 200))}...` : JSON.stringify(line)}`,
      );
    };
    let answer: { v?: unknown; id?: unknown; error?: unknown; species?: unknown; data?: unknown; data_f64?: unknown };
    try {
      answer = JSON.parse(line) as typeof answer;
    } catch {
      return violation('garbage output (not a JSON line)');
    }
    if (answer === null || typeof answer !== 'object' || Array.isArray(answer)) return violation('garbage output (expected a JSON object)');
    if (answer.v !== 1) return violation('answer without "v": 1');
    if (answer.id !== id) return violation(`answer to request ${JSON.stringify(answer.id)} while request ${id} is pending`);
    if (answer.error !== undefined)
      throw new CommandSimulatorError(
        'error',
        `${this.label}: simulation failed: ${typeof answer.error === 'string' ? answer.error : JSON.stringify(answer.error)}`,
      );
    if (typeof answer.data_f64 === 'string') {
      // Binary payload: base64 of little-endian float64, species-major (no float formatting or parsing).
      const bytes = Buffer.from(answer.data_f64, 'base64');
      if (bytes.length % 8 !== 0) return violation(`"data_f64" decodes to ${bytes.length} bytes, not a whole number of float64`);
      const values = new Float64Array(bytes.length / 8);
      new Uint8Array(values.buffer).set(bytes);
      writeBlackBoxOutput(out, this.speciesIds, points, answer.species, values, this.label);
      return;
    }
    writeBlackBoxOutput(out, this.speciesIds, points, answer.species, answer.data, this.label);
  }

  /** Stop the process and the helper thread. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.ctrl[Ctrl.reqType] = RequestType.close;
    Atomics.store(this.ctrl, Ctrl.req, 1);
    Atomics.notify(this.ctrl, Ctrl.req);
    this.port.close();
    await this.worker.terminate();
  }
}
