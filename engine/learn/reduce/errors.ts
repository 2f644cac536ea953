import { EngineError } from '../../errors/index.js';

/**
 * Input a learning routine cannot use (empty matrix, ragged rows, no
 * informative column, bad option); `field` names the argument or option.
 */
export class LearnInputError extends EngineError {
  readonly field: string;

  constructor(field: string, message: string) {
    super('LEARN_INPUT', `${field}: ${message}`, { field });
    this.field = field;
  }
}
