import { Xoshiro128 } from '../../../../engine/sample/random/Xoshiro128.js';
import type { OdeSystem } from '../../../../engine/simulate/ode/integrator.js';
import { binomial } from './binomial.js';
import { solveAtTimes } from './odeAtTimes.js';
import { asOutput, dataNames, type AccuracyTaskDefinition, type BlackBoxInput, type BlackBoxOutput } from './taskTypes.js';

/** Population, initial infected, and the binomial sample size of each observation (sbibm's defaults). */
export const POPULATION = 1e6;
export const INITIAL_INFECTED = 1;
export const SAMPLE_SIZE = 1000;
/** Days 0, 17, ..., 153: sbibm solves days 0..160 daily and keeps every 17th point. */
export const OBSERVATION_DAYS: readonly number[] = Array.from({ length: 10 }, (_, k) => 17 * k);
/** What a failed solve returns (sbibm: NaN); far from any binomial count, so never accepted. */
export const FAILED = 1e12;

/**
 * sbibm `sir`: β ~ LogNormal(log 0.4, 0.5), γ ~ LogNormal(log 1/8, 0.2);
 * the SIR ODE dS/dt = −βSI/N, dI/dt = βSI/N − γI, dR/dt = γI with N = 10⁶,
 * (S, I, R)(0) = (N − 1, 1, 0); the data are Binomial(1000, I(t)/N) at
 * the ten days of OBSERVATION_DAYS.
 */
export const task: AccuracyTaskDefinition = {
  name: 'sir',
  parameters: [
    { id: 'beta', prior: { kind: 'logNormal', mu: Math.log(0.4), sigma: 0.5 } },
    { id: 'gamma', prior: { kind: 'logNormal', mu: Math.log(0.125), sigma: 0.2 } },
  ],
  dataDimension: 10,
};

const names = dataNames(10);

export function sirSystem(beta: number, gamma: number): OdeSystem {
  return {
    size: 3,
    autonomous: true,
    derivative(_t, y, dydt) {
      const infection = (beta * y[0] * y[1]) / POPULATION;
      const recovery = gamma * y[1];
      dydt[0] = -infection;
      dydt[1] = infection - recovery;
      dydt[2] = recovery;
    },
  };
}

/** I(t) at OBSERVATION_DAYS, or null when the solver failed. */
export function infectedAtObservationDays(beta: number, gamma: number, tolerances?: { rtol: number; atol: number }): Float64Array | null {
  const days = OBSERVATION_DAYS.length;
  const solution = new Float64Array(3 * days);
  const ok = solveAtTimes(sirSystem(beta, gamma), Float64Array.of(POPULATION - INITIAL_INFECTED, INITIAL_INFECTED, 0), OBSERVATION_DAYS, solution, tolerances);
  return ok ? solution.slice(days, 2 * days) : null;
}

export function simulate({ parameters, seed }: BlackBoxInput): BlackBoxOutput {
  const infected = infectedAtObservationDays(parameters.beta, parameters.gamma);
  if (!infected) return asOutput(names, new Float64Array(10).fill(FAILED));
  const rng = Xoshiro128.fromSeed(seed);
  return asOutput(
    names,
    Float64Array.from(infected, (i) => binomial(SAMPLE_SIZE, Math.min(Math.max(i / POPULATION, 0), 1), rng)),
  );
}
