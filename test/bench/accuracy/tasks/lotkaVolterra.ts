import { Xoshiro128 } from '../../../../engine/sample/random/Xoshiro128.js';
import type { OdeSystem } from '../../../../engine/simulate/ode/integrator.js';
import { solveAtTimes } from './odeAtTimes.js';
import { asOutput, dataNames, type AccuracyTaskDefinition, type BlackBoxInput, type BlackBoxOutput } from './taskTypes.js';

/** Times 0, 2.1, ..., 18.9: sbibm solves 0..20 every 0.1 and keeps every 21st point. */
export const OBSERVATION_TIMES: readonly number[] = Array.from({ length: 10 }, (_, k) => Math.round(21 * k) / 10);
export const INITIAL_STATE = Float64Array.of(30, 1);
/** sbibm clamps the solution to [1e-10, 1e4] before the log-normal noise. */
const LOWER = 1e-10;
const UPPER = 1e4;
export const NOISE_SIGMA = 0.1;
/** What a failed solve returns (sbibm: NaN); above any clamped-and-noised value, so never near the data. */
export const FAILED = 1e12;

/**
 * sbibm `lotka_volterra`: α, γ ~ LogNormal(−0.125, 0.5), β, δ ~
 * LogNormal(−3, 0.5); prey and predators dx/dt = αx − βxy,
 * dy/dt = −γy + δxy from (30, 1); the data are LogNormal(log u, 0.1) of the
 * clamped solution u at OBSERVATION_TIMES, prey first, then predators.
 */
export const task: AccuracyTaskDefinition = {
  name: 'lotka_volterra',
  parameters: [
    { id: 'alpha', prior: { kind: 'logNormal', mu: -0.125, sigma: 0.5 } },
    { id: 'beta', prior: { kind: 'logNormal', mu: -3, sigma: 0.5 } },
    { id: 'gamma', prior: { kind: 'logNormal', mu: -0.125, sigma: 0.5 } },
    { id: 'delta', prior: { kind: 'logNormal', mu: -3, sigma: 0.5 } },
  ],
  dataDimension: 20,
};

const names = dataNames(20);

export function lotkaVolterraSystem(alpha: number, beta: number, gamma: number, delta: number): OdeSystem {
  return {
    size: 2,
    autonomous: true,
    derivative(_t, y, dydt) {
      dydt[0] = alpha * y[0] - beta * y[0] * y[1];
      dydt[1] = -gamma * y[1] + delta * y[0] * y[1];
    },
  };
}

/** Prey then predators at OBSERVATION_TIMES (20 values), or null when the solver failed. */
export function populationsAtObservationTimes(
  p: { alpha: number; beta: number; gamma: number; delta: number },
  tolerances?: { rtol: number; atol: number },
): Float64Array | null {
  const out = new Float64Array(20);
  return solveAtTimes(lotkaVolterraSystem(p.alpha, p.beta, p.gamma, p.delta), INITIAL_STATE, OBSERVATION_TIMES, out, tolerances) ? out : null;
}

export function simulate({ parameters, seed }: BlackBoxInput): BlackBoxOutput {
  const u = populationsAtObservationTimes(parameters as { alpha: number; beta: number; gamma: number; delta: number });
  if (!u) return asOutput(names, new Float64Array(20).fill(FAILED));
  const rng = Xoshiro128.fromSeed(seed);
  return asOutput(
    names,
    Float64Array.from(u, (v) => Math.exp(Math.log(Math.min(Math.max(v, LOWER), UPPER)) + NOISE_SIGMA * rng.nextNormal())),
  );
}
