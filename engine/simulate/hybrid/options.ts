import { SimulationSettingsError } from '../../errors/index.js';
import type { IntegratorMethod } from '../ode/integrator.js';
import type { HybridRateRule } from './hybridModel.js';

/** The method name, until 'hybrid' joins SimulationMethod (engine/simulate/types.ts). */
export type HybridMethodName = 'hybrid';
export const HYBRID_METHOD: HybridMethodName = 'hybrid';

export interface HybridOptions {
  /**
   * A reaction may be continuous only when every species it changes holds at
   * least this many molecules; default 1000. GillesPy2's TauHybridSolver
   * makes a species continuous when its predicted coefficient of variation is
   * below switch_tol = 0.03, which for Poisson-like noise (CV ≈ 1/√x) means
   * x ≳ 1/0.03² ≈ 1100 molecules.
   */
  continuousPopulation?: number;
  /** ... and when it fires at least this many times per `window` on average (propensity × window); default 100. */
  continuousFirings?: number;
  /**
   * Hysteresis in (0, 1]: a continuous reaction turns discrete again only when
   * a species falls below hysteresis × continuousPopulation or its firings
   * below hysteresis × continuousFirings; default 0.5. Keeps the partition
   * from flickering at the thresholds.
   */
  hysteresis?: number;
  /** Time window of the firings test; default the mean spacing of the output grid. */
  window?: number;
  /** 'adaptive' (default) or 'discrete': every reaction discrete, the exact SSA (rate rules still integrate continuously). */
  partition?: 'adaptive' | 'discrete';
  /** ODE integrator (engine/simulate/ode/createIntegrator.ts); default 'auto'. */
  integrator?: IntegratorMethod;
  /** Relative tolerance of the integrator, in (0, 1); default 1e-6. */
  rtol?: number;
  /** Absolute tolerance in molecules (and in expected firings for the discrete clock), > 0; default 1e-6. */
  atol?: number;
  /** Budget per trajectory of discrete firings plus accepted ODE steps; more throw SimulationBudgetError (EVENT_BUDGET). Default 1e9. */
  maxEvents?: number;
  /** Rate rules to integrate (compileHybridModel gives them); default none. */
  rateRules?: readonly HybridRateRule[];
}

export interface ResolvedHybridOptions {
  readonly continuousPopulation: number;
  readonly continuousFirings: number;
  readonly hysteresis: number;
  readonly window: number | undefined;
  readonly partition: 'adaptive' | 'discrete';
  readonly integrator: IntegratorMethod;
  readonly rtol: number;
  readonly atol: number;
  readonly maxEvents: number;
  readonly rateRules: readonly HybridRateRule[];
}

export const DEFAULT_HYBRID_MAX_EVENTS = 1e9;

export function resolveHybridOptions(options: HybridOptions): ResolvedHybridOptions {
  const check = (name: string, value: number | undefined, fallback: number, ok: (v: number) => boolean, expected: string): number => {
    if (value === undefined) return fallback;
    if (typeof value !== 'number' || !ok(value)) throw new SimulationSettingsError(`hybrid option ${name}`, `expected ${expected}, got ${String(value)}`);
    return value;
  };
  const positive = (v: number) => v > 0 && v < Infinity;
  const partition = options.partition ?? 'adaptive';
  if (partition !== 'adaptive' && partition !== 'discrete')
    throw new SimulationSettingsError('hybrid option partition', `expected adaptive or discrete, got ${String(partition)}`);
  return {
    continuousPopulation: check('continuousPopulation', options.continuousPopulation, 1000, positive, 'a finite number > 0'),
    continuousFirings: check('continuousFirings', options.continuousFirings, 100, positive, 'a finite number > 0'),
    hysteresis: check('hysteresis', options.hysteresis, 0.5, (v) => v > 0 && v <= 1, 'a number in (0, 1]'),
    window: options.window === undefined ? undefined : check('window', options.window, 0, positive, 'a finite time > 0'),
    partition,
    integrator: options.integrator ?? 'auto',
    rtol: check('rtol', options.rtol, 1e-6, (v) => v > 0 && v < 1, 'a number in (0, 1)'),
    atol: check('atol', options.atol, 1e-6, positive, 'a finite number > 0'),
    maxEvents: check('maxEvents', options.maxEvents, DEFAULT_HYBRID_MAX_EVENTS, (v) => Number.isInteger(v) && v >= 1, 'an integer >= 1'),
    rateRules: options.rateRules ?? [],
  };
}
