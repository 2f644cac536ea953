/**
 * Entry point of a remote worker process: `node worker-<hash>.mjs --threads N`,
 * started by the SSH node pool over one exec channel per node (and by
 * `sciope worker`). Bundled by workerBundle.ts into one self-contained ES
 * module (engine code and zod; no native modules, no piscina), uploaded once
 * per content hash.
 *
 * The main thread speaks the framed protocol of ../ssh/frames.ts on
 * stdin/stdout — [u32 LE bodyLength][u8 type][body]: HELLO first, then JOB
 * (JSON, once per job) and BATCH (packed trials) in, RESULT (packed results),
 * ERROR (the simulator's message) and HEARTBEAT out — and hands batches to N
 * worker threads that run this same file (`workerData.sciopeRemoteThread`),
 * so one channel serves all the node's cores. It never simulates itself, so
 * heartbeats keep flowing while every thread is busy.
 *
 * No orphans: the process exits when stdin ends (channel closed, connection
 * lost, run cancelled) or when the host has been silent for --host-timeout ms.
 */
import { realpathSync } from 'node:fs';
import { availableParallelism, endianness } from 'node:os';
import type { Readable, Writable } from 'node:stream';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads';
import type { SimulationJob } from '../executor.js';
import { prepareJobAsync, type PreparedJob } from '../runTrial.js';
import { encodeFrame, FrameDecoder, FrameType, float64At, jsonBytes, NO_BATCH, PROTOCOL, u32, type Frame, type Hello, type WireError } from '../ssh/frames.js';
import { packResults, unpackTrials } from './batchCodec.js';
import { compileInlineInNewThreads } from '../simulationThreadTiering.js';

export interface RemoteWorkerOptions {
  readonly threads: number;
  /** Module run by each thread: this file, bundled (the bundle detects `workerData.sciopeRemoteThread`). */
  readonly threadScript: string | URL;
  /** Heartbeat period in ms (default 1000). */
  readonly heartbeatMs?: number;
  /** Exit when nothing arrives from the host for this long (default 60 000 ms; 0 disables). */
  readonly hostTimeoutMs?: number;
  readonly input?: Readable;
  readonly output?: Writable;
}

export interface RemoteWorkerArgs {
  threads: number;
  heartbeatMs: number;
  hostTimeoutMs: number;
}

/** `--threads N --heartbeat MS --host-timeout MS`; threads default to the cores. */
export function parseWorkerArgs(argv: readonly string[]): RemoteWorkerArgs {
  const args: RemoteWorkerArgs = { threads: availableParallelism(), heartbeatMs: 1000, hostTimeoutMs: 60_000 };
  const names: Record<string, keyof RemoteWorkerArgs> = { '--threads': 'threads', '--heartbeat': 'heartbeatMs', '--host-timeout': 'hostTimeoutMs' };
  for (let i = 0; i < argv.length; i++) {
    const key = names[argv[i]];
    const value = Number(argv[i + 1]);
    if (!key) throw new Error(`unknown argument ${argv[i]}; expected --threads N, --heartbeat MS, --host-timeout MS`);
    if (!Number.isInteger(value) || value < (key === 'threads' ? 1 : 0)) throw new Error(`${argv[i]} expects a non-negative integer, got ${argv[i + 1]}`);
    args[key] = value;
    i++;
  }
  return args;
}

type ToThread = { type: 'job'; jobId: number; json: string } | { type: 'batch'; batchId: number; jobId: number; trials: Float64Array };
type FromThread = { type: 'result'; batchId: number; packed: Float64Array } | { type: 'error'; batchId: number; error: WireError };

interface Slot {
  worker: Worker;
  batch: number | null;
  jobId: number | null;
}

const wireError = (error: unknown, retryable = false): WireError => {
  const e = error as { name?: unknown; message?: unknown; code?: unknown };
  return {
    name: typeof e?.name === 'string' ? e.name : 'Error',
    message: typeof e?.message === 'string' ? e.message : String(error),
    ...(typeof e?.code === 'string' ? { code: e.code } : {}),
    ...(retryable ? { retryable } : {}),
  };
};

/** Anything printed to stdout would corrupt the frames: console output goes to stderr. */
function consoleToStderr(): void {
  console.log = console.info = console.debug = (...args: unknown[]) => console.error(...args);
}

/** Serve the protocol until the input ends; resolves with the exit code after the threads stop. */
export function runRemoteWorker(options: RemoteWorkerOptions): Promise<number> {
  const input = options.input ?? process.stdin;
  const output = options.output ?? process.stdout;
  const heartbeatMs = options.heartbeatMs ?? 1000;
  const hostTimeoutMs = options.hostTimeoutMs ?? 60_000;
  consoleToStderr();
  compileInlineInNewThreads();
  const jobs = new Map<number, string>();
  const queue: Array<{ batchId: number; jobId: number; trials: Float64Array }> = [];
  const slots: Slot[] = [];
  let lastInput = Date.now();
  let stopping = false;
  const send = (frame: Buffer) => {
    if (!stopping) output.write(frame);
  };
  const sendError = (batchId: number, error: WireError) => send(encodeFrame(FrameType.error, u32(batchId), jsonBytes(error)));

  const spawn = (): Slot => {
    const slot: Slot = { worker: new Worker(options.threadScript, { workerData: { sciopeRemoteThread: true } }), batch: null, jobId: null };
    slot.worker.on('message', (message: FromThread) => {
      slot.batch = null;
      if (message.type === 'result') send(encodeFrame(FrameType.result, u32(message.batchId, 0), message.packed));
      else sendError(message.batchId, message.error);
      schedule();
    });
    // A thread that dies (uncaught error, out of memory, exit) is replaced; its batch is reported as retryable.
    const replace = (error: unknown) => {
      if (stopping || slots.indexOf(slot) < 0) return;
      const lost = slot.batch;
      slot.batch = null;
      slots[slots.indexOf(slot)] = spawn();
      void slot.worker.terminate();
      if (lost !== null)
        sendError(
          lost,
          wireError(
            error instanceof Error ? new Error(`worker thread died: ${error.message}`) : new Error(`worker thread exited with code ${String(error)}`),
            true,
          ),
        );
      schedule();
    };
    slot.worker.on('error', replace);
    slot.worker.on('exit', (code) => replace(code));
    return slot;
  };

  const schedule = () => {
    for (const slot of slots) {
      if (queue.length === 0) return;
      if (slot.batch !== null) continue;
      const batch = queue.shift()!;
      const json = jobs.get(batch.jobId);
      if (json === undefined) {
        sendError(batch.batchId, { name: 'ProtocolError', message: `batch ${batch.batchId} names job ${batch.jobId}, which was never sent` });
        continue;
      }
      if (slot.jobId !== batch.jobId) {
        slot.worker.postMessage({ type: 'job', jobId: batch.jobId, json } satisfies ToThread);
        slot.jobId = batch.jobId;
      }
      slot.batch = batch.batchId;
      slot.worker.postMessage({ type: 'batch', ...batch } satisfies ToThread, [batch.trials.buffer as ArrayBuffer]);
    }
  };

  const onFrame = (frame: Frame) => {
    if (frame.type === FrameType.job) {
      const jobId = frame.body.readUInt32LE(0);
      jobs.set(jobId, frame.body.subarray(4).toString('utf8'));
      // A run sends one job per generation; the last few are plenty.
      for (const key of jobs.keys()) if (jobs.size > 8) jobs.delete(key);
    } else if (frame.type === FrameType.batch) {
      queue.push({ batchId: frame.body.readUInt32LE(0), jobId: frame.body.readUInt32LE(4), trials: float64At(frame.body, 8) });
      schedule();
    }
  };

  for (let i = 0; i < options.threads; i++) slots.push(spawn());
  const hello: Hello = {
    protocol: PROTOCOL,
    node: process.version,
    pid: process.pid,
    threads: options.threads,
    cores: availableParallelism(),
    endianness: endianness(),
  };
  send(encodeFrame(FrameType.hello, jsonBytes(hello)));

  return new Promise<number>((resolve) => {
    const stop = (code: number) => {
      if (stopping) return;
      stopping = true;
      clearInterval(beat);
      input.removeListener('data', onData);
      input.pause();
      const workers = slots.splice(0).map((s) => s.worker);
      void Promise.allSettled(workers.map((w) => w.terminate())).then(() => resolve(code));
    };
    const decoder = new FrameDecoder(onFrame);
    const onData = (chunk: Buffer) => {
      lastInput = Date.now();
      try {
        decoder.push(chunk);
      } catch (error) {
        sendError(NO_BATCH, wireError(error));
        stop(2);
      }
    };
    const beat = setInterval(() => {
      send(encodeFrame(FrameType.heartbeat));
      if (hostTimeoutMs > 0 && Date.now() - lastInput > hostTimeoutMs) {
        process.stderr.write(`sciope worker: no word from the host for ${hostTimeoutMs} ms; exiting\n`);
        stop(3);
      }
    }, heartbeatMs);
    input.on('data', onData);
    input.once('end', () => stop(0));
    input.once('close', () => stop(0));
    input.once('error', () => stop(0));
    output.once('error', () => stop(0));
  });
}

/** Thread side: prepares each job once, runs batches, posts packed results (transferred). */
function runRemoteThread(): void {
  consoleToStderr();
  const port = parentPort!;
  // Preparation may be asynchronous (a black-box simulator's module or process); batches await it.
  let current: { jobId: number; prepared: Promise<PreparedJob> } | null = null;
  port.on('message', async (message: ToThread) => {
    if (message.type === 'job') {
      const prepared = Promise.resolve().then(() => prepareJobAsync(JSON.parse(message.json) as SimulationJob));
      prepared.catch(() => undefined);
      current = { jobId: message.jobId, prepared };
      return;
    }
    try {
      if (!current || current.jobId !== message.jobId) throw new Error(`job ${message.jobId} was not sent to this thread`);
      const prepared = await current.prepared;
      const started = performance.now();
      const results = unpackTrials(message.trials).map((trial) => prepared.run(trial));
      const packed = packResults(results, performance.now() - started);
      port.postMessage({ type: 'result', batchId: message.batchId, packed } satisfies FromThread, [packed.buffer as ArrayBuffer]);
    } catch (error) {
      port.postMessage({ type: 'error', batchId: message.batchId, error: wireError(error) } satisfies FromThread);
    }
  });
}

function isEntryModule(): boolean {
  if (!isMainThread || !process.argv[1]) return false;
  try {
    return realpathSync(process.argv[1]) === realpathSync(fileURLToPath(import.meta.url));
  } catch {
    return false;
  }
}

if (!isMainThread && (workerData as { sciopeRemoteThread?: boolean } | null)?.sciopeRemoteThread === true) {
  runRemoteThread();
} else if (isEntryModule()) {
  // Module simulators shipped in jobs are stored next to this file (inherited by the threads).
  process.env.SCIOPE_SIMULATOR_DIR ??= dirname(fileURLToPath(import.meta.url));
  try {
    const args = parseWorkerArgs(process.argv.slice(2));
    void runRemoteWorker({ ...args, threadScript: new URL(import.meta.url) }).then((code) => process.exit(code));
  } catch (error) {
    process.stdout.write(encodeFrame(FrameType.error, u32(NO_BATCH), jsonBytes(wireError(error))));
    process.exit(2);
  }
}
