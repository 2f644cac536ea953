import { SimulationError } from '../../errors/index.js';
import { timeTrigger } from '../../model/compile.js';
import { parseExpression } from '../../model/expression/index.js';
import { emitNumber } from '../../model/expression/emitJs.js';
import type { ReactionNetwork } from '../../model/schema.js';
import { dependencyOrder } from './dependencyOrder.js';
import { ExpressionCompiler, sizeJs } from './expressionCode.js';
import type { ModelSymbols } from './modelSymbols.js';

/** What generated code calls for delay() and rateOf() (see expressionCode.ts). */
export interface TrajectoryHooks {
  /** The k-th delayed expression as it was at t - tau; v: the values the caller is evaluating with. */
  delay(k: number, t: number, tau: number, v: Float64Array): number;
  /** d(value of symbol)/dt at the point whose values are v. */
  rateOf(symbol: number, t: number, v: Float64Array): number;
}

type H = TrajectoryHooks;
type F = Float64Array;

/**
 * The model's mathematics as straight-line JavaScript over typed arrays,
 * generated once per model. Arrays: `v` values as expressions read them (by
 * symbol), `y` integrated state (by slot), `z` algebraic unknowns (by slot),
 * `d` the discrete store of fixed symbols' primary values (by symbol: amounts
 * for concentration species), `w` written initial values (species: amounts),
 * `ov` override flags (by symbol).
 */
export interface GeneratedModel {
  /** v from (y, z, d): state values, then assignment rules, in dependency order. */
  refresh(t: number, y: F, z: F, d: F, v: F, hooks: H): void;
  /** v at t0 from written values, initial assignments, rules and z, in dependency order. */
  init(t: number, v: F, z: F, w: F, ov: Uint8Array, hooks: H): void;
  /** Algebraic rule expressions (0 at a solution), from a refreshed v. */
  residual(t: number, v: F, r: F, hooks: H): void;
  /** Reaction rates (kinetic laws) from a refreshed v. */
  rates(t: number, v: F, a: F, hooks: H): void;
  /** dy from a refreshed v. */
  derivative(t: number, v: F, dy: F, hooks: H): void;
  /** 1 where event k's trigger holds, else 0. */
  triggers(t: number, v: F, out: F, hooks: H): void;
  /** Event priorities (NaN where none is given). */
  priorities(t: number, v: F, out: F, hooks: H): void;
  /** For a trigger on time alone (`t >= T`, `t > T`): T, else NaN; so the integrator can stop exactly there. */
  eventTimes(t: number, v: F, out: F, hooks: H): void;
  /** Event delays (0 where none is given). */
  delays(t: number, v: F, out: F, hooks: H): void;
  /** Event k's assignment values, in the order of EventTarget lists. */
  eventValues: ReadonlyArray<(t: number, v: F, out: F, hooks: H) => void>;
  /** The delayed expressions x of delay(x, tau), by k, at the past point (t, y, z, d): refreshes into v what x reads, then evaluates x. */
  delayArgs: ReadonlyArray<(t: number, y: F, z: F, d: F, v: F, hooks: H) => number>;
  /** x at a time t before t0, from the t0 definitions (initial assignments, rules, written values) evaluated at t. */
  delayBefore: ReadonlyArray<(t: number, z: F, w: F, ov: Uint8Array, v: F, hooks: H) => number>;
  /** The same x from values v at hand. */
  delayNow: ReadonlyArray<(t: number, v: F, hooks: H) => number>;
  /** d(value)/dt by symbol, for the symbols rateOf() reads that have a closed form (others: null). */
  rateOf: ReadonlyArray<((t: number, v: F, hooks: H) => number) | null>;
}

export interface GeneratedModelSource {
  source: string;
  compiler: ExpressionCompiler;
}

/** The generated source (for tests and debugging) and the compiler that saw every expression. */
export function generatedModelSource(model: ReactionNetwork, symbols: ModelSymbols): GeneratedModelSource {
  const { symbols: syms, index } = symbols;
  const compiler = new ExpressionCompiler(index, model.volume);
  const size = (i: number) => sizeJs(syms[i].compartment, model.volume);
  const compartmentDeps = (i: number) => (syms[i].compartment >= 0 ? [syms[i].compartment] : []);
  const ruleOf = new Map<string, string | number>();
  const rateRuleOf = new Map<string, string | number>();
  for (const r of model.rules) {
    if (r.type === 'assignment' && r.variable) ruleOf.set(r.variable, r.expression);
    if (r.type === 'rate' && r.variable) rateRuleOf.set(r.variable, r.expression);
  }
  const initialAssignmentOf = new Map(model.initialAssignments.map((a) => [a.variable, a.expression]));

  // Refresh: each symbol's value at the current time.
  const refreshCode: string[] = [];
  const refreshDeps: number[][] = [];
  syms.forEach((s, i) => {
    let code: string;
    let deps: number[] = [];
    if (s.role === 'assigned') {
      code = `v[${i}]=${compiler.js(ruleOf.get(s.id)!, `assignment rule for ${s.id}`)};`;
      deps = compiler.symbolsRead(ruleOf.get(s.id)!);
    } else if (s.role === 'algebraic') code = `v[${i}]=z[${s.slot}];`;
    else {
      const primary = s.role === 'fixed' ? `d[${i}]` : `y[${s.slot}]`;
      code = s.holdsAmount ? `v[${i}]=${primary}/${size(i)};` : `v[${i}]=${primary};`;
      if (s.holdsAmount) deps = compartmentDeps(i);
    }
    refreshCode.push(code);
    refreshDeps.push(deps);
  });
  // Plain copies (no dependencies) first: rateOf() in a rule reads values its dependencies do not list.
  const refreshOrder = dependencyOrder(refreshDeps, (i) => syms[i].id, 'assignment rules (and the compartments of concentration species)');
  refreshOrder.sort(
    (a, b) => Number(refreshDeps[a].length > 0 || syms[a].role === 'assigned') - Number(refreshDeps[b].length > 0 || syms[b].role === 'assigned'),
  );

  // Initial values at t0.
  const initCode: string[] = [];
  const initDeps: number[][] = [];
  syms.forEach((s, i) => {
    const written = s.kind === 'species' && s.concentration ? `w[${i}]/${size(i)}` : `w[${i}]`;
    const writtenDeps = s.kind === 'species' && s.concentration ? compartmentDeps(i) : [];
    let code: string;
    let deps: number[];
    if (s.role === 'algebraic') {
      code = `v[${i}]=z[${s.slot}];`;
      deps = [];
    } else if (s.role === 'assigned') {
      code = `v[${i}]=${compiler.js(ruleOf.get(s.id)!, `assignment rule for ${s.id}`)};`;
      deps = compiler.symbolsRead(ruleOf.get(s.id)!);
    } else {
      let defined: string | null = null;
      deps = writtenDeps;
      const assignment = initialAssignmentOf.get(s.id);
      const species = s.kind === 'species' ? model.species.find((x) => x.id === s.id)! : undefined;
      if (assignment !== undefined) {
        defined = compiler.js(assignment, `initial assignment for ${s.id}`);
        deps = [...deps, ...compiler.symbolsRead(assignment)];
      } else if (species && typeof species.initial === 'string') {
        const amount = compiler.js(species.initial, `initial amount of ${s.id}`);
        defined = s.concentration ? `${amount}/${size(i)}` : amount;
        deps = [...deps, ...compiler.symbolsRead(species.initial)];
      }
      code = defined === null ? `v[${i}]=${written};` : `v[${i}]=ov[${i}]!==0?${written}:${defined};`;
    }
    initCode.push(code);
    initDeps.push(deps);
  });
  const initOrder = dependencyOrder(initDeps, (i) => syms[i].id, 'initial values (initial assignments, rules, initial amounts)');

  const residualCode = symbols.algebraicRules.map((r, m) => `r[${m}]=${compiler.js(model.rules[r].expression, `algebraic rule ${r + 1}`)};`);

  // Reactions: rates, and each species' rate of change of amount.
  const rateCode = model.reactions.map((r) => reactionRateJs(r, compiler, model.volume));
  const amountTerms = new Map<number, string[]>();
  model.reactions.forEach((r, j) => {
    const net = new Map<string, string[]>();
    for (const [id, c] of Object.entries(r.reactants)) net.set(id, [...(net.get(id) ?? []), `-${coefficientJs(c, compiler, r.id, id)}`]);
    for (const [id, c] of Object.entries(r.products)) net.set(id, [...(net.get(id) ?? []), `+${coefficientJs(c, compiler, r.id, id)}`]);
    for (const [id, parts] of net) {
      const i = index.get(id)!;
      if (syms[i].role !== 'reaction') continue;
      const list = amountTerms.get(i) ?? [];
      list.push(`(${parts.join('')})*a${j}`);
      amountTerms.set(i, list);
    }
  });
  const conversion = (i: number): string => {
    const species = model.species.find((x) => x.id === syms[i].id)!;
    const factor = species.conversionFactor ?? model.conversionFactor;
    return factor !== undefined && index.has(factor) ? `*v[${index.get(factor)}]` : '';
  };
  const amountRateJs = (i: number): string => {
    const terms = amountTerms.get(i);
    return terms ? `(${terms.join('+')})${conversion(i)}` : '0';
  };
  /** The reactions that change species i (their rates are the locals a_j its amount rate reads). */
  const reactionsOf = (i: number): number[] =>
    model.reactions.flatMap((r, j) =>
      syms[i].role === 'reaction' && (r.reactants[syms[i].id] !== undefined || r.products[syms[i].id] !== undefined) ? [j] : [],
    );
  const rateLocals = rateCode.length > 0 ? `const ${rateCode.map((c, j) => `a${j}=${c}`).join(',\n')};` : '';
  const derivativeCode = symbols.stateSymbols.map((i, slot) => {
    const s = syms[i];
    if (s.role === 'rate') return `dy[${slot}]=${compiler.js(rateRuleOf.get(s.id)!, `rate rule for ${s.id}`)};`;
    return `dy[${slot}]=${amountRateJs(i)};`;
  });

  // Events.
  const triggerCode = model.events.map((e, k) => `out[${k}]=${compiler.js(e.trigger, `trigger of event ${e.id}`)}!==0?1:0;`);
  const priorityCode = model.events.map((e, k) => `out[${k}]=${e.priority === undefined ? 'NaN' : compiler.js(e.priority, `priority of event ${e.id}`)};`);
  const eventTimeCode = model.events.map((e, k) => {
    const time = timeTrigger(parseExpression(e.trigger));
    return `out[${k}]=${time ? compiler.jsOfTree(time.at, `trigger of event ${e.id}`) : 'NaN'};`;
  });
  const delayCode = model.events.map((e, k) => `out[${k}]=${e.delay === undefined ? '0' : compiler.js(e.delay, `delay of event ${e.id}`)};`);
  const eventValueCode = model.events.map(
    (e) =>
      `function(t,v,out,H){${Object.values(e.assignments)
        .map((x, m) => `out[${m}]=${compiler.js(x, `event ${e.id}`)};`)
        .join('')}}`,
  );

  // rateOf: closed forms (rate rules, reactions, constants); assignment and algebraic variables are differentiated numerically by the simulator.
  const rateOfFor = (i: number): string | null => {
    const s = syms[i];
    const sizeRate = s.compartment >= 0 && syms[s.compartment].role !== 'fixed' ? `H.rateOf(${s.compartment},t,v)` : null;
    if (s.role === 'rate') return compiler.js(rateRuleOf.get(s.id)!, `rate rule for ${s.id}`);
    if (s.role === 'reaction') {
      if (!s.concentration) return amountRateJs(i);
      return `((${amountRateJs(i)})${sizeRate ? `-v[${i}]*${sizeRate}` : ''})/${size(i)}`;
    }
    if (s.role === 'fixed') return s.holdsAmount && sizeRate ? `(-v[${i}]*${sizeRate}/${size(i)})` : '0';
    if (s.role === 'algebraic') {
      throw new SimulationError('RATEOF_UNSUPPORTED', `rateOf(${s.id}): ${s.id} is determined by an algebraic rule, whose rate of change is not computed`, {
        variable: s.id,
      });
    }
    return null;
  };
  // Generating a rateOf body may meet rateOf of further symbols (compartments): close over them.
  const rateOfCode = new Map<number, string | null>();
  for (let pending = [...compiler.rateOfSymbols]; pending.length > 0; pending = [...compiler.rateOfSymbols].filter((i) => !rateOfCode.has(i))) {
    for (const i of pending) rateOfCode.set(i, rateOfFor(i));
  }
  // delay() arguments are compiled last: compiling them may find further delays, compiled in turn.
  const delayArgCode: string[] = [];
  // Two forms: from values at hand (a zero delay; t0 before any history), and at a past point, refreshing
  // only what x reads (the rest may itself hold delays, which would recurse without end).
  const delayNowCode: string[] = [];
  const delayBeforeCode: string[] = [];
  for (let k = 0; k < compiler.delayed.length; k++) {
    const x = compiler.emit(compiler.delayed[k].x, `delay() argument ${k + 1}`);
    const needed = new Set<number>();
    // What x names, and every plain value (cheap, and rateOf() closed forms read them), with their dependencies.
    const roots = [...compiler.delayed[k].reads, ...syms.flatMap((sym, i) => (sym.role === 'assigned' ? [] : [i]))];
    for (const pending = roots; pending.length > 0; ) {
      const i = pending.pop()!;
      if (needed.has(i)) continue;
      needed.add(i);
      pending.push(...refreshDeps[i]);
    }
    delayNowCode.push(`function(t,v,H){return ${x};}`);
    // Before t0 each variable follows its t0 definition at that time (SBML test suite 00941: an initial assignment over t).
    const early = new Set<number>();
    for (const pending = [...compiler.delayed[k].reads]; pending.length > 0; ) {
      const i = pending.pop()!;
      if (early.has(i)) continue;
      early.add(i);
      pending.push(...initDeps[i]);
    }
    delayBeforeCode.push(
      `function(t,z,w,ov,v,H){${initOrder
        .filter((i) => early.has(i))
        .map((i) => initCode[i])
        .join('')}return ${x};}`,
    );
    delayArgCode.push(
      `function(t,y,z,d,v,H){${refreshOrder
        .filter((i) => needed.has(i))
        .map((i) => refreshCode[i])
        .join('')}return ${x};}`,
    );
  }
  for (
    let pending = [...compiler.rateOfSymbols].filter((i) => !rateOfCode.has(i));
    pending.length > 0;
    pending = [...compiler.rateOfSymbols].filter((i) => !rateOfCode.has(i))
  ) {
    for (const i of pending) rateOfCode.set(i, rateOfFor(i));
  }
  const rateOfArray = syms.map((_, i) => {
    const code = rateOfCode.get(i);
    if (code === undefined || code === null) return 'null';
    // Only the rates this symbol's change reads: another reaction's law may itself read this rateOf.
    const needed = syms[i].kind === 'species' ? reactionsOf(i) : [];
    const locals = needed.length > 0 ? `const ${needed.map((j) => `a${j}=${rateCode[j]}`).join(',')};` : '';
    return `function(t,v,H){${locals}return ${code};}`;
  });

  const source = [
    '"use strict";',
    `const refresh=function(t,y,z,d,v,H){${refreshOrder.map((i) => refreshCode[i]).join('\n')}};`,
    `const init=function(t,v,z,w,ov,H){${initOrder.map((i) => initCode[i]).join('\n')}};`,
    `const residual=function(t,v,r,H){${residualCode.join('\n')}};`,
    `const rates=function(t,v,a,H){${rateCode.map((c, j) => `a[${j}]=${c};`).join('\n')}};`,
    `const derivative=function(t,v,dy,H){${rateLocals}\n${derivativeCode.join('\n')}};`,
    `const triggers=function(t,v,out,H){${triggerCode.join('\n')}};`,
    `const priorities=function(t,v,out,H){${priorityCode.join('\n')}};`,
    `const eventTimes=function(t,v,out,H){${eventTimeCode.join('\n')}};`,
    `const delays=function(t,v,out,H){${delayCode.join('\n')}};`,
    `const eventValues=[${eventValueCode.join(',\n')}];`,
    `const delayArgs=[${delayArgCode.join(',\n')}];`,
    `const delayNow=[${delayNowCode.join(',\n')}];`,
    `const delayBefore=[${delayBeforeCode.join(',\n')}];`,
    `const rateOf=[${rateOfArray.join(',\n')}];`,
    'return {refresh,init,residual,rates,derivative,triggers,priorities,eventTimes,delays,eventValues,delayArgs,delayNow,delayBefore,rateOf};',
  ].join('\n');
  return { source, compiler };
}

export function generateModel(model: ReactionNetwork, symbols: ModelSymbols): GeneratedModel {
  const { source } = generatedModelSource(model, symbols);
  // Generated from parsed expression trees: identifiers map to array slots, numbers are re-printed; no user text is evaluated.
  return new Function(source)() as GeneratedModel;
}

/** A stoichiometric coefficient as code: a number, or an expression (variable stoichiometry). */
function coefficientJs(c: string | number, compiler: ExpressionCompiler, reaction: string, species: string): string {
  return typeof c === 'number' ? emitNumber(c) : compiler.js(c, `stoichiometry of ${species} in reaction ${reaction}`);
}

/**
 * A reaction's rate in substance per time: its kinetic law (`propensity`),
 * or the legacy mass action c · Π x^n with c = k · vol^(1 − order), the
 * deterministic form of the count models (codegen/propensityJs.ts).
 */
function reactionRateJs(r: ReactionNetwork['reactions'][number], compiler: ExpressionCompiler, volume: number): string {
  if (r.propensity !== undefined) return compiler.js(r.propensity, `kinetic law of reaction ${r.id}`);
  if (r.rate === undefined) throw new SimulationError('NO_RATE_LAW', `reaction ${r.id} has neither a kinetic law (propensity) nor a rate`, { reaction: r.id });
  const k = compiler.js(r.rate, `rate of reaction ${r.id}`);
  const reactants = Object.entries(r.reactants);
  const numeric = reactants.every(([, c]) => typeof c === 'number');
  const factors = reactants.map(([id, c]) => {
    const x = compiler.js(id, `reaction ${r.id}`);
    if (c === 1) return x;
    if (c === 2) return `${x}*${x}`;
    return `Math.pow(${x},${coefficientJs(c, compiler, r.id, id)})`;
  });
  let scale: string;
  if (numeric) {
    const order = reactants.reduce((sum, [, c]) => sum + (c as number), 0);
    scale = order === 1 ? '' : `*${emitNumber(Math.pow(volume, 1 - order))}`;
  } else {
    scale = `*Math.pow(${emitNumber(volume)},1-(${reactants.map(([id, c]) => coefficientJs(c, compiler, r.id, id)).join('+')}))`;
  }
  return `(${k}${scale}${factors.map((f) => `*${f}`).join('')})`;
}
