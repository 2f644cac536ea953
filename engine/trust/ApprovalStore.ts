import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import type { SimulatorDescription } from './types.js';

/**
 * The simulators the person at this machine approved, per project or study
 * file and per exact content (fingerprint). Kept in the user's config folder
 * (approvals.json), never in a project: a project someone sends carries no
 * approvals, and editing a project cannot add one.
 */
const approvalSchema = z.object({
  scope: z.string(),
  fingerprint: z.string().regex(/^[0-9a-f]{64}$/),
  approvedAt: z.string(),
  /** What was shown when it was approved (for `sciope trust list` and the app). */
  description: z.record(z.string(), z.unknown()),
});
const fileSchema = z.object({ version: z.literal(1), approvals: z.array(approvalSchema) });

export type Approval = z.output<typeof approvalSchema>;

export class ApprovalStore {
  readonly file: string;

  constructor(configDir: string) {
    this.file = join(configDir, 'approvals.json');
  }

  /**
   * Read on every question rather than cached: the CLI, `sciope serve` and
   * the app may share the folder, and a revocation made in one must hold in
   * the others at once. A damaged file approves nothing.
   */
  list(scope?: string): Approval[] {
    let approvals: Approval[];
    try {
      const parsed = fileSchema.safeParse(JSON.parse(readFileSync(this.file, 'utf8')));
      approvals = parsed.success ? parsed.data.approvals : [];
    } catch {
      approvals = [];
    }
    return scope === undefined ? approvals : approvals.filter((a) => a.scope === scope);
  }

  isApproved(scope: string, fingerprint: string): boolean {
    return this.list().some((a) => a.scope === scope && a.fingerprint === fingerprint);
  }

  approve(scope: string, description: SimulatorDescription): void {
    const others = this.list().filter((a) => !(a.scope === scope && a.fingerprint === description.fingerprint));
    this.write([...others, { scope, fingerprint: description.fingerprint, approvedAt: new Date().toISOString(), description: { ...description } }]);
  }

  /** Remove an approval (every approval of `scope` when no fingerprint); returns how many were removed. */
  revoke(scope: string, fingerprint?: string): number {
    const all = this.list();
    const kept = all.filter((a) => !(a.scope === scope && (fingerprint === undefined || a.fingerprint === fingerprint)));
    if (kept.length !== all.length) this.write(kept);
    return all.length - kept.length;
  }

  private write(approvals: Approval[]): void {
    mkdirSync(join(this.file, '..'), { recursive: true, mode: 0o700 });
    const temporary = `${this.file}.${process.pid}.tmp`;
    // Readable by the user only: it decides what code may run as them.
    writeFileSync(temporary, JSON.stringify({ version: 1, approvals }, null, 2), { mode: 0o600 });
    renameSync(temporary, this.file);
  }
}
