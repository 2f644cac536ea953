import type { ReactionNetwork } from '../../model/schema.js';
import type { Simulator } from '../types.js';
import { CompiledGeneralModel } from './compileGeneralModel.js';
import { simulateCompiled } from './simulateGeneral.js';
import type { GeneralSimulationOptions } from './types.js';

/**
 * The general deterministic simulator behind the Simulator interface (CLI,
 * inference): species are reported as the model states them (amount, or
 * concentration for amountOnly false), parameters are model.parameters in
 * order and replace the model's values (as overrides) in every trajectory.
 * `rng` is ignored; returns the number of accepted integrator steps.
 */
export class GeneralOdeSimulator implements Simulator {
  readonly method = 'ode' as const;
  readonly speciesIds: readonly string[];
  readonly parameterIds: readonly string[];
  readonly defaultParameters: Float64Array;
  private readonly compiled: CompiledGeneralModel;

  constructor(
    model: ReactionNetwork,
    private readonly options: Omit<GeneralSimulationOptions, 'overrides'> = {},
  ) {
    this.compiled = new CompiledGeneralModel(model);
    this.speciesIds = model.species.map((s) => s.id);
    this.parameterIds = model.parameters.map((p) => p.id);
    this.defaultParameters = Float64Array.from(model.parameters, (p) => p.value);
  }

  simulateInto(out: Float64Array, grid: Float64Array, parameters: Float64Array, _rng: Uint32Array): number {
    const symbols = this.compiled.symbols.symbols;
    const index = this.compiled.symbols.index;
    const overrides = new Map<string, number>();
    this.parameterIds.forEach((id, k) => {
      const role = symbols[index.get(id)!].role;
      // Parameters that rules determine keep their rule; the others take the given value.
      if (role !== 'assigned' && role !== 'algebraic' && parameters[k] !== this.defaultParameters[k]) overrides.set(id, parameters[k]);
    });
    const trajectory = simulateCompiled(this.compiled, grid, { ...this.options, overrides });
    const nT = grid.length;
    this.speciesIds.forEach((id, s) => out.set(trajectory.values.get(id)!, s * nT));
    return trajectory.stats.steps;
  }
}
