import { SimulationSettingsError } from '../../errors/index.js';
import { AutoSwitchingIntegrator } from './autoSwitchingIntegrator.js';
import { DormandPrinceIntegrator } from './dormandPrinceIntegrator.js';
import { resolveIntegratorSettings } from './integratorSettings.js';
import type { IntegratorMethod, IntegratorOptions, OdeIntegrator, OdeSystem } from './integrator.js';
import { RosenbrockIntegrator } from './rosenbrock.js';

/**
 * The integrator for `method`: `nonstiff`, explicit Dormand-Prince 5(4);
 * `stiff`, the RODAS4 Rosenbrock method; `auto`, Dormand-Prince until its
 * stiffness test fires, then RODAS4 for good. Call `reset(t0, y0)` before
 * the first step. Options are validated here (SimulationSettingsError).
 */
export function createIntegrator(system: OdeSystem, method: IntegratorMethod, options: IntegratorOptions = {}): OdeIntegrator {
  if (!(Number.isInteger(system.size) && system.size >= 0)) throw new SimulationSettingsError('size', `expected an integer >= 0, got ${system.size}`);
  const settings = resolveIntegratorSettings(options, system.size);
  switch (method) {
    case 'nonstiff':
      return new DormandPrinceIntegrator(system, settings);
    case 'stiff':
      return new RosenbrockIntegrator(system, settings);
    case 'auto':
      return new AutoSwitchingIntegrator(system, settings);
    default:
      throw new SimulationSettingsError('method', `expected auto, stiff or nonstiff, got ${String(method)}`);
  }
}
