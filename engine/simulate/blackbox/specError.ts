import { EngineError } from '../../errors/index.js';

/**
 * An invalid black-box simulator description, with every issue. In its own
 * module, apart from spec.ts's zod schemas, so that what only fingerprints
 * a spec (the trust check every executor runs) loads without zod.
 */
export class BlackBoxSpecError extends EngineError {
  constructor(
    readonly source: string,
    readonly issues: ReadonlyArray<{ path: string; message: string }>,
  ) {
    super('BLACKBOX_SPEC', `${source}: invalid simulator: ${issues.map((i) => `${i.path}: ${i.message}`).join('; ')}`, { source, issues });
  }
}
