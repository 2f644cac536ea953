import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { EngineError } from '../../../errors/index.js';
import type { BlackBoxSimulatorSpec } from '../../../simulate/blackbox/spec.js';
import { describeSimulator } from '../../../trust/describeSimulator.js';
import { zodIssues } from '../../../errors/zodIssues.js';

/**
 * `manifest.json` of a remote run, written by the laptop next to the
 * uploaded study: what the job's coordinator (`sciope remote coordinate`)
 * runs, in which project, and which simulator content the person at the
 * laptop approved. Paths are relative to the run's folder.
 */
const approvedFile = z.strictObject({ role: z.enum(['module', 'program', 'argument']), sha256: z.string().regex(/^[0-9a-f]{64}$/), path: z.string().min(1) });

const approvedSimulatorSchema = z.strictObject({
  kind: z.enum(['module', 'command']),
  /** The fingerprint approved on the laptop (its paths are the laptop's; shown in messages). */
  fingerprint: z.string(),
  command: z.array(z.string()).optional(),
  env: z.record(z.string(), z.string()).optional(),
  files: z.array(approvedFile),
});

export const manifestSchema = z.strictObject({
  format: z.literal(1),
  /** The remote-run id the laptop records (see remoteRuns.ts). */
  id: z.string().regex(/^[a-z0-9-]+$/),
  study: z.string(),
  project: z.string(),
  seed: z.number().int().min(0),
  populationSize: z.number().int().optional(),
  maxGenerations: z.number().int().optional(),
  /** Threads per srun worker (the job's --cpus-per-task). */
  cpusPerTask: z.number().int().min(1),
  simulator: approvedSimulatorSchema.optional(),
});

export type RunManifest = z.infer<typeof manifestSchema>;
export type ApprovedSimulator = z.infer<typeof approvedSimulatorSchema>;

export class ManifestError extends EngineError {
  constructor(file: string, message: string) {
    super('REMOTE_RUN_MANIFEST', `${file}: ${message}`, { file });
  }
}

export function readManifest(file: string): RunManifest {
  let value: unknown;
  try {
    value = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new ManifestError(file, `cannot read the run's manifest: ${(error as Error).message}`);
  }
  const parsed = manifestSchema.safeParse(value);
  if (!parsed.success)
    throw new ManifestError(
      file,
      `invalid manifest: ${zodIssues(parsed.error, { whole: '(manifest)' })
        .map((i) => `${i.path}: ${i.message}`)
        .join('; ')}`,
    );
  return parsed.data;
}

const sameJson = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

/**
 * The cluster's side of the trust rule: the simulator the uploaded study
 * names (its paths on the cluster) must run exactly the content approved on
 * the laptop: the same kind, command and environment, and the same files in
 * the same roles with the same SHA-256. Throws naming the first difference;
 * nothing has run. A study without an approved simulator must have none.
 */
export function verifyApprovedSimulator(spec: BlackBoxSimulatorSpec | undefined, approved: ApprovedSimulator | undefined, where: string): void {
  if (!spec && !approved) return;
  const refuse = (what: string) => {
    throw new ManifestError(
      where,
      `the simulator on the cluster is not the one approved on your computer (${what}); nothing was run. Submit the run again from your computer.`,
    );
  };
  if (!spec || !approved) return refuse(spec ? 'the run carries no approval for it' : 'the study names no simulator');
  const here = describeSimulator(spec);
  if (here.kind !== approved.kind) refuse(`a ${here.kind} instead of a ${approved.kind}`);
  if (approved.kind === 'command') {
    if (!sameJson(here.command, approved.command)) refuse(`command ${JSON.stringify(here.command)} instead of ${JSON.stringify(approved.command)}`);
    if (!sameJson(here.env ?? {}, approved.env ?? {})) refuse('a different environment');
  }
  if (here.files.length !== approved.files.length) refuse(`${here.files.length} files instead of ${approved.files.length}`);
  here.files.forEach((file, i) => {
    const expected = approved.files[i];
    if (file.role !== expected.role || file.sha256 !== expected.sha256)
      refuse(`${file.path} has SHA-256 ${file.sha256}, approved ${expected.sha256} for ${expected.path}`);
  });
}
