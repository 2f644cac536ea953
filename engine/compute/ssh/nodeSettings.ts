import { readFileSync } from 'node:fs';
import { dirname, isAbsolute, resolve } from 'node:path';
import { z } from 'zod';
import { EngineError, type ValidationIssue } from '../../errors/index.js';
import { expandHome } from '../../paths/index.js';
import { zodIssues } from '../../errors/zodIssues.js';

/**
 * Settings of the remote nodes of an SSH pool, validated at the boundary.
 *
 * A nodes file is either an array of nodes or `{ "knownHosts"?: path, "nodes": [...] }`:
 *
 *     { "nodes": [{ "host": "compute1.lab", "user": "ana", "privateKey": "~/.ssh/id_ed25519", "workers": 8 }] }
 *
 * Authentication is a private key file (OpenSSH or PEM; `passphrase` for an
 * encrypted one) or an ssh-agent (`"agent": true` uses $SSH_AUTH_SOCK, or a
 * socket path). `workers` defaults to the node's cores. `nodePath` is how
 * Node is started on the node (default `node` on the non-interactive PATH of
 * the login; give an absolute path, e.g. for an nvm install, when it is not
 * there). `remoteDir` is where the worker bundle is cached (`~` is the home).
 */
export class NodeSettingsError extends EngineError {
  readonly issues: ValidationIssue[];

  constructor(issues: ValidationIssue[], source?: string) {
    const where = source ? `${source}: ` : '';
    super(
      'NODE_SETTINGS',
      `${where}invalid node settings (${issues.length} problem${issues.length === 1 ? '' : 's'}):\n${issues.map((i) => `  ${i.path}: ${i.message}`).join('\n')}`,
      {
        source,
        issues,
      },
    );
    this.issues = issues;
  }
}

const text = (what: string) => z.string({ error: `expected ${what} (a string)` }).min(1, { error: `expected ${what}, got an empty string` });

export const nodeSettingsSchema = z
  .object({
    name: text('a display name').optional(),
    host: text('a host name or address'),
    port: z
      .number({ error: 'expected a port number' })
      .int({ error: 'expected an integer port' })
      .min(1, { error: 'expected a port between 1 and 65535' })
      .max(65535, { error: 'expected a port between 1 and 65535' })
      .default(22),
    user: text('a user name'),
    privateKey: text('the path of a private key file').optional(),
    agent: z.union([z.literal(true), text('an ssh-agent socket path')], { error: 'expected true (use $SSH_AUTH_SOCK) or an ssh-agent socket path' }).optional(),
    passphrase: z.string({ error: 'expected the passphrase as a string' }).optional(),
    workers: z
      .number({ error: 'expected a number of worker threads' })
      .int({ error: 'expected an integer' })
      .min(1, { error: 'expected at least 1 worker' })
      .max(1024, { error: 'expected at most 1024 workers' })
      .optional(),
    remoteDir: text('a remote directory').default('~/.cache/sciope'),
    nodePath: text('the remote node command').default('node'),
  })
  .strict()
  .superRefine((node, ctx) => {
    if (node.privateKey === undefined && node.agent === undefined)
      ctx.addIssue({ code: 'custom', path: [], message: 'expected "privateKey" (a key file path) or "agent" (true or a socket path) to authenticate' });
    if (node.privateKey !== undefined && node.agent !== undefined)
      ctx.addIssue({ code: 'custom', path: ['agent'], message: 'give either "privateKey" or "agent", not both' });
  });

export type NodeSettingsInput = z.input<typeof nodeSettingsSchema>;
export type NodeSettings = z.output<typeof nodeSettingsSchema>;

const nodeList = z.array(nodeSettingsSchema, { error: 'expected an array of nodes' }).min(1, { error: 'expected at least one node' });
const nodesFileSchema = z.object({ knownHosts: text('the path of a known_hosts file').optional(), nodes: nodeList }).strict();

export interface NodesFile {
  readonly nodes: NodeSettings[];
  readonly knownHosts?: string;
}

/** How a node is named in messages: its name, or user@host:port. */
export function nodeLabel(node: Pick<NodeSettings, 'name' | 'user' | 'host' | 'port'>): string {
  return node.name ?? `${node.user}@${node.host}:${node.port ?? 22}`;
}

/** `~/x` → the local home; relative paths against `base`. */
export function localPath(path: string, base = process.cwd()): string {
  const expanded = expandHome(path);
  return isAbsolute(expanded) ? expanded : resolve(base, expanded);
}

function issuesOf(prefix: string, error: z.ZodError): ValidationIssue[] {
  return zodIssues(error, { prefix });
}

/**
 * Validate one node's settings (e.g. from the UI); throws NodeSettingsError
 * naming every bad field. The local paths a person typed (the key, an agent
 * socket) get `~` expanded; `remoteDir` is remote and keeps its `~`.
 */
export function parseNodeSettings(value: unknown, source = 'node'): NodeSettings {
  const parsed = nodeSettingsSchema.safeParse(value);
  if (!parsed.success) throw new NodeSettingsError(issuesOf(source, parsed.error));
  const node = parsed.data;
  return {
    ...node,
    ...(node.privateKey !== undefined ? { privateKey: expandHome(node.privateKey) } : {}),
    ...(typeof node.agent === 'string' ? { agent: expandHome(node.agent) } : {}),
  };
}

/**
 * Validate a nodes file's content; key and known_hosts paths are resolved
 * against `baseDir` (the file's folder) and `~`.
 */
export function parseNodesFile(value: unknown, source?: string, baseDir = process.cwd()): NodesFile {
  if (value === null || typeof value !== 'object')
    throw new NodeSettingsError([{ path: 'nodes', message: 'expected an array of nodes or {"nodes": [...]}' }], source);
  const parsed = Array.isArray(value) ? nodeList.safeParse(value) : nodesFileSchema.safeParse(value);
  if (!parsed.success) throw new NodeSettingsError(issuesOf(Array.isArray(value) ? 'nodes' : '', parsed.error), source);
  const file = Array.isArray(parsed.data) ? { nodes: parsed.data } : parsed.data;
  return {
    nodes: file.nodes.map((n) => ({ ...n, ...(n.privateKey ? { privateKey: localPath(n.privateKey, baseDir) } : {}) })),
    ...('knownHosts' in file && file.knownHosts ? { knownHosts: localPath(file.knownHosts, baseDir) } : {}),
  };
}

/** Read and validate a nodes JSON file. */
export function loadNodesFile(file: string): NodesFile {
  let value: unknown;
  try {
    value = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new NodeSettingsError([{ path: 'file', message: (error as Error).message }], file);
  }
  return parseNodesFile(value, file, dirname(resolve(file)));
}
