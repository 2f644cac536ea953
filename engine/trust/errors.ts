import { EngineError } from '../errors/index.js';
import type { SimulatorDescription } from './types.js';

/**
 * A black-box simulator that nobody at this machine approved for this
 * project or study: nothing was run. `details` carry what would run, so a
 * front door can show it and ask.
 */
export class UntrustedSimulatorError extends EngineError {
  constructor(
    readonly scope: string,
    readonly description: SimulatorDescription,
    advice: string,
  ) {
    const what =
      description.kind === 'command' ? `the command ${JSON.stringify(description.command!.join(' ')).slice(0, 300)}` : `the module ${description.module}`;
    super('SIMULATOR_NOT_APPROVED', `${scope}: its simulator runs ${what}, which has not been approved on this computer; nothing was run. ${advice}`, {
      scope,
      fingerprint: description.fingerprint,
      description,
    });
  }
}

/** A wrong, expired or used approval code (web mode). */
export class ApprovalCodeError extends EngineError {
  constructor(message: string) {
    super('APPROVAL_CODE', message);
  }
}
