import { EngineError, SimulationSettingsError } from '../../errors/index.js';
import type { CompiledNetwork } from '../../model/compile.js';
import type { Simulator } from '../types.js';
import { compileRateConstants, type RateConstantsFn } from '../codegen/propensityVector.js';
import { compileDerivative } from './derivativeSource.js';
import { DormandPrinceStep } from './dormandPrince.js';

export interface OdeSolverOptions {
  /** Relative tolerance, in (0, 1); default 1e-6. */
  rtol?: number;
  /** Absolute tolerance in molecules, > 0; default 1e-9. */
  atol?: number;
  /** Guard against stiff or runaway models: error after this many attempted steps in one trajectory; default 1e6. */
  maxSteps?: number;
}

// Step-size control of Hairer's DOPRI5: a PI controller (Gustafsson 1991,
// doi:10.1145/108556.108575) with safety factor 0.9 and step ratios in [0.2, 10].
const SAFETY = 0.9;
const BETA = 0.04;
const EXPONENT = 0.2 - 0.75 * BETA;
const MIN_RATIO = 0.2;
const MAX_RATIO = 10;

/**
 * The deterministic mass-action rate equations dx/dt = S · a(x) (amounts,
 * not concentrations; a(x) from the 'deterministic' propensities), solved by
 * the adaptive Dormand-Prince 5(4) method (Dormand & Prince 1980,
 * doi:10.1016/0771-050X(80)90013-3).
 *
 * Method: local extrapolation (the 5th-order solution is propagated), error
 * per step measured in the RMS norm scaled by atol + rtol · |x|, steps chosen
 * by a PI controller; the initial step by Hairer's rule (HNW I, §II.4). Steps
 * are not clamped to the output grid except the last one, which ends exactly
 * at the last output time; interior output times are filled by the 4th-order
 * continuous extension. Outputs are real-valued and not rounded.
 *
 * `rng` is ignored: the result is a function of the parameters and grid only.
 * Returns the number of accepted steps.
 */
export class OdeSolver implements Simulator {
  readonly method = 'ode' as const;
  readonly speciesIds: readonly string[];
  readonly parameterIds: readonly string[];
  readonly defaultParameters: Float64Array;
  readonly rtol: number;
  readonly atol: number;
  readonly maxSteps: number;
  private readonly constants: RateConstantsFn;
  private readonly c: Float64Array;
  private readonly y: Float64Array;
  private readonly stepper: DormandPrinceStep;

  constructor(
    private readonly network: CompiledNetwork,
    options: OdeSolverOptions = {},
  ) {
    this.rtol = checkOption('rtol', options.rtol, 1e-6, (v) => v > 0 && v < 1, 'a number in (0, 1)');
    this.atol = checkOption('atol', options.atol, 1e-9, (v) => v > 0 && v < Infinity, 'a finite number > 0');
    this.maxSteps = checkOption('maxSteps', options.maxSteps, 1e6, (v) => Number.isInteger(v) && v >= 1, 'an integer >= 1');
    this.speciesIds = network.speciesIds;
    this.parameterIds = network.parameterIds;
    this.defaultParameters = network.parameterValues;
    this.constants = compileRateConstants(network);
    this.c = new Float64Array(network.reactions.length);
    this.y = new Float64Array(network.speciesIds.length);
    this.stepper = new DormandPrinceStep(network.speciesIds.length, compileDerivative(network), this.c);
  }

  simulateInto(out: Float64Array, grid: Float64Array, parameters: Float64Array, _rng: Uint32Array): number {
    const { y, stepper, rtol, atol } = this;
    const n = y.length;
    const nT = grid.length;
    this.constants(parameters, this.network.volume, this.c);
    stepper.bind(parameters, this.network.volume);
    y.set(this.network.initialState);
    let t = 0;
    let g = 0;
    for (; g < nT && grid[g] <= 0; g++) for (let i = 0; i < n; i++) out[i * nT + g] = y[i];
    if (g === nT) return 0;
    const tEnd = grid[nT - 1];
    stepper.f(y, stepper.k1);
    let h = this.initialStep(tEnd);
    let accepted = 0;
    let previousError = 1e-4;
    let rejectedLast = false;
    for (let attempts = 0; g < nT; attempts++) {
      if (attempts >= this.maxSteps) {
        throw new EngineError('SIMULATION_STEP_LIMIT', `ode: more than ${this.maxSteps} steps before t=${tEnd}; stopped at t=${t} with step size ${h}. The rate equations are probably stiff (widely separated time scales); raise maxSteps or loosen rtol/atol`, { method: 'ode', maxSteps: this.maxSteps, time: t, stepSize: h });
      }
      const last = t + 1.01 * h >= tEnd;
      if (last) h = tEnd - t;
      const error = stepper.attempt(y, h, rtol, atol);
      if (!(error <= 1)) {
        // Rejected (NaN, from a non-finite derivative, shrinks the most).
        h *= error > 0 ? 1 / Math.min(1 / MIN_RATIO, error ** EXPONENT / SAFETY) : MIN_RATIO;
        rejectedLast = true;
        if (!(h > 1e-14 * Math.max(t, 1))) {
          throw new EngineError('SIMULATION_STEP_UNDERFLOW', `ode: step size underflow at t=${t}; a rate is not finite or the equations are too stiff for an explicit method`, { method: 'ode', time: t });
        }
        continue;
      }
      accepted++;
      const tNew = last ? tEnd : t + h;
      if (grid[g] < tNew) {
        stepper.prepareDense(y, h);
        for (; g < nT && grid[g] < tNew; g++) stepper.interpolate(y, (grid[g] - t) / h, out, g, nT);
      }
      stepper.accept(y);
      t = tNew;
      for (; g < nT && grid[g] <= t; g++) for (let i = 0; i < n; i++) out[i * nT + g] = y[i];
      const factor = error ** EXPONENT / previousError ** BETA;
      let hNew = h / Math.max(1 / MAX_RATIO, Math.min(1 / MIN_RATIO, factor / SAFETY));
      if (rejectedLast) hNew = Math.min(hNew, h);
      previousError = Math.max(error, 1e-4);
      rejectedLast = false;
      h = hNew;
    }
    return accepted;
  }

  /** Hairer's starting step (HNW I, §II.4): h with ‖h f‖ ≈ 0.01 and a second-derivative estimate. */
  private initialStep(tEnd: number): number {
    const { y, stepper, rtol, atol } = this;
    const k1 = stepper.k1;
    const trial = stepper.y1;
    let normF = 0;
    let normY = 0;
    for (let i = 0; i < y.length; i++) {
      const scale = atol + rtol * Math.abs(y[i]);
      normF += (k1[i] / scale) ** 2;
      normY += (y[i] / scale) ** 2;
    }
    let h = normF <= 1e-10 || normY <= 1e-10 ? 1e-6 : 0.01 * Math.sqrt(normY / normF);
    h = Math.min(h, tEnd);
    for (let i = 0; i < y.length; i++) trial[i] = y[i] + h * k1[i];
    const f1 = stepper.scratch;
    stepper.f(trial, f1);
    let second = 0;
    for (let i = 0; i < y.length; i++) second += ((f1[i] - k1[i]) / (atol + rtol * Math.abs(y[i]))) ** 2;
    const curvature = Math.max(Math.sqrt(second) / h, Math.sqrt(normF));
    const h1 = curvature <= 1e-15 ? Math.max(1e-6, h * 1e-3) : (0.01 / curvature) ** 0.2;
    const start = Math.min(100 * h, h1, tEnd);
    return start > 0 ? start : tEnd;
  }
}

function checkOption(name: string, value: number | undefined, fallback: number, ok: (v: number) => boolean, expected: string): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !ok(value)) throw new SimulationSettingsError(`ode option ${name}`, `expected ${expected}, got ${String(value)}`);
  return value;
}
