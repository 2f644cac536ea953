import { SimulationError, SimulationSettingsError } from '../../errors/index.js';
import { identifiersOf, parseExpression } from '../../model/expression/index.js';
import type { ReactionNetwork } from '../../model/schema.js';
import { planJacobian, type JacobianPlan } from './analyticJacobian.js';
import { DerivativeGraph } from './derivativeGraph.js';
import { generateModel, type GeneratedModel } from './generatedModel.js';
import { analyseSymbols, type ModelSymbols } from './modelSymbols.js';

/**
 * A general model ready to simulate: symbols classified, expressions
 * compiled to JavaScript, event targets resolved. Built once per model and
 * shared by every trajectory (they differ only in overrides and grid).
 */
export class CompiledGeneralModel {
  readonly symbols: ModelSymbols;
  readonly generated: GeneratedModel;
  /** Written t0 values by symbol: species initial amounts (NaN for an expression), parameter values, compartment sizes. */
  readonly written: Float64Array;
  /** Per event, the symbol each assignment targets, in assignment order. */
  readonly eventTargets: readonly Int32Array[];
  /** Largest step the integrator may take so delay() reads its history, not an extrapolation (Infinity without constant delays). */
  readonly delayStepLimit: number;
  readonly usesDelay: boolean;
  readonly usesRateOf: boolean;
  private graph: DerivativeGraph | null = null;
  private plan: JacobianPlan | null = null;

  constructor(readonly model: ReactionNetwork) {
    this.symbols = analyseSymbols(model);
    const { symbols, index } = this.symbols;
    this.generated = generateModel(model, this.symbols);
    this.written = Float64Array.from(symbols, (s) => {
      if (s.kind === 'species') {
        const initial = model.species.find((x) => x.id === s.id)!.initial;
        return typeof initial === 'number' ? initial : NaN;
      }
      if (s.kind === 'parameter') return model.parameters.find((x) => x.id === s.id)!.value;
      return model.compartments.find((x) => x.id === s.id)!.size;
    });
    this.eventTargets = model.events.map((e) =>
      Int32Array.from(Object.keys(e.assignments), (id) => {
        const i = index.get(id);
        if (i === undefined)
          throw new SimulationError('EVENT_TARGET_UNKNOWN', `event ${e.id} assigns ${id}, which is no species, parameter or compartment`, {
            event: e.id,
            variable: id,
          });
        const role = symbols[i].role;
        if (role === 'assigned' || role === 'algebraic') {
          throw new SimulationError(
            'EVENT_TARGET_RULE',
            `event ${e.id} assigns ${id}, which ${role === 'assigned' ? 'an assignment rule' : 'an algebraic rule'} determines at all times`,
            { event: e.id, variable: id },
          );
        }
        return i;
      }),
    );
    const texts = [
      ...model.rules.map((r) => r.expression),
      ...model.reactions.flatMap((r) => [r.propensity, r.rate, ...Object.values(r.reactants), ...Object.values(r.products)]),
      ...model.events.flatMap((e) => [e.trigger, e.delay, e.priority, ...Object.values(e.assignments)]),
      ...model.initialAssignments.map((a) => a.expression),
      ...model.species.map((s) => s.initial),
    ].filter((x): x is string => typeof x === 'string');
    let limit = Infinity;
    let usesDelay = false;
    let usesRateOf = false;
    for (const text of texts) {
      if (!text.includes('delay') && !text.includes('rateOf')) continue;
      const ast = parseExpression(text);
      const pending = [ast];
      while (pending.length > 0) {
        const node = pending.pop()!;
        if (node.type === 'call') {
          if (node.fn === 'rateOf') usesRateOf = true;
          if (node.fn === 'delay') {
            usesDelay = true;
            const tau = node.args[1];
            if (identifiersOf(tau).size === 0 && tau.type === 'number' && tau.value > 0) limit = Math.min(limit, tau.value);
          }
          pending.push(...node.args);
        } else if (node.type === 'unary') pending.push(node.arg);
        else if (node.type === 'binary') pending.push(node.left, node.right);
        else if (node.type === 'conditional') pending.push(node.test, node.then, node.otherwise);
      }
    }
    this.delayStepLimit = limit;
    this.usesDelay = usesDelay;
    this.usesRateOf = usesRateOf;
  }

  /** The right-hand side as expression trees (whether it reads the time, what it reaches); made on first use, as only the stiff integrator needs it. */
  get derivativeGraph(): DerivativeGraph {
    return (this.graph ??= new DerivativeGraph(this.model, this.symbols));
  }

  /** The analytic Jacobian, or why there is none; generated on first use. */
  get jacobianPlan(): JacobianPlan {
    return (this.plan ??= planJacobian(this.derivativeGraph, this.model.volume));
  }

  /** Written values with overrides applied, and the flags that make them win over initial assignments. */
  startingValues(overrides: ReadonlyMap<string, number> | undefined): { written: Float64Array; overridden: Uint8Array } {
    const written = Float64Array.from(this.written);
    const overridden = new Uint8Array(written.length);
    for (const [id, value] of overrides ?? []) {
      const i = this.symbols.index.get(id);
      if (i === undefined) throw new SimulationSettingsError(`overrides.${id}`, 'no species, parameter or compartment has this id');
      const role = this.symbols.symbols[i].role;
      if (role === 'assigned' || role === 'algebraic')
        throw new SimulationSettingsError(
          `overrides.${id}`,
          `it is set by ${role === 'assigned' ? 'an assignment' : 'an algebraic'} rule at all times, so it cannot be given a value`,
        );
      if (!Number.isFinite(value)) throw new SimulationSettingsError(`overrides.${id}`, `expected a finite number, got ${value}`);
      written[i] = value;
      overridden[i] = 1;
    }
    return { written, overridden };
  }
}
