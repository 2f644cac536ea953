/** What a molecule-count conversion did, for the caller to show (describeConversion.ts words it). */

/** How one species' amounts became counts. */
export interface SpeciesConversion {
  readonly id: string;
  /** The substance unit as read ("µmol", "mol", "molecule", "1e-3 mol"). */
  readonly unit: string;
  /** F: molecules per unit of substance. */
  readonly moleculesPerUnit: number;
  /** Where the unit came from: the caller's option, the species, the model's substance unit, or nowhere (F = 1). */
  readonly unitFrom: 'option' | 'species' | 'model' | 'none';
  /** Initial amount in `unit` (t = 0, after initial assignments and rules). */
  readonly amount: number;
  /** Initial count: amount × F, rounded to the nearest integer. */
  readonly count: number;
  /** Whether the model read it as a concentration (then its name now reads count / (F × size)). */
  readonly concentration: boolean;
}

/** An initial count that rounding changed by more than 1e-9 relative. */
export interface RoundedCount {
  readonly id: string;
  /** amount × F before rounding. */
  readonly before: number;
  readonly after: number;
}

/** How one kinetic law became a propensity. */
export interface ReactionConversion {
  readonly id: string;
  /**
   * `mass-action`: recognised as K × Π S^n with a reactant of stoichiometry ≥ 2, written as a mass-action rate
   * (falling factorials in the SSA); `propensity`: F × law over counts; `split`: a reversible mass-action law
   * kf·Π R − kr·Π P became two irreversible reactions (`into`); `unchanged`: counts already, law kept as written.
   */
  readonly form: 'mass-action' | 'propensity' | 'split' | 'unchanged';
  /** The reactions of the count model it became (itself, or the two halves of a split). */
  readonly into: readonly string[];
}

/** Expected work for one exact-SSA trajectory, from the propensities at t = 0. */
export interface Feasibility {
  /** Σ propensities at t = 0 (reaction events per unit time). */
  readonly totalPropensity: number;
  /** The end time used (options.endTime, else model.time.end); null when neither is known. */
  readonly endTime: number | null;
  /** totalPropensity × endTime; null without an end time. */
  readonly expectedEvents: number | null;
  /** Above this many expected events the report suggests tau-leaping or the ODE. */
  readonly threshold: number;
  readonly exceeded: boolean;
  /** Reactions whose propensity at t = 0 is negative or not a number (named so the caller can say which). */
  readonly invalid: ReadonlyArray<{ id: string; value: number }>;
}

export interface ConversionReport {
  readonly species: readonly SpeciesConversion[];
  /** Molecules per unit of reaction extent: propensity = this × reaction rate. */
  readonly extent: { readonly unit: string; readonly moleculesPerUnit: number };
  readonly rounded: readonly RoundedCount[];
  readonly reactions: readonly ReactionConversion[];
  /** Other things worth knowing: units read as counts, state-dependent event assignments... */
  readonly notes: readonly string[];
  readonly feasibility: Feasibility;
}
