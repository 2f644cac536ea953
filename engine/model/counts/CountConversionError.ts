import { EngineError } from '../../errors/index.js';

/**
 * One reason a model cannot become a molecule-count model: `element` and
 * `id` name the model part (`rule` "k2", `reaction` "R1", `event` "E0"),
 * `reason` says what the stochastic methods cannot do and what to use instead.
 */
export interface CountConversionProblem {
  element: 'model' | 'species' | 'parameter' | 'compartment' | 'reaction' | 'rule' | 'event' | 'initialAssignment';
  id: string;
  reason: string;
}

/**
 * A model the exact SSA and tau-leaping cannot run as molecule counts (rate
 * or algebraic rules, delays, variable stoichiometry...). Lists every reason
 * found, not just the first; code COUNT_CONVERSION.
 */
export class CountConversionError extends EngineError {
  readonly problems: CountConversionProblem[];

  constructor(problems: CountConversionProblem[], source?: string) {
    const where = source ? `${source}: ` : '';
    const lines = problems.map((p) => `  ${p.element} "${p.id}": ${p.reason}`).join('\n');
    super(
      'COUNT_CONVERSION',
      `${where}cannot convert the model to molecule counts for the stochastic methods (${problems.length} problem${problems.length === 1 ? '' : 's'}):\n${lines}`,
      // `message` as well as `reason`, so front doors list it like any per-element problem (an SBML import's).
      { source, problems: problems.map((p) => ({ ...p, message: p.reason })) },
    );
    this.problems = problems;
  }
}
