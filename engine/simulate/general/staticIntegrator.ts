import { SimulationBudgetError } from '../../errors/index.js';
import type { IntegratorStats, OdeIntegrator } from '../ode/integrator.js';

/**
 * The "integrator" of a model with nothing to integrate (only rules, events
 * and constants): time advances in steps of at most maxStep so that triggers
 * that depend on time are checked along the way.
 */
export class StaticIntegrator implements OdeIntegrator {
  t = 0;
  tPrevious = 0;
  readonly y = new Float64Array(0);
  readonly stats: IntegratorStats = { accepted: 0, rejected: 0, derivativeCalls: 0, jacobianCalls: 0, switchedToStiffAt: null };

  constructor(
    private readonly maxStep: number,
    private readonly maxSteps: number,
  ) {}

  reset(t0: number): void {
    this.t = t0;
    this.tPrevious = t0;
  }

  step(tMax: number): number {
    if (!(tMax > this.t)) return this.t;
    if (this.stats.accepted >= this.maxSteps) throw new SimulationBudgetError('ode', this.maxSteps, this.t, tMax, 'integrator steps', 'maxSteps');
    this.tPrevious = this.t;
    this.t = this.maxStep > 0 && this.t + this.maxStep < tMax ? this.t + this.maxStep : tMax;
    this.stats.accepted++;
    return this.t;
  }

  interpolate(): void {}
}
