import { DormandPrinceIntegrator } from './dormandPrinceIntegrator.js';
import type { IntegratorSettings } from './integratorSettings.js';
import type { IntegratorStats, OdeIntegrator, OdeSystem } from './integrator.js';
import { RosenbrockIntegrator } from './rosenbrock.js';

/**
 * Method `auto`: explicit Dormand-Prince 5(4) until its stiffness test
 * (Hairer & Wanner, Solving ODEs II, §IV.2; see dormandPrinceIntegrator.ts) fires, then RODAS4 from that
 * point for the rest of the integrator's life, resets included: a model that
 * was stiff once is stiff again after an event, and switching back and forth
 * would pay the detection cost (15 stability-limited steps) each time. The
 * switch happens at the start of a step, so `interpolate` always refers to
 * the step just taken by one method. Stats add up both methods' work.
 */
export class AutoSwitchingIntegrator implements OdeIntegrator {
  private readonly explicit: DormandPrinceIntegrator;
  private stiff: RosenbrockIntegrator | null = null;
  private active: OdeIntegrator;
  private readonly combined: IntegratorStats = { accepted: 0, rejected: 0, derivativeCalls: 0, jacobianCalls: 0, switchedToStiffAt: null };

  constructor(
    private readonly system: OdeSystem,
    private readonly settings: IntegratorSettings,
  ) {
    this.explicit = new DormandPrinceIntegrator(system, settings);
    this.active = this.explicit;
  }

  get t(): number {
    return this.active.t;
  }

  get y(): Float64Array {
    return this.active.y;
  }

  get tPrevious(): number {
    return this.active.tPrevious;
  }

  get stats(): IntegratorStats {
    const { combined, explicit, stiff } = this;
    combined.accepted = explicit.stats.accepted + (stiff?.stats.accepted ?? 0);
    combined.rejected = explicit.stats.rejected + (stiff?.stats.rejected ?? 0);
    combined.derivativeCalls = explicit.stats.derivativeCalls + (stiff?.stats.derivativeCalls ?? 0);
    combined.jacobianCalls = stiff?.stats.jacobianCalls ?? 0;
    return combined;
  }

  reset(t0: number, y0: Float64Array): void {
    this.active.reset(t0, y0);
  }

  step(tMax: number): number {
    if (this.stiff === null && this.explicit.stiffnessDetectedAt !== null) this.switchToStiff();
    return this.active.step(tMax);
  }

  interpolate(s: number, out: Float64Array): void {
    this.active.interpolate(s, out);
  }

  private switchToStiff(): void {
    const { explicit } = this;
    const spent = explicit.stats.accepted + explicit.stats.rejected;
    // The step budget is the integrator's, not each method's.
    const stiff = new RosenbrockIntegrator(this.system, this.settings, spent);
    stiff.reset(explicit.t, explicit.y);
    // The explicit step was stability-limited; RODAS4 grows from it by up to 6x per step.
    stiff.suggestStep(explicit.lastStep);
    this.stiff = stiff;
    this.active = stiff;
    this.combined.switchedToStiffAt = explicit.t;
  }
}
