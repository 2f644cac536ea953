import { EngineError, SimulationSettingsError } from '../../errors/index.js';
import type { CompiledNetwork } from '../../model/compile.js';
import { poisson } from '../../sample/random/poisson.js';
import { Xoshiro128 } from '../../sample/random/Xoshiro128.js';
import type { Simulator } from '../types.js';
import { leapStructure, type LeapStructure } from './leapStructure.js';
import { compilePropensityVector, compileRateConstants, type PropensityVectorFn, type RateConstantsFn } from '../codegen/propensityVector.js';
import { leapTau, markCritical } from './stepSize.js';

export interface TauLeapingOptions {
  /** Error-control parameter eps of the leap condition, in (0, 1); default 0.03. */
  epsilon?: number;
  /** n_c: a reaction within this many firings of exhausting a reactant is critical; integer >= 1, default 10. */
  criticalThreshold?: number;
  /** Guard against runaway models: error after this many leaps + SSA steps in one trajectory; default 1e9. */
  maxSteps?: number;
}

/** When tau' < SSA_SWITCH / a0 a leap would save little: take SSA_BURST exact steps instead (the paper's values). */
const SSA_SWITCH = 10;
const SSA_BURST = 100;
/** Halvings of tau' for one leap before a negative count is blamed on the model. */
const MAX_REJECTIONS = 60;

/**
 * Explicit tau-leaping with the step-size selection of Cao, Gillespie &
 * Petzold (2006), J. Chem. Phys. 124:044109, doi:10.1063/1.2159468.
 *
 * Method, per leap (the paper's steps 1-5): mark critical reactions
 * (stepSize.ts) and compute tau'; if tau' < 10/a0 take 100 exact SSA steps
 * instead; else draw tau'' ~ Exp(a0^c) for the critical reactions, leap by
 * min(tau', tau''), firing each non-critical reaction Poisson(a_j tau) times
 * and, when tau'' is the smaller, one critical reaction chosen with
 * probability a_j / a0^c. A leap that would drive a count negative is
 * rejected and tau' halved. Leaps are shortened to end exactly on output
 * times; by memorylessness the pending critical firing is then redrawn.
 *
 * Propensities are one generated straight-line function (propensityVector.ts);
 * all scratch arrays belong to the simulator, so nothing is allocated per
 * step. Draws come from xoshiro128** started at `rng` and written back.
 */
export class TauLeaping implements Simulator {
  readonly method = 'tau' as const;
  readonly speciesIds: readonly string[];
  readonly parameterIds: readonly string[];
  readonly defaultParameters: Float64Array;
  readonly epsilon: number;
  readonly criticalThreshold: number;
  readonly maxSteps: number;
  private readonly structure: LeapStructure;
  private readonly constants: RateConstantsFn;
  private readonly propensities: PropensityVectorFn;
  private readonly random = new Xoshiro128([1, 0, 0, 0]);
  private readonly c: Float64Array;
  private readonly a: Float64Array;
  private readonly x: Float64Array;
  private readonly xNew: Float64Array;
  private readonly mu: Float64Array;
  private readonly sigma2: Float64Array;
  private readonly critical: Uint8Array;
  private steps = 0;

  constructor(
    private readonly network: CompiledNetwork,
    options: TauLeapingOptions = {},
  ) {
    this.epsilon = checkOption('epsilon', options.epsilon, 0.03, (v) => v > 0 && v < 1, 'a number in (0, 1)');
    this.criticalThreshold = checkOption('criticalThreshold', options.criticalThreshold, 10, (v) => Number.isInteger(v) && v >= 1, 'an integer >= 1');
    this.maxSteps = checkOption('maxSteps', options.maxSteps, 1e9, (v) => Number.isInteger(v) && v >= 1, 'an integer >= 1');
    this.speciesIds = network.speciesIds;
    this.parameterIds = network.parameterIds;
    this.defaultParameters = network.parameterValues;
    this.structure = leapStructure(network);
    this.constants = compileRateConstants(network);
    this.propensities = compilePropensityVector(network, 'stochastic');
    const nS = network.speciesIds.length;
    const nR = network.reactions.length;
    this.c = new Float64Array(nR);
    this.a = new Float64Array(nR);
    this.critical = new Uint8Array(nR);
    this.x = new Float64Array(nS);
    this.xNew = new Float64Array(nS);
    this.mu = new Float64Array(nS);
    this.sigma2 = new Float64Array(nS);
  }

  simulateInto(out: Float64Array, grid: Float64Array, parameters: Float64Array, rng: Uint32Array): number {
    const { x, a, structure } = this;
    const nS = structure.species;
    const nT = grid.length;
    this.constants(parameters, this.network.volume, this.c);
    x.set(this.network.initialState);
    this.random.setState(rng);
    this.steps = 0;
    let t = 0;
    let g = 0;
    for (;;) {
      while (g < nT && grid[g] <= t) {
        for (let s = 0; s < nS; s++) out[s * nT + g] = x[s];
        g++;
      }
      if (g === nT) break;
      const tNext = grid[g];
      if (this.steps >= this.maxSteps) {
        throw new EngineError('SIMULATION_STEP_LIMIT', `tau-leaping: more than ${this.maxSteps} leaps and SSA steps before t=${grid[nT - 1]}; stopped at t=${t} (raise maxSteps if the model is meant to be this busy)`, { method: 'tau', maxSteps: this.maxSteps, time: t });
      }
      const a0 = this.updatePropensities(parameters, t);
      if (a0 === 0) {
        t = tNext; // nothing can fire, now or later
        continue;
      }
      const a0c = markCritical(structure, x, a, this.criticalThreshold, this.critical);
      const tau1 = leapTau(structure, x, a, this.critical, this.epsilon, this.mu, this.sigma2);
      t = tau1 < SSA_SWITCH / a0 ? this.ssaBurst(t, tNext, a0, parameters) : this.leap(t, tNext, tau1, a0c);
    }
    rng.set(this.random.getState());
    return this.steps;
  }

  /** Fill the propensity vector at time t; returns a0. */
  private updatePropensities(parameters: Float64Array, t: number): number {
    const a = this.a;
    this.propensities(this.x, parameters, this.network.volume, this.c, a);
    let a0 = 0;
    for (let j = 0; j < a.length; j++) {
      if (!(a[j] >= 0 && a[j] < Infinity)) {
        throw new RangeError(`reaction ${this.network.reactions[j].id}: propensity is ${a[j]} at t=${t}; expected a finite value >= 0`);
      }
      a0 += a[j];
    }
    return a0;
  }

  /** Up to SSA_BURST exact direct-method steps (Gillespie 1977, doi:10.1021/j100540a008); returns the new time. */
  private ssaBurst(t: number, tNext: number, a0: number, parameters: Float64Array): number {
    const a = this.a;
    for (let n = 0; n < SSA_BURST; n++) {
      const dt = a0 > 0 ? -Math.log(this.random.nextOpenDouble()) / a0 : Infinity;
      // Memorylessness: stop at the output time and redraw from there.
      if (t + dt > tNext) return tNext;
      t += dt;
      let u = this.random.nextDouble() * a0;
      let j = 0;
      while (j < a.length - 1 && (u >= a[j] || a[j] === 0)) u -= a[j++];
      // Round-off can run past the end: take the last reaction that can fire.
      while (a[j] === 0) j--;
      this.apply(this.x, j, 1);
      this.steps++;
      if (this.steps >= this.maxSteps) return t;
      a0 = this.updatePropensities(parameters, t);
    }
    return t;
  }

  /** One leap (steps 3-5 of the paper) from t, not past tNext; returns the new time. */
  private leap(t: number, tNext: number, tau1: number, a0c: number): number {
    const { a, x, xNew, critical, random } = this;
    for (let rejections = 0; ; rejections++) {
      if (rejections > MAX_REJECTIONS) {
        throw new RangeError(`tau-leaping: a count turns negative at t=${t} however short the leap; a propensity must be 0 when its reaction lacks reactants`);
      }
      const tau2 = a0c > 0 ? -Math.log(random.nextOpenDouble()) / a0c : Infinity;
      let fireCritical = tau2 <= tau1;
      let tau = fireCritical ? tau2 : tau1;
      let end = t + tau;
      const truncated = end > tNext;
      if (truncated) {
        tau = tNext - t;
        end = tNext;
        fireCritical = false;
      }
      xNew.set(x);
      for (let j = 0; j < a.length; j++) {
        if (critical[j] === 0 && a[j] > 0) {
          const k = poisson(a[j] * tau, random);
          if (k > 0) this.apply(xNew, j, k);
        }
      }
      if (fireCritical) {
        let u = random.nextDouble() * a0c;
        let chosen = -1;
        for (let j = 0; j < a.length; j++) {
          if (critical[j] === 0) continue;
          chosen = j;
          if (u < a[j]) break;
          u -= a[j];
        }
        this.apply(xNew, chosen, 1);
      }
      let negative = false;
      for (let s = 0; s < xNew.length; s++) if (xNew[s] < 0) negative = true;
      if (negative) {
        tau1 = (truncated ? tau : tau1) / 2;
        continue;
      }
      x.set(xNew);
      this.steps++;
      return end;
    }
  }

  /** x += k · v_j. */
  private apply(x: Float64Array, j: number, k: number): void {
    const { changeStart, changeSpecies, changeDelta } = this.structure;
    for (let e = changeStart[j]; e < changeStart[j + 1]; e++) x[changeSpecies[e]] += k * changeDelta[e];
  }
}

function checkOption(name: string, value: number | undefined, fallback: number, ok: (v: number) => boolean, expected: string): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !ok(value)) throw new SimulationSettingsError(`tau option ${name}`, `expected ${expected}, got ${String(value)}`);
  return value;
}
