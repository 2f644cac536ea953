import { ModelValidationError, type ValidationIssue } from '../errors/index.js';
import { identifiersOf } from './expression/index.js';
import { atColumn, MAX_NAME_ISSUES, parseField, suggest } from './expressionIssues.js';
import { RESERVED_NAMES, reactionNetworkSchema, type ReactionNetwork } from './schema.js';
import { dynamicsIssues } from './validateDynamics.js';
import { issuePath, zodIssues } from '../errors/zodIssues.js';

/** `['reactions', 3, 'rate']` → `reactions[3].rate`. */
export function formatPath(path: ReadonlyArray<PropertyKey>): string {
  return issuePath(path) || '(model)';
}

/**
 * Validate a model written in the JSON format. Returns the model with
 * defaults filled in, or throws ModelValidationError listing every problem
 * with the path of its field (`reactions[3].propensity`) and what was
 * expected. `source` (a file name) prefixes the message.
 */
export function validateModel(input: unknown, source?: string): ReactionNetwork {
  const parsed = reactionNetworkSchema.safeParse(input);
  if (!parsed.success) {
    // Report cross-reference problems too, from whatever parts are well formed, so one run lists everything.
    const structural = zodIssues(parsed.error, { whole: '(model)' });
    const seen = new Set(structural.map((i) => i.path));
    // If the species or parameter names themselves are malformed, names cannot be checked without cascades of false alarms.
    const namespaceComplete = !structural.some((i) => /^(species|parameters|compartments)(\[\d+\](\.id)?)?$/.test(i.path));
    const more = crossReferenceIssues(lenientView(input), namespaceComplete).filter((i) => !seen.has(i.path) && !hasReportedParent(i.path, seen));
    throw new ModelValidationError([...structural, ...more], source);
  }
  const model = parsed.data;
  const issues = crossReferenceIssues(model);
  if (issues.length === 0) for (const issue of dynamicsIssues(model)) issues.push(issue);
  if (issues.length > 0) throw new ModelValidationError(issues, source);
  return model;
}

/** Whether a field that contains `path` (`reactions[3]` for `reactions[3].rate`) already has a structural issue. */
function hasReportedParent(path: string, reported: ReadonlySet<string>): boolean {
  for (let dot = path.indexOf('.'); dot >= 0; dot = path.indexOf('.', dot + 1)) if (reported.has(path.slice(0, dot))) return true;
  return false;
}

/**
 * The well-formed parts of a model that failed structural validation, with
 * malformed entries reduced to what can still be cross-checked. Placeholder
 * ids start with # so they never match a user's name.
 */
function lenientView(input: unknown): ReactionNetwork {
  const record = (v: unknown): Record<string, unknown> => (v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : {});
  const list = (v: unknown): Record<string, unknown>[] => (Array.isArray(v) ? v.map(record) : []);
  const id = (v: unknown, fallback: string) => (typeof v === 'string' && v !== '' ? v : fallback);
  const expression = (v: unknown) => (typeof v === 'string' || typeof v === 'number' ? v : undefined);
  const counts = (v: unknown) => Object.fromEntries(Object.entries(record(v)).map(([k, n]) => [k, typeof n === 'number' || typeof n === 'string' ? n : 1]));
  const model = record(input);
  return {
    name: 'model',
    volume: 1,
    compartments: list(model.compartments).map((c, i) => ({ id: id(c.id, `#compartment${i}`), size: 1, constant: true, dimensions: 3 })),
    species: list(model.species).map((s, i) => ({ id: id(s.id, `#species${i}`), initial: 0 })),
    parameters: list(model.parameters).map((p, i) => ({ id: id(p.id, `#parameter${i}`), value: 0 })),
    reactions: list(model.reactions).map((r, i) => ({
      id: id(r.id, `#reaction${i}`),
      reactants: counts(r.reactants),
      products: counts(r.products),
      rate: expression(r.rate),
      propensity: expression(r.propensity),
    })),
    rules: [],
    initialAssignments: [],
    events: [],
    time: undefined,
  };
}

/** The names an expression may use, by kind (see `checkExpression`). */
export interface Namespace {
  species: ReadonlySet<string>;
  parameters: ReadonlySet<string>;
  compartments: ReadonlySet<string>;
}

function crossReferenceIssues(model: ReactionNetwork, checkNames = true): ValidationIssue[] {
  const issues: ValidationIssue[] = [];
  const species = new Set<string>();
  const parameters = new Set<string>();
  const compartments = new Set<string>();
  const firstUse = new Map<string, string>();

  const declare = (id: string, path: string, into: Set<string>) => {
    if (RESERVED_NAMES.has(id)) issues.push({ path, message: `"${id}" is reserved (vol is the volume, t the time); choose another name` });
    const previous = firstUse.get(id);
    if (previous)
      issues.push({ path, message: `duplicate id "${id}" (already used by ${previous}); species, parameters and compartments share one namespace` });
    else firstUse.set(id, path);
    into.add(id);
  };
  model.compartments.forEach((c, i) => declare(c.id, `compartments[${i}].id`, compartments));
  model.species.forEach((s, i) => declare(s.id, `species[${i}].id`, species));
  model.parameters.forEach((p, i) => declare(p.id, `parameters[${i}].id`, parameters));
  const names: Namespace = { species, parameters, compartments };

  const empty = [model.species, model.reactions, model.rules, model.events, model.parameters, model.compartments].every((list) => list.length === 0);
  if (empty) issues.push({ path: '(model)', message: 'expected at least one species, reaction or rule: the model is empty' });

  model.species.forEach((s, i) => {
    const at = `species[${i}]`;
    if (s.compartment !== undefined && checkNames && !compartments.has(s.compartment)) {
      issues.push({
        path: `${at}.compartment`,
        message: `unknown compartment "${s.compartment}"${compartments.size ? suggest(s.compartment, compartments) : ' (the model declares no compartments)'}`,
      });
    }
    if (s.amountOnly === false && s.compartment === undefined) {
      issues.push({ path: `${at}.amountOnly`, message: `"${s.id}" is a concentration (amountOnly false) but has no compartment to divide its amount by` });
    }
    if (s.conversionFactor !== undefined && checkNames && !parameters.has(s.conversionFactor)) {
      issues.push({ path: `${at}.conversionFactor`, message: `unknown parameter "${s.conversionFactor}"${suggest(s.conversionFactor, parameters)}` });
    }
  });
  if (model.conversionFactor !== undefined && checkNames && !parameters.has(model.conversionFactor)) {
    issues.push({ path: 'conversionFactor', message: `unknown parameter "${model.conversionFactor}"${suggest(model.conversionFactor, parameters)}` });
  }

  const reactionIds = new Map<string, number>();
  model.reactions.forEach((reaction, i) => {
    const at = `reactions[${i}]`;
    const previous = reactionIds.get(reaction.id);
    if (previous !== undefined) issues.push({ path: `${at}.id`, message: `duplicate reaction id "${reaction.id}" (already reactions[${previous}])` });
    else reactionIds.set(reaction.id, i);

    for (const side of ['reactants', 'products'] as const) {
      for (const [name, coefficient] of Object.entries(reaction[side])) {
        if (checkNames && !species.has(name)) issues.push({ path: `${at}.${side}.${name}`, message: `unknown species "${name}"${suggest(name, species)}` });
        if (typeof coefficient === 'string') checkExpression(coefficient, `${at}.${side}.${name}`, names, 'variable', issues, checkNames);
      }
    }
    if (Object.keys(reaction.reactants).length === 0 && Object.keys(reaction.products).length === 0) {
      issues.push({ path: at, message: `reaction "${reaction.id}" has neither reactants nor products` });
    }
    const hasRate = reaction.rate !== undefined;
    const hasPropensity = reaction.propensity !== undefined;
    if (hasRate === hasPropensity) {
      issues.push({
        path: at,
        message: `reaction "${reaction.id}" needs exactly one of "rate" (mass-action constant) or "propensity" (custom expression)`,
      });
      return;
    }
    if (hasRate) checkExpression(reaction.rate!, `${at}.rate`, names, 'rate', issues, checkNames);
    else checkExpression(reaction.propensity!, `${at}.propensity`, names, 'variable', issues, checkNames);
  });
  return issues;
}

/**
 * Parse an expression and check every name in it. `rate`: a mass-action
 * rate constant (parameters, compartments and vol; a negative number is
 * refused); `variable`: any species, parameter, compartment, vol or t.
 */
function checkExpression(text: string | number, path: string, names: Namespace, kind: 'rate' | 'variable', issues: ValidationIssue[], checkNames = true): void {
  const rate = kind === 'rate';
  if (typeof text === 'number') {
    if (rate && text < 0) issues.push({ path, message: `expected a non-negative rate, got ${text}` });
    return;
  }
  const ast = parseField(text, path, issues);
  if (!ast || !checkNames) return;
  let unknown = 0;
  for (const [name, position] of identifiersOf(ast)) {
    if (name === 'vol' || names.parameters.has(name) || names.compartments.has(name)) continue;
    if (!rate && (names.species.has(name) || name === 't')) continue;
    if (++unknown > MAX_NAME_ISSUES) continue;
    const where = atColumn(text, position);
    if (rate && RESERVED_NAMES.has(name)) {
      issues.push({ path, message: `"${name}" cannot appear in a rate constant ${where}` });
    } else if (rate && names.species.has(name)) {
      issues.push({ path, message: `species "${name}" cannot appear in a mass-action rate ${where}; write a "propensity" for state-dependent laws` });
    } else if (rate) {
      issues.push({
        path,
        message: `unknown parameter "${name}" ${where}; a mass-action rate may use parameters and vol only (write a "propensity" for state-dependent laws)`,
      });
    } else {
      const known = new Set([...names.species, ...names.parameters, ...names.compartments]);
      issues.push({
        path,
        message: `unknown name "${name}" ${where}; expected a species, a parameter${names.compartments.size ? ', a compartment' : ''}, vol or t${suggest(name, known)}`,
      });
    }
  }
  if (unknown > MAX_NAME_ISSUES) issues.push({ path, message: `and ${unknown - MAX_NAME_ISSUES} more names that are not allowed here` });
}
