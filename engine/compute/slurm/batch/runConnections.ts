import type { ConnectOptions } from '../../ssh/connection.js';
import type { SlurmClient } from '../SlurmClient.js';
import { connectRun } from './remoteControl.js';
import type { RemoteRun, RemoteRunRegistry } from './remoteRuns.js';

/** Connect to a run's login node, do `fn`, disconnect (one command of `sciope remote`). */
export async function withRemoteRun<T>(
  registry: RemoteRunRegistry,
  id: string,
  options: ConnectOptions,
  fn: (client: SlurmClient, run: RemoteRun) => Promise<T>,
): Promise<T> {
  const run = registry.get(id);
  const client = await connectRun(run, options);
  try {
    return await fn(client, run);
  } finally {
    client.connection.close();
  }
}

interface Held {
  readonly client: Promise<SlurmClient>;
  users: number;
  timer: NodeJS.Timeout | null;
}

/**
 * SSH connections to login nodes kept open between calls, one per cluster
 * (host, port, user, credentials, set-up line), closed after `idleMs`
 * without use: the app asks for the status of every remote run every few
 * seconds, and a new SSH handshake per question would cost more than the
 * question. A connection that drops is forgotten and made again on next use.
 */
export class RunConnections {
  private readonly held = new Map<string, Held>();
  private closed = false;

  constructor(private readonly options: { readonly idleMs?: number; readonly connect?: ConnectOptions } = {}) {}

  private static key(run: RemoteRun): string {
    const { host, port, user, privateKey, agent, knownHosts, setup } = run.cluster as Record<string, unknown>;
    return JSON.stringify([host, port ?? 22, user, privateKey ?? null, agent ?? null, knownHosts ?? null, setup ?? null]);
  }

  async use<T>(run: RemoteRun, fn: (client: SlurmClient) => Promise<T>): Promise<T> {
    if (this.closed) throw new Error('the remote-run connections are closed');
    const key = RunConnections.key(run);
    let held = this.held.get(key);
    if (!held) {
      const client = connectRun(run, this.options.connect ?? {});
      const entry: Held = { client, users: 0, timer: null };
      held = entry;
      this.held.set(key, entry);
      client.then(
        (c) => c.connection.client.once('close', () => this.held.get(key) === entry && this.held.delete(key)),
        () => this.held.get(key) === entry && this.held.delete(key),
      );
    }
    const entry = held;
    if (entry.timer) clearTimeout(entry.timer);
    entry.timer = null;
    entry.users++;
    try {
      return await fn(await entry.client);
    } finally {
      entry.users--;
      if (entry.users === 0 && this.held.get(key) === entry) {
        entry.timer = setTimeout(() => this.drop(key, entry), this.options.idleMs ?? 60_000);
        entry.timer.unref();
      }
    }
  }

  private drop(key: string, entry: Held): void {
    if (this.held.get(key) === entry) this.held.delete(key);
    if (entry.timer) clearTimeout(entry.timer);
    entry.client.then(
      (c) => c.connection.close(),
      () => undefined,
    );
  }

  /** Close every connection (the engine is closing). */
  close(): void {
    this.closed = true;
    for (const [key, entry] of [...this.held]) this.drop(key, entry);
  }
}
