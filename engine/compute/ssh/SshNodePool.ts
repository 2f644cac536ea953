import { requireApprovedJob } from '../../trust/approvedInProcess.js';
import { RemoteNodeError } from '../../errors/index.js';
import { NodesLostError } from './errors.js';
import type { Executor, MapOptions, SimulationJob, Trial, TrialResult } from '../executor.js';
import { nextBatchSize } from '../pool/batchSizing.js';
import { packTrials, unpackResults } from '../pool/batchCodec.js';
import { fromThreadFailure } from '../pool/threadFailure.js';
import { connectNode, type ConnectOptions } from './connection.js';
import { deployWorker, remoteWorkerBundle } from './deploy.js';
import { inlineModuleSource } from '../../simulate/blackbox/loadModule.js';
import { jsonBytes, type WireError } from './frames.js';
import { NodeSession, type SessionTiming } from './NodeSession.js';
import { nodeLabel, parseNodeSettings, type NodeSettings, type NodeSettingsInput, type NodesFile } from './nodeSettings.js';
import { asRemoteError, checkNodes, inspectNode, type NodeReport } from './preflight.js';
import { checkSimulatorOnNode, simulatorRequirement, type SimulatorRequirement } from './simulatorCheck.js';
import type { BlackBoxSimulatorSpec } from '../../simulate/blackbox/spec.js';

export interface SshNodePoolOptions extends ConnectOptions, Partial<SessionTiming> {
  /** Nodes as settings (validated here) or as a loaded nodes file (its knownHosts is used unless given). */
  readonly nodes: readonly NodeSettingsInput[] | NodesFile;
  /** Attempts per batch when a worker thread crashes (not when a node is lost: that never counts). Default 3. */
  readonly maxAttempts?: number;
  /** Fixed trials per batch; adaptive by default (see batchSizing). */
  readonly batchSize?: number;
  /** Node ready / lost / unavailable, for a log or the UI. */
  readonly onNodeEvent?: (event: NodeEvent) => void;
  /**
   * How a node's worker session comes up; default: connect, check Node,
   * deploy and start the worker on the node itself (launchOnNode). A
   * scheduler starts it as a job step instead (engine/compute/slurm).
   */
  readonly launch?: SessionLauncher;
}

/** A worker session that is up, and what to report about it. */
export interface LaunchedSession {
  readonly session: NodeSession;
  readonly workers: number;
  readonly nodeVersion: string;
  readonly uploaded: boolean;
  readonly remoteFile: string;
}

/** Brings up one slot's worker session; throws (a RemoteNodeError, ideally) when it cannot, leaving nothing open. */
export type SessionLauncher = (node: NodeSettings, timing: SessionTiming) => Promise<LaunchedSession>;

/** The default launcher: the worker runs on the node itself, one thread per worker. */
export function launchOnNode(connect: ConnectOptions): SessionLauncher {
  return async (node, timing) => {
    const connection = await connectNode(node, connect);
    try {
      const [facts, bundle] = await Promise.all([inspectNode(connection), remoteWorkerBundle()]);
      const deployment = await deployWorker(connection, bundle);
      const session = await NodeSession.start(connection, deployment.remoteFile, facts.workers, timing);
      return { session, workers: facts.workers, nodeVersion: facts.nodeVersion, ...deployment };
    } catch (error) {
      connection.close();
      throw error;
    }
  };
}

export type NodeEvent =
  | {
      readonly type: 'ready';
      readonly node: string;
      readonly workers: number;
      readonly nodeVersion: string;
      readonly uploaded: boolean;
      readonly remoteFile: string;
    }
  | { readonly type: 'unavailable'; readonly node: string; readonly error: RemoteNodeError }
  /** The node is up but cannot run the job's command simulator (see simulatorCheck); the others take its share. */
  | { readonly type: 'excluded'; readonly node: string; readonly error: RemoteNodeError }
  | { readonly type: 'lost'; readonly node: string; readonly error: RemoteNodeError; readonly redispatched: number };

interface Batch {
  readonly id: number;
  readonly trials: readonly Trial[];
  attempts: number;
}

/** One configured node: its live worker session, if any, and the batches it holds. */
interface Slot {
  readonly settings: NodeSettings;
  readonly label: string;
  session: NodeSession | null;
  starting: Promise<void> | null;
  lastError: RemoteNodeError | null;
  /** Set when a run fails while this node is still starting: stop its worker as soon as it is up. */
  discard: boolean;
  readonly inFlight: Map<number, Batch>;
  /** Per simulator requirement (its key): null when this node's session can run it, else why not. */
  readonly verdicts: Map<string, RemoteNodeError | null>;
  /** Simulator checks under way, by requirement key. */
  readonly checking: Set<string>;
}

/** The scheduling side of one map() call. */
interface Run {
  pump(): void;
  /** Take back a batch of a lost node. */
  requeue(batch: Batch): void;
  result(slot: Slot, batchId: number, packed: Float64Array): void;
  batchError(slot: Slot, batchId: number, error: WireError): void;
}

/** The simulator's error as the worker reported it, with the node named. */
function remoteTaskError(error: WireError, label: string): Error {
  const message = `${error.message} [on ${label}]`;
  // An engine error keeps its class and code (a SimulationFailedError is a failed run here too, not an internal error).
  if (error.code) return fromThreadFailure({ failed: { name: error.name, code: error.code, message, details: {} } });
  const out = error.name === 'RangeError' ? new RangeError(message) : error.name === 'TypeError' ? new TypeError(message) : new Error(message);
  if (out.name !== error.name) Object.defineProperty(out, 'name', { value: error.name });
  if (error.code) Object.assign(out, { code: error.code });
  return out;
}

/**
 * Runs trials on remote nodes over SSH (ssh2). Each node gets one exec
 * channel running the bundled worker (uploaded over SFTP when its hash is
 * new there) with one thread per worker; batches and results stream as
 * frames. A node that disconnects, dies or hangs loses nothing: its batches
 * in flight go back to the queue for the others; the run fails with a
 * RemoteNodeError only when no node is left. Aborting ends every worker
 * process (stdin closed, then SIGKILL) before map() rejects. Sessions stay
 * open between map() calls (one per generation of an SMC run) until close().
 */
export class SshNodePool implements Executor {
  readonly kind = 'sshPool';
  private readonly slots: Slot[];
  private readonly connect: ConnectOptions;
  private readonly timing: SessionTiming;
  private readonly maxAttempts: number;
  private readonly fixedBatchSize: number | undefined;
  private readonly onNodeEvent: (event: NodeEvent) => void;
  private readonly launch: SessionLauncher;
  private run: Run | null = null;
  private queue: Promise<unknown> = Promise.resolve();
  private readonly jobIds = new WeakMap<SimulationJob, { id: number; json: Buffer }>();
  private readonly requirements = new WeakMap<SimulationJob, SimulatorRequirement | null>();
  private nextJobId = 1;
  private nextBatchId = 1;
  /** Some node came up at some point: losing them all is then a failed run, not a broken node list. */
  private everReady = false;

  constructor(options: SshNodePoolOptions) {
    const file = Array.isArray(options.nodes) ? { nodes: options.nodes as readonly NodeSettingsInput[] } : (options.nodes as NodesFile);
    const nodes = file.nodes.map((n, i) => parseNodeSettings(n, `nodes[${i}]`));
    if (nodes.length === 0) throw new RangeError('an SSH pool needs at least one node');
    this.slots = nodes.map((settings) => ({
      settings,
      label: nodeLabel(settings),
      session: null,
      starting: null,
      lastError: null,
      discard: false,
      inFlight: new Map(),
      verdicts: new Map(),
      checking: new Set(),
    }));
    const knownHosts = options.knownHosts ?? ('knownHosts' in file ? file.knownHosts : undefined);
    this.connect = { ...options, ...(knownHosts ? { knownHosts } : {}) };
    const heartbeatMs = options.heartbeatMs ?? 1000;
    this.timing = {
      heartbeatMs,
      heartbeatTimeoutMs: options.heartbeatTimeoutMs ?? Math.max(10_000, 5 * heartbeatMs),
      hostTimeoutMs: options.hostTimeoutMs ?? 60_000,
    };
    if (!(this.timing.heartbeatTimeoutMs > heartbeatMs))
      throw new RangeError(`heartbeatTimeoutMs (${this.timing.heartbeatTimeoutMs}) must exceed heartbeatMs (${heartbeatMs})`);
    this.maxAttempts = options.maxAttempts ?? 3;
    if (!Number.isInteger(this.maxAttempts) || this.maxAttempts < 1) throw new RangeError(`maxAttempts must be an integer >= 1, got ${this.maxAttempts}`);
    if (options.batchSize !== undefined && (!Number.isInteger(options.batchSize) || options.batchSize < 1))
      throw new RangeError(`batchSize must be an integer >= 1, got ${options.batchSize}`);
    this.fixedBatchSize = options.batchSize;
    this.onNodeEvent = options.onNodeEvent ?? (() => undefined);
    this.launch = options.launch ?? launchOnNode(this.connect);
  }

  /** Worker threads of the live nodes; before they are up, the configured workers (1 per node without a setting). */
  get concurrency(): number {
    const live = this.slots.filter((s) => s.session?.alive);
    if (live.length > 0) return live.reduce((n, s) => n + s.session!.threads, 0);
    return this.slots.reduce((n, s) => n + (s.settings.workers ?? 1), 0);
  }

  /** Pre-flight report per node (connect, Node version, cores; the simulator when given), without starting workers. */
  check(simulator?: BlackBoxSimulatorSpec): Promise<NodeReport[]> {
    return checkNodes(
      this.slots.map((s) => s.settings),
      this.connect,
      simulator,
    );
  }

  /**
   * Check once per session that the node can run the job's command
   * simulator; until the verdict is in, the node gets no batch of that job,
   * and a node that cannot is excluded (reported as an `excluded` event).
   */
  private checkSimulator(slot: Slot, requirement: SimulatorRequirement): void {
    const session = slot.session;
    if (!session?.alive || slot.checking.has(requirement.key) || slot.verdicts.has(requirement.key)) return;
    slot.checking.add(requirement.key);
    void checkSimulatorOnNode(session.connection, requirement)
      .catch((error: unknown) => asRemoteError(slot.label, error))
      .then((verdict) => {
        slot.checking.delete(requirement.key);
        if (slot.session !== session) return;
        slot.verdicts.set(requirement.key, verdict);
        if (verdict) this.onNodeEvent({ type: 'excluded', node: slot.label, error: verdict });
      })
      .finally(() => this.run?.pump());
  }

  /** Bring every node up (connect, check, deploy, start its worker); resolves when each is up or has failed. */
  async start(): Promise<Array<{ node: string; ok: boolean; error?: RemoteNodeError }>> {
    await Promise.all(this.slots.map((slot) => this.startSlot(slot)));
    return this.slots.map((s) => ({ node: s.label, ok: !!s.session?.alive, ...(s.session?.alive ? {} : { error: s.lastError ?? undefined }) }));
  }

  private startSlot(slot: Slot): Promise<void> {
    if (slot.session?.alive) return Promise.resolve();
    slot.starting ??= (async () => {
      try {
        const { session, workers, nodeVersion, uploaded, remoteFile } = await this.launch(slot.settings, this.timing);
        session.attach({
          result: (batchId, packed) => this.run?.result(slot, batchId, packed),
          batchError: (batchId, error) => this.run?.batchError(slot, batchId, error),
          lost: (error) => {
            this.track(session.stop());
            this.onLost(slot, error);
          },
        });
        if (slot.discard) {
          await session.stop();
          return;
        }
        slot.session = session;
        slot.lastError = null;
        this.everReady = true;
        this.onNodeEvent({ type: 'ready', node: slot.label, workers, nodeVersion, uploaded, remoteFile });
      } catch (error) {
        slot.lastError = asRemoteError(slot.label, error);
        this.onNodeEvent({ type: 'unavailable', node: slot.label, error: slot.lastError });
      } finally {
        slot.starting = null;
        slot.discard = false;
      }
      this.run?.pump();
    })();
    return slot.starting;
  }

  /** Workers being killed in the background (a lost node's); close() waits for them. */
  private readonly ending = new Set<Promise<void>>();

  private track(ending: Promise<void>): void {
    this.ending.add(ending);
    void ending.finally(() => this.ending.delete(ending));
  }

  private onLost(slot: Slot, error: RemoteNodeError): void {
    slot.session = null;
    slot.verdicts.clear();
    slot.lastError = error;
    const batches = [...slot.inFlight.values()];
    slot.inFlight.clear();
    this.onNodeEvent({ type: 'lost', node: slot.label, error, redispatched: batches.length });
    for (const b of batches) this.run?.requeue(b);
    this.run?.pump();
  }

  map(job: SimulationJob, trials: readonly Trial[], options: MapOptions = {}): Promise<TrialResult[]> {
    // One run at a time: a second map() waits for the first.
    const result = this.queue.then(() => this.runMap(job, trials, options));
    this.queue = result.catch(() => undefined);
    return result;
  }

  private async runMap(original: SimulationJob, trials: readonly Trial[], options: MapOptions): Promise<TrialResult[]> {
    const { signal, onProgress } = options;
    signal?.throwIfAborted();
    requireApprovedJob(original);
    // A module simulator travels inside the job (content-hashed, stored next to the remote worker).
    const job = inlineModuleSource(original);
    // A command simulator runs only on the nodes that have its program and files.
    let requirement = this.requirements.get(job);
    if (requirement === undefined) {
      requirement = simulatorRequirement(job.simulator);
      this.requirements.set(job, requirement);
    }
    let jobEntry = this.jobIds.get(job);
    if (!jobEntry) {
      jobEntry = { id: this.nextJobId++, json: jsonBytes(job) };
      this.jobIds.set(job, jobEntry);
    }
    const { id: jobId, json } = jobEntry;
    const results: TrialResult[] = new Array(trials.length);
    const position = new Map<number, number>();
    trials.forEach((trial, i) => position.set(trial.index, i));
    const retry: Batch[] = [];
    let next = 0;
    let completed = 0;
    let msPerTrial = NaN;

    const outcome = await new Promise<{ ok: true } | { ok: false; error: unknown }>((settle) => {
      let settled = false;
      const finish = (value: { ok: true } | { ok: false; error: unknown }) => {
        if (settled) return;
        settled = true;
        this.run = null;
        signal?.removeEventListener('abort', onAbort);
        settle(value);
      };
      const onAbort = () => finish({ ok: false, error: signal!.reason });
      const live = () => this.slots.filter((s) => s.session?.alive);
      const key = requirement?.key;
      const verdict = (s: Slot) => (key === undefined ? null : s.verdicts.get(key));
      const run: Run = {
        pump: () => {
          if (settled) return;
          if (completed >= trials.length) return finish({ ok: true });
          const up = live();
          if (requirement) for (const slot of up) this.checkSimulator(slot, requirement);
          const nodes = up.filter((s) => verdict(s) === null);
          if (nodes.length === 0) {
            if (this.slots.some((s) => s.starting) || up.some((s) => verdict(s) === undefined)) return;
            const excluded = this.slots.filter((s) => verdict(s));
            if (excluded.length > 0) {
              const lines = this.slots.map((s) => `  - ${verdict(s)?.message ?? s.lastError?.message ?? `${s.label}: unavailable`}`).join('\n');
              return finish({
                ok: false,
                error: new RemoteNodeError(
                  'all nodes',
                  'simulator-missing',
                  `no SSH node can run the simulator's command ${JSON.stringify(requirement!.spec.command.join(' '))}; ${completed} of ${trials.length} trials done:\n${lines}`,
                  {
                    completed,
                    total: trials.length,
                    nodes: this.slots.map((s) => ({ node: s.label, error: (verdict(s) ?? s.lastError)?.toJSON() })),
                  },
                ),
              });
            }
            const lines = this.slots.map((s) => `  - ${s.lastError?.message ?? `${s.label}: unavailable`}`).join('\n');
            const message = `every SSH node was lost or unavailable; ${completed} of ${trials.length} trials done:\n${lines}`;
            const details = { completed, total: trials.length, nodes: this.slots.map((s) => ({ node: s.label, error: s.lastError?.toJSON() })) };
            return finish({
              ok: false,
              error: this.everReady ? new NodesLostError(message, details) : new RemoteNodeError('all nodes', 'all-lost', message, details),
            });
          }
          const workers = nodes.reduce((n, s) => n + s.session!.threads, 0);
          // Round robin, one batch at a time, up to two batches per thread on each node: the next batch waits there while one runs.
          for (let progress = true; progress && (retry.length > 0 || next < trials.length); ) {
            progress = false;
            for (const slot of nodes) {
              const session = slot.session!;
              if (!session.alive || slot.inFlight.size >= 2 * session.threads) continue;
              let batch = retry.shift();
              if (!batch) {
                if (next >= trials.length) break;
                const size = this.fixedBatchSize ?? nextBatchSize({ msPerTrial, remaining: trials.length - next, workers });
                batch = { id: this.nextBatchId, trials: trials.slice(next, next + size), attempts: 0 };
                this.nextBatchId = this.nextBatchId >= 0xfffffffe ? 1 : this.nextBatchId + 1;
                next += size;
              }
              if (!session.sentJobs.has(jobId)) session.sendJob(jobId, json);
              slot.inFlight.set(batch.id, batch);
              session.sendBatch(batch.id, jobId, packTrials(batch.trials));
              progress = true;
            }
          }
        },
        // Batches of a lost node go first, so the run's tail does not wait for them.
        requeue: (batch) => retry.unshift(batch),
        result: (slot, batchId, packed) => {
          const batch = slot.inFlight.get(batchId);
          if (!batch || settled) return;
          slot.inFlight.delete(batchId);
          const { results: batchResults, elapsedMs } = unpackResults(packed);
          for (const r of batchResults) {
            const at = position.get(r.index);
            if (at === undefined || results[at] !== undefined) continue;
            results[at] = r;
            completed++;
          }
          const perTrial = elapsedMs / Math.max(1, batchResults.length);
          msPerTrial = Number.isNaN(msPerTrial) ? perTrial : 0.7 * msPerTrial + 0.3 * perTrial;
          onProgress?.(completed, trials.length);
          run.pump();
        },
        batchError: (slot, batchId, error) => {
          const batch = slot.inFlight.get(batchId);
          if (!batch || settled) return;
          slot.inFlight.delete(batchId);
          batch.attempts++;
          if (error.retryable && batch.attempts < this.maxAttempts) {
            retry.push(batch);
            return run.pump();
          }
          finish({ ok: false, error: remoteTaskError(error, slot.label) });
        },
      };
      this.run = run;
      signal?.addEventListener('abort', onAbort, { once: true });
      if (signal?.aborted) return onAbort();
      for (const slot of this.slots) void this.startSlot(slot);
      run.pump();
    });

    if (outcome.ok) return results;
    // Failed or cancelled: end the workers still busy with this run's batches, so no remote work goes on.
    for (const s of this.slots) if (s.starting) s.discard = true;
    const busy = this.slots.filter((s) => s.inFlight.size > 0);
    await Promise.all(
      busy.map((s) => {
        s.inFlight.clear();
        const session = s.session;
        s.session = null;
        return session?.stop();
      }),
    );
    throw outcome.error;
  }

  /** End every worker process and close every connection. The pool can be used again (it reconnects). */
  async close(): Promise<void> {
    await this.queue;
    await Promise.all(
      this.slots.map(async (s) => {
        await s.starting;
        const session = s.session;
        s.session = null;
        s.inFlight.clear();
        await session?.stop();
      }),
    );
    await Promise.all(this.ending);
  }

  toJSON(): { kind: string; nodes: NodeSettings[]; maxAttempts: number } {
    // Without secrets: a run's stored configuration must not hold a passphrase.
    return { kind: this.kind, nodes: this.slots.map(({ settings: { passphrase: _, ...rest } }) => rest as NodeSettings), maxAttempts: this.maxAttempts };
  }
}
