import { EngineError } from '../../errors/index.js';

/**
 * A neural-network summary statistic that cannot be trained, stored or
 * loaded: `field` names the option, file or field at fault (`epochs`,
 * `net.json: species`, `project network 3`), the message what was expected.
 */
export class NeuralNetworkError extends EngineError {
  readonly field: string;

  constructor(field: string, message: string, details: Record<string, unknown> = {}) {
    super('NEURAL_NETWORK', `${field}: ${message}`, { field, ...details });
    this.field = field;
  }
}
