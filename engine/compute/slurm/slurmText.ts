/**
 * Parsers for what SLURM's commands print (the formats asked for with -o),
 * kept apart from the SSH plumbing so they are tested on plain strings.
 */

/** One row of `sinfo -h -o '%P|%a|%l|%c|%D|%T'`: partition, availability, time limit, CPUs per node, nodes, node state. */
export interface PartitionRow {
  readonly partition: string;
  /** The default partition (sinfo marks it with `*`). */
  readonly isDefault: boolean;
  readonly up: boolean;
  /** Time limit in seconds; null for `infinite`. */
  readonly timeLimitS: number | null;
  readonly cpusPerNode: number;
  readonly nodes: number;
  /** e.g. idle, mixed, allocated, down, drained */
  readonly state: string;
}

export const SINFO_FORMAT = '%P|%a|%l|%c|%D|%T';

export function parseSinfo(text: string): PartitionRow[] {
  return text
    .split('\n')
    .map((line) => line.trim())
    .filter(Boolean)
    .map((line) => {
      const [partition = '', avail = '', limit = '', cpus = '', nodes = '', state = ''] = line.split('|');
      return {
        partition: partition.replace(/\*$/, ''),
        isDefault: partition.endsWith('*'),
        up: avail === 'up',
        timeLimitS: parseSlurmTime(limit),
        // Heterogeneous partitions print a range such as 16-64: the largest node counts for the limit.
        cpusPerNode: Math.max(...cpus.split(/[-+]/).map(Number).filter(Number.isFinite), 0),
        nodes: Number(nodes) || 0,
        state: state.replace(/[*~#!%$@^-]+$/, ''),
      };
    });
}

/** SLURM's --time formats (minutes, MM:SS, HH:MM:SS, D-HH[:MM[:SS]]); a bare number is minutes. */
export const SLURM_TIME = /^(\d+-\d{1,2}(:\d{1,2}){0,2}|\d+(:\d{1,2}){0,2})$/;

/**
 * Seconds of a SLURM time: minutes, MM:SS, HH:MM:SS, D-HH, D-HH:MM or
 * D-HH:MM:SS (sbatch's --time, sinfo's %l); null for infinite/unlimited
 * or anything else.
 */
export function parseSlurmTime(text: string): number | null {
  const time = text.trim();
  const days = /^(\d+)-(\d+)(?::(\d+))?(?::(\d+))?$/.exec(time);
  if (days) return Number(days[1]) * 86400 + Number(days[2]) * 3600 + Number(days[3] ?? 0) * 60 + Number(days[4] ?? 0);
  const parts = /^\d+(:\d+){0,2}$/.test(time) ? time.split(':').map(Number) : null;
  if (!parts) return null;
  if (parts.length === 1) return parts[0]! * 60;
  if (parts.length === 2) return parts[0]! * 60 + parts[1]!;
  return parts[0]! * 3600 + parts[1]! * 60 + parts[2]!;
}

/** `sbatch --parsable` prints `jobid` or `jobid;cluster`. */
export function parseSbatchJobId(text: string): string | null {
  const match = /^(\d+)(;\S+)?$/m.exec(text.trim());
  return match ? match[1]! : null;
}

/** `sbatch --version` prints `slurm 22.05.8` (or `slurm-wlm 22.05.8`). */
export function parseSlurmVersion(text: string): string | null {
  return /^slurm(?:-wlm)?\s+(\d+\.\d+(?:\.\d+)?\S*)/m.exec(text.trim())?.[1] ?? null;
}

export const SQUEUE_JOB_FORMAT = '%T|%r|%N';

/** One job's line of `squeue -h -j <id> -o '%T|%r|%N'`: state, reason, node list. */
export interface JobState {
  readonly state: string;
  readonly reason: string;
  readonly nodes: string;
}

export function parseJobState(text: string): JobState | null {
  const line = text.split('\n').find((l) => l.trim());
  if (!line) return null;
  const [state = '', reason = '', nodes = ''] = line.trim().split('|');
  return { state, reason, nodes };
}

export const SQUEUE_STEP_FORMAT = '%i|%j';

/** `squeue -h -s -j <id> -o '%i|%j'`: the job's steps, `jobid.stepid` and name. */
export function parseSteps(text: string): Array<{ id: string; name: string }> {
  return text
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean)
    .map((l) => {
      const [id = '', name = ''] = l.split('|');
      return { id, name };
    });
}
