import type { CompiledNetwork } from '../../model/compile.js';
import type { Xoshiro128 } from '../../sample/random/Xoshiro128.js';
import type { ResolvedHybridOptions } from './options.js';
import type { HybridRateRule } from './hybridModel.js';

/**
 * The split of reactions into continuous and discrete (GillesPy2's
 * TauHybridSolver rule, with hysteresis): reaction j is continuous when its
 * stochastic propensity a_j fires it at least `continuousFirings` times per
 * window and every species it changes holds at least `continuousPopulation`
 * molecules; a continuous reaction stays so until a_j·window or one of those
 * populations falls below `hysteresis` times the threshold. A species is
 * continuous (real-valued) when a continuous reaction changes it or a rate
 * rule sets it; every other species a reaction changes is discrete and holds
 * a whole number. A species that turns discrete with a fractional value (or
 * that an event set to one) is rounded stochastically, ⌊x⌋ + Bernoulli(x − ⌊x⌋),
 * which keeps its mean; negative values (ODE undershoot) become 0.
 */
export class Partition {
  /** 1: continuous reaction (in the ODE), 0: discrete (fired exactly). */
  readonly continuous: Uint8Array;
  /** 1: species that continuous reactions or rate rules change. */
  readonly continuousSpecies: Uint8Array;
  /** Number of continuous reactions. */
  count = 0;
  private readonly rateRuleSpecies: Uint8Array;
  /** Species some reaction changes (populations): only these are rounded. */
  private readonly population: Uint8Array;

  constructor(
    private readonly network: CompiledNetwork,
    rateRules: readonly HybridRateRule[],
    private readonly options: ResolvedHybridOptions,
  ) {
    const nS = network.speciesIds.length;
    this.continuous = new Uint8Array(network.reactions.length);
    this.continuousSpecies = new Uint8Array(nS);
    this.rateRuleSpecies = new Uint8Array(nS);
    this.population = new Uint8Array(nS);
    for (const rule of rateRules) if (rule.variable.kind === 'species') this.rateRuleSpecies[rule.variable.index] = 1;
    for (const r of network.reactions) for (const { species } of r.changes) this.population[species] = 1;
  }

  /** Every reaction discrete, at the start of a trajectory. */
  clear(): void {
    this.continuous.fill(0);
    this.continuousSpecies.set(this.rateRuleSpecies);
    this.count = 0;
  }

  /**
   * Re-partition at state y with propensities a over `window`; round the
   * discrete species that are not whole. Returns 0 when nothing changed,
   * 1 when only the partition changed, 2 when a species was rounded (the
   * propensities must be recomputed).
   */
  update(y: Float64Array, a: Float64Array, window: number, random: Xoshiro128): number {
    const { continuous, options } = this;
    const reactions = this.network.reactions;
    let changed = 0;
    if (options.partition === 'adaptive') {
      for (let j = 0; j < reactions.length; j++) {
        const changes = reactions[j].changes;
        const was = continuous[j];
        const factor = was === 1 ? options.hysteresis : 1;
        let next = changes.length > 0 && a[j] * window >= factor * options.continuousFirings ? 1 : 0;
        const minimum = factor * options.continuousPopulation;
        for (let i = 0; next === 1 && i < changes.length; i++) if (!(y[changes[i].species] >= minimum)) next = 0;
        if (next !== was) {
          continuous[j] = next;
          this.count += next === 1 ? 1 : -1;
          changed = 1;
        }
      }
      if (changed) {
        this.continuousSpecies.set(this.rateRuleSpecies);
        for (let j = 0; j < reactions.length; j++) if (continuous[j] === 1) for (const { species } of reactions[j].changes) this.continuousSpecies[species] = 1;
      }
    }
    for (let s = 0; s < y.length && s < this.population.length; s++) {
      if (this.population[s] === 0 || this.continuousSpecies[s] === 1) continue;
      const v = y[s];
      if (v === Math.floor(v) && v >= 0) continue;
      const floor = Math.floor(v);
      y[s] = v < 0 ? 0 : floor + (random.nextDouble() < v - floor ? 1 : 0);
      changed = 2;
    }
    return changed;
  }
}
