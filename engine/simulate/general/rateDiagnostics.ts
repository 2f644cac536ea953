import { SimulationError } from '../../errors/index.js';
import type { CompiledGeneralModel } from './compileGeneralModel.js';
import type { TrajectoryHooks } from './generatedModel.js';

/**
 * The integrator reports a derivative component that is not finite, or a
 * step size that underflows; the model's user needs to know which reaction
 * or rule. From the values v at the failure point (t): the first reaction
 * whose rate is not finite, else the first rate rule or species rate of
 * change, else (underflow) the reaction with the largest rate, usually the
 * one that blows up. Returns the error to throw.
 */
export function explainIntegratorFailure(
  error: SimulationError,
  compiled: CompiledGeneralModel,
  v: Float64Array,
  t: number,
  hooks: TrajectoryHooks,
): SimulationError {
  const { model, symbols, generated } = compiled;
  const rates = new Float64Array(model.reactions.length);
  generated.rates(t, v, rates, hooks);
  for (let j = 0; j < rates.length; j++) {
    if (!Number.isFinite(rates[j])) {
      return new SimulationError('RATE_NOT_FINITE', `reaction ${model.reactions[j].id}: the rate (kinetic law) is ${rates[j]} at t=${t}`, {
        reaction: model.reactions[j].id,
        value: String(rates[j]),
        time: t,
      });
    }
  }
  const dy = new Float64Array(symbols.stateSymbols.length);
  generated.derivative(t, v, dy, hooks);
  for (let slot = 0; slot < dy.length; slot++) {
    if (!Number.isFinite(dy[slot])) {
      const s = symbols.symbols[symbols.stateSymbols[slot]];
      return new SimulationError('RATE_NOT_FINITE', `${s.role === 'rate' ? `rate rule for ${s.id}` : `rate of change of ${s.id}`} is ${dy[slot]} at t=${t}`, {
        variable: s.id,
        value: String(dy[slot]),
        time: t,
      });
    }
  }
  if (error.code !== 'SIMULATION_STEP_UNDERFLOW' || rates.length === 0) return error;
  let j = 0;
  for (let k = 1; k < rates.length; k++) if (Math.abs(rates[k]) > Math.abs(rates[j])) j = k;
  return new SimulationError(error.code, `${error.message}; the largest rate there is reaction ${model.reactions[j].id}'s, ${rates[j]}`, {
    ...error.details,
    reaction: model.reactions[j].id,
    rate: rates[j],
  });
}
