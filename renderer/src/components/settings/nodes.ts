/** SSH nodes as the settings table edits them, and as the engine stores them (engine/compute/ssh/nodeSettings). */
export interface NodeRow {
  name: string;
  host: string;
  port: number;
  user: string;
  auth: 'key' | 'agent';
  privateKey: string;
  /** null = one per remote core. */
  workers: number | null;
  nodePath: string;
}

export function emptyNode(): NodeRow {
  return { name: '', host: '', port: 22, user: '', auth: 'key', privateKey: '~/.ssh/id_ed25519', workers: null, nodePath: '' };
}

const str = (v: unknown): string => (typeof v === 'string' ? v : '');

export function rowFromNode(node: Record<string, unknown>): NodeRow {
  const agent = node.agent === true || typeof node.agent === 'string';
  return {
    name: str(node.name),
    host: str(node.host),
    port: typeof node.port === 'number' ? node.port : 22,
    user: str(node.user),
    auth: agent ? 'agent' : 'key',
    privateKey: str(node.privateKey),
    workers: typeof node.workers === 'number' ? node.workers : null,
    nodePath: node.nodePath === 'node' ? '' : str(node.nodePath),
  };
}

/** The node as the engine validates it; empty optional fields are left out so the engine's defaults apply. */
export function nodeFromRow(row: NodeRow): Record<string, unknown> {
  const node: Record<string, unknown> = { host: row.host.trim(), port: row.port, user: row.user.trim() };
  if (row.name.trim()) node.name = row.name.trim();
  if (row.auth === 'agent') node.agent = true;
  else node.privateKey = row.privateKey.trim();
  if (row.workers !== null && Number.isFinite(row.workers)) node.workers = row.workers;
  if (row.nodePath.trim()) node.nodePath = row.nodePath.trim();
  return node;
}

export function nodeLabel(row: NodeRow): string {
  return row.name.trim() || `${row.user || '?'}@${row.host || '?'}:${row.port}`;
}
