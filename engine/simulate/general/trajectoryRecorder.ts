import type { CompiledGeneralModel } from './compileGeneralModel.js';
import type { GeneralTrajectory } from './types.js';

/**
 * Fills a GeneralTrajectory one output time at a time from refreshed values:
 * every symbol's value and every reaction's rate (by reaction id, as SBML
 * math reads a reaction id), and each species' amount and concentration (the
 * amount is the primary value when it is kept as one, else value × size for
 * a concentration species; a species in a 0-dimensional compartment has no
 * concentration, NaN).
 */
export class TrajectoryRecorder {
  private readonly values: Float64Array[];
  /** Reaction rates by reaction (SBML: a reaction's id in math means its rate). */
  private readonly rates: Float64Array[];
  private readonly amounts: Float64Array[];
  private readonly concentrations: Float64Array[];
  private readonly species: number[];
  private readonly dimensionless: boolean[];

  constructor(
    private readonly compiled: CompiledGeneralModel,
    private readonly grid: Float64Array,
  ) {
    const { symbols } = compiled.symbols;
    const nT = grid.length;
    this.values = symbols.map(() => new Float64Array(nT));
    this.rates = compiled.model.reactions.map(() => new Float64Array(nT));
    this.species = symbols.flatMap((s, i) => (s.kind === 'species' ? [i] : []));
    this.amounts = this.species.map(() => new Float64Array(nT));
    this.concentrations = this.species.map(() => new Float64Array(nT));
    this.dimensionless = this.species.map((i) => {
      const c = symbols[i].compartment;
      return c >= 0 && compiled.model.compartments.find((x) => x.id === symbols[c].id)?.dimensions === 0;
    });
  }

  record(g: number, v: Float64Array, y: Float64Array, d: Float64Array, rates: Float64Array): void {
    const { symbols } = this.compiled.symbols;
    for (let i = 0; i < v.length; i++) this.values[i][g] = v[i];
    for (let j = 0; j < rates.length; j++) this.rates[j][g] = rates[j];
    for (let k = 0; k < this.species.length; k++) {
      const i = this.species[k];
      const s = symbols[i];
      const size = s.compartment >= 0 ? v[s.compartment] : this.compiled.model.volume;
      let amount: number;
      if (s.holdsAmount) amount = s.role === 'fixed' ? d[i] : y[s.slot];
      else amount = s.concentration ? v[i] * size : v[i];
      this.amounts[k][g] = amount;
      this.concentrations[k][g] = this.dimensionless[k] ? NaN : s.concentration ? v[i] : amount / size;
    }
  }

  finish(stats: GeneralTrajectory['stats']): GeneralTrajectory {
    const { symbols } = this.compiled.symbols;
    return {
      time: Float64Array.from(this.grid),
      amounts: new Map(this.species.map((i, k) => [symbols[i].id, this.amounts[k]])),
      concentrations: new Map(this.species.map((i, k) => [symbols[i].id, this.concentrations[k]])),
      values: new Map([
        ...this.compiled.model.reactions.map((r, j): [string, Float64Array] => [r.id, this.rates[j]]),
        ...symbols.map((s, i): [string, Float64Array] => [s.id, this.values[i]]),
      ]),
      stats,
    };
  }
}
