/** The SLURM cluster as the settings form edits it, and as the engine stores it (engine/compute/slurm/slurmSettings). */
export interface SlurmForm {
  host: string;
  port: number;
  user: string;
  auth: 'key' | 'agent';
  privateKey: string;
  partition: string;
  account: string;
  /** SLURM's --time: minutes, HH:MM:SS or D-HH:MM:SS. */
  time: string;
  tasks: number;
  cpusPerTask: number;
  remoteDir: string;
  setup: string;
}

export function emptySlurm(): SlurmForm {
  return {
    host: '',
    port: 22,
    user: '',
    auth: 'key',
    privateKey: '~/.ssh/id_ed25519',
    partition: '',
    account: '',
    time: '01:00:00',
    tasks: 4,
    cpusPerTask: 1,
    remoteDir: '',
    setup: '',
  };
}

const str = (v: unknown): string => (typeof v === 'string' ? v : typeof v === 'number' ? String(v) : '');
const int = (v: unknown, fallback: number): number => (typeof v === 'number' && Number.isInteger(v) ? v : fallback);

export function formFromSlurm(cluster: Record<string, unknown> | null): SlurmForm {
  if (!cluster) return emptySlurm();
  return {
    host: str(cluster.host),
    port: int(cluster.port, 22),
    user: str(cluster.user),
    auth: cluster.agent === true || typeof cluster.agent === 'string' ? 'agent' : 'key',
    privateKey: str(cluster.privateKey),
    partition: str(cluster.partition),
    account: str(cluster.account),
    time: str(cluster.time),
    tasks: int(cluster.tasks, 1),
    cpusPerTask: int(cluster.cpusPerTask, 1),
    remoteDir: cluster.remoteDir === '~/.cache/sciope' ? '' : str(cluster.remoteDir),
    setup: str(cluster.setup),
  };
}

/** The cluster as the engine validates it; empty optional fields are left out so the engine's defaults apply. */
export function slurmFromForm(form: SlurmForm): Record<string, unknown> {
  const cluster: Record<string, unknown> = {
    host: form.host.trim(),
    port: form.port,
    user: form.user.trim(),
    time: form.time.trim(),
    tasks: form.tasks,
    cpusPerTask: form.cpusPerTask,
  };
  if (form.auth === 'agent') cluster.agent = true;
  else cluster.privateKey = form.privateKey.trim();
  for (const key of ['partition', 'account', 'remoteDir', 'setup'] as const) if (form[key].trim()) cluster[key] = form[key].trim();
  return cluster;
}
