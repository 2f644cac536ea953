import { RemoteNodeError } from '../../errors/index.js';
import { keyTypeLabel } from './knownHosts.js';
import { connectNode, shellQuote, type ConnectOptions, type NodeConnection } from './connection.js';
import { nodeLabel, parseNodeSettings, type NodeSettingsInput } from './nodeSettings.js';
import { checkSimulatorOnNode, simulatorRequirement } from './simulatorCheck.js';
import type { BlackBoxSimulatorSpec } from '../../simulate/blackbox/spec.js';
import { simulatorFiles } from '../../simulate/blackbox/fingerprint.js';

/** The remote worker is bundled for this Node major and later. */
export const MIN_NODE_MAJOR = 20;

export interface NodeFacts {
  /** e.g. `v20.19.2` */
  readonly nodeVersion: string;
  /** Online cores (nproc, else getconf); null when neither answered. */
  readonly cores: number | null;
  /** Threads the worker will run: the `workers` setting, else the cores. */
  readonly workers: number;
}

export interface NodeReport {
  readonly node: string;
  readonly ok: boolean;
  /** The verified host key, e.g. `ED25519 SHA256:...` */
  readonly hostKey?: string;
  readonly nodeVersion?: string;
  readonly cores?: number | null;
  readonly workers?: number;
  /** Connection set-up time (TCP, key exchange, authentication). */
  readonly connectMs?: number;
  /**
   * When a black-box simulator was given: `ok` (a command found, with its
   * files), `missing` (see the error), `shipped` (a module: it travels with
   * the job, nothing to check on the node).
   */
  readonly simulator?: 'ok' | 'missing' | 'shipped';
  readonly error?: RemoteNodeError;
}

/** Check Node (present, recent enough) and count cores over an open connection. */
export async function inspectNode(connection: NodeConnection): Promise<NodeFacts> {
  const { node, label } = connection;
  const [version, cores] = await Promise.all([
    connection.exec(`${shellQuote(node.nodePath)} --version`),
    connection.exec('nproc 2>/dev/null || getconf _NPROCESSORS_ONLN 2>/dev/null'),
  ]);
  const said = (version.stderr || version.stdout).trim().split('\n').at(-1) ?? '';
  if (version.code === 127 || version.code === 126) {
    const where =
      node.nodePath === 'node'
        ? "on the PATH of a non-interactive SSH login (which does not read ~/.profile, nor nvm's set-up in most shells)"
        : `at "${node.nodePath}"`;
    throw new RemoteNodeError(
      label,
      'node-missing',
      `${label}: Node.js was not found ${where}${said ? ` (${said})` : ''}. Install Node.js >= ${MIN_NODE_MAJOR} on the node, or set "nodePath" in the node's settings to the absolute path of its node binary (e.g. the output of "command -v node" in a login shell there).`,
      { nodePath: node.nodePath, exitCode: version.code, output: said },
    );
  }
  const match = /^v(\d+)\.(\d+)\.(\d+)/.exec(version.stdout.trim());
  if (version.code !== 0 || !match) {
    throw new RemoteNodeError(
      label,
      'node-missing',
      `${label}: "${node.nodePath} --version" failed (exit ${version.code ?? 'signal'}): ${said || '(no output)'}`,
      { nodePath: node.nodePath, exitCode: version.code, output: said },
    );
  }
  if (Number(match[1]) < MIN_NODE_MAJOR) {
    throw new RemoteNodeError(
      label,
      'node-too-old',
      `${label}: Node.js ${match[0]} is too old; the worker needs Node.js >= ${MIN_NODE_MAJOR}. Upgrade it on the node, or set "nodePath" to a newer node binary.`,
      { nodePath: node.nodePath, nodeVersion: match[0] },
    );
  }
  const count = Number.parseInt(cores.stdout.trim(), 10);
  const known = cores.code === 0 && Number.isInteger(count) && count > 0 ? count : null;
  return { nodeVersion: match[0], cores: known, workers: node.workers ?? known ?? 1 };
}

/**
 * Pre-flight every node in parallel: connect (host key verified), Node
 * version, cores and, given a black-box simulator, that the node can run
 * it (see simulatorCheck). Throws NodeSettingsError for invalid settings,
 * BlackBoxSpecError for an unreadable local module; a node that fails its
 * checks does not throw: its report holds the error.
 */
export async function checkNodes(nodes: readonly NodeSettingsInput[], options: ConnectOptions = {}, simulator?: BlackBoxSimulatorSpec): Promise<NodeReport[]> {
  const settings = nodes.map((n, i) => parseNodeSettings(n, `nodes[${i}]`));
  const requirement = simulatorRequirement(simulator);
  // A module is shipped with the job: it only has to be readable here.
  if (simulator?.kind === 'module') simulatorFiles(simulator);
  const simulatorStatus = simulator === undefined ? {} : { simulator: requirement ? ('ok' as const) : ('shipped' as const) };
  return Promise.all(
    settings.map(async (node): Promise<NodeReport> => {
      const label = nodeLabel(node);
      const started = performance.now();
      let connection: NodeConnection | null = null;
      try {
        connection = await connectNode(node, options);
        const connectMs = performance.now() - started;
        try {
          const facts = await inspectNode(connection);
          const missing = requirement ? await checkSimulatorOnNode(connection, requirement) : null;
          if (missing) return { node: label, ok: false, hostKey: connection.hostKey, connectMs, ...facts, simulator: 'missing', error: missing };
          return { node: label, ok: true, hostKey: connection.hostKey, connectMs, ...facts, ...simulatorStatus };
        } catch (error) {
          return { node: label, ok: false, hostKey: connection.hostKey, connectMs, error: asRemoteError(label, error) };
        }
      } catch (error) {
        const failure = asRemoteError(label, error);
        // An unknown or changed key: show what the server offered, to compare with the node's administrator.
        const offered = failure.details.fingerprint
          ? { hostKey: `${keyTypeLabel(String(failure.details.keyType))} ${String(failure.details.fingerprint)} (not trusted)` }
          : {};
        return { node: label, ok: false, ...offered, error: failure };
      } finally {
        connection?.close();
      }
    }),
  );
}

export function asRemoteError(label: string, error: unknown): RemoteNodeError {
  return error instanceof RemoteNodeError ? error : new RemoteNodeError(label, 'connect', `${label}: ${(error as Error)?.message ?? String(error)}`);
}
