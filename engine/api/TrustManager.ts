import { randomInt, timingSafeEqual } from 'node:crypto';
import type { BlackBoxSimulatorSpec } from '../simulate/blackbox/spec.js';
import { parseBlackBoxSpec } from '../simulate/blackbox/spec.js';
import { verifySimulatorFiles, type StoredSimulator } from '../simulate/blackbox/fingerprint.js';
import type { ReactionNetworkInput } from '../model/schema.js';
import type { ProjectStore } from '../store/ProjectStore.js';
import { parseStudy } from '../infer/study.js';
import { ApprovalStore } from '../trust/ApprovalStore.js';
import { clearApprovedInProcess, markApprovedInProcess } from '../trust/approvedInProcess.js';
import { describeForPeople, describeSimulator } from '../trust/describeSimulator.js';
import { ApprovalCodeError, UntrustedSimulatorError } from '../trust/errors.js';
import type { ApprovalChannel, ApprovalRequest, SimulatorDescription } from '../trust/types.js';
import type { TrustListItem, TrustRequestResult } from './contract.js';
import { ApiStateError } from './wire.js';

/** How long a code printed by `sciope serve` stays valid, and how many wrong tries it survives. */
const CODE_LIFETIME_MS = 10 * 60_000;
const CODE_ATTEMPTS = 5;

interface PendingCode {
  readonly code: string;
  readonly scope: string;
  readonly expires: number;
  attempts: number;
}

/**
 * The EngineService's side of the trust model (engine/trust): which
 * simulators of the open project are approved, asking the person through
 * the front door's channel, and refusing the rest before anything runs.
 */
export class TrustManager {
  private readonly approvals: ApprovalStore;
  private readonly pending = new Map<string, PendingCode>();

  constructor(
    configDir: string,
    private readonly channel: ApprovalChannel | undefined,
  ) {
    this.approvals = new ApprovalStore(configDir);
  }

  /** Throws UntrustedSimulatorError unless `spec`'s exact content is approved for `scope`; marks it for the executors when it is. */
  require(spec: BlackBoxSimulatorSpec | undefined, scope: string): void {
    if (!spec) return;
    const description = describeSimulator(spec);
    if (!this.approvals.isApproved(scope, description.fingerprint)) throw new UntrustedSimulatorError(scope, description, this.advice());
    markApprovedInProcess(description.fingerprint);
  }

  /**
   * The model (or black-box simulator) part of a job for a stored model,
   * once its simulator is approved for `scope`: throws
   * UntrustedSimulatorError (nothing run) otherwise.
   */
  trustedJobBase(
    record: { readonly format: string; readonly source: string; readonly parsed: unknown },
    scope: string,
  ): { model: ReactionNetworkInput; simulator?: BlackBoxSimulatorSpec } {
    const model = record.parsed as ReactionNetworkInput;
    if (record.format !== 'simulator') return { model };
    const simulator = parseBlackBoxSpec(JSON.parse(record.source));
    this.require(simulator, scope);
    return { model, simulator };
  }

  private advice(): string {
    if (this.channel?.kind === 'dialog') return 'Review what it runs and approve it in the app (Model view).';
    if (this.channel?.kind === 'code') return 'Review what it runs and approve it in the app with the code that `sciope serve` prints in its terminal.';
    return 'Review what it runs, then approve it with `sciope trust approve <project>` (or pass --trust).';
  }

  /** Every black-box simulator the project holds (its models and its runs' recorded simulators), with approval state. */
  list(store: ProjectStore): TrustListItem[] {
    const scope = store.path;
    const found = new Map<string, TrustListItem>();
    const add = (spec: unknown, usedBy: string) => {
      let description: SimulatorDescription;
      try {
        description = describeSimulator(parseBlackBoxSpec(spec, usedBy));
      } catch (error) {
        found.set(`error:${usedBy}`, {
          fingerprint: null,
          usedBy: [usedBy],
          approved: false,
          description: null,
          text: null,
          problem: (error as Error).message,
        });
        return;
      }
      const existing = found.get(description.fingerprint);
      if (existing) {
        (existing.usedBy as string[]).push(usedBy);
        return;
      }
      found.set(description.fingerprint, {
        fingerprint: description.fingerprint,
        usedBy: [usedBy],
        approved: this.approvals.isApproved(scope, description.fingerprint),
        description,
        text: describeForPeople(description, scope),
        problem: null,
      });
    };
    for (const model of store.listModels()) {
      if (model.format !== 'simulator') continue;
      const record = store.getModel(model.id);
      if (record) add(safeJson(record.source), `model "${model.name}"`);
    }
    for (const run of store.listRuns()) {
      const stored = (run.options as { simulator?: StoredSimulator } | undefined)?.simulator;
      if (stored?.spec) add(stored.spec, `run ${run.id}`);
    }
    return [...found.values()];
  }

  /** Ask the person to approve the simulator `fingerprint` of the open project, through the front door's channel. */
  async request(store: ProjectStore, fingerprint: string): Promise<TrustRequestResult> {
    const item = this.find(store, fingerprint);
    const request: ApprovalRequest = { scope: store.path, description: item.description!, text: item.text! };
    if (this.channel?.kind === 'dialog') {
      const approved = await this.channel.confirm(request);
      if (approved) this.record(request);
      return { approved, via: 'dialog' };
    }
    if (this.channel?.kind === 'code') {
      const code = String(randomInt(0, 100_000_000)).padStart(8, '0');
      this.pending.set(fingerprint, { code, scope: store.path, expires: Date.now() + CODE_LIFETIME_MS, attempts: 0 });
      this.channel.announce(request, `${code.slice(0, 4)}-${code.slice(4)}`);
      return { approved: false, via: 'code' };
    }
    throw new ApiStateError('NO_APPROVAL_CHANNEL', `approvals cannot be given through this door; run \`sciope trust approve ${store.path}\` in a terminal`);
  }

  /** Web mode: approve with the code `sciope serve` printed for this simulator. */
  approveWithCode(store: ProjectStore, fingerprint: string, code: string): void {
    const pending = this.pending.get(fingerprint);
    if (!pending || pending.scope !== store.path)
      throw new ApprovalCodeError('no approval was requested for this simulator (or the project changed since): ask again');
    if (Date.now() > pending.expires) {
      this.pending.delete(fingerprint);
      throw new ApprovalCodeError('the approval code expired: ask again');
    }
    const given = Buffer.from(code.replace(/[\s-]/g, ''));
    const expected = Buffer.from(pending.code);
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
      pending.attempts += 1;
      if (pending.attempts >= CODE_ATTEMPTS) this.pending.delete(fingerprint);
      throw new ApprovalCodeError(
        pending.attempts >= CODE_ATTEMPTS
          ? 'wrong approval code, too many tries: ask again'
          : 'wrong approval code: type the code that `sciope serve` printed in its terminal',
      );
    }
    this.pending.delete(fingerprint);
    const item = this.find(store, fingerprint);
    this.record({ scope: store.path, description: item.description!, text: item.text! });
  }

  revoke(store: ProjectStore, fingerprint: string): number {
    clearApprovedInProcess(fingerprint);
    return this.approvals.revoke(store.path, fingerprint);
  }

  private record(request: ApprovalRequest): void {
    this.approvals.approve(request.scope, request.description);
    markApprovedInProcess(request.description.fingerprint);
  }

  /** The simulator `fingerprint` as the project holds it now (files re-hashed: a file changed since it was listed no longer matches). */
  private find(store: ProjectStore, fingerprint: string): TrustListItem {
    const item = this.list(store).find((i) => i.fingerprint === fingerprint);
    if (!item || !item.description) {
      throw new ApiStateError(
        'NOT_FOUND',
        'this project has no simulator with that fingerprint (a file it runs may have changed since it was shown): list the simulators again',
        { fingerprint },
      );
    }
    return item;
  }
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}

/**
 * The simulator a resumed run will run: the one its run recorded (see
 * store/resume.ts), else its study's; undefined for a reaction network.
 */
export function runSimulatorSpec(store: ProjectStore, runId: number): BlackBoxSimulatorSpec | undefined {
  const run = store.getRun(runId);
  if (!run) return undefined;
  const stored = (run.options as { simulator?: StoredSimulator } | undefined)?.simulator;
  if (stored?.spec) {
    // A changed file is said as such (SimulatorChangedError, naming it), before approval is even asked.
    verifySimulatorFiles(stored.files, `run ${runId}`);
    return parseBlackBoxSpec(stored.spec, `run ${runId}: stored simulator`);
  }
  const study = store.getStudy(run.studyId);
  return study ? parseStudy(study.config, study.source).simulator : undefined;
}
