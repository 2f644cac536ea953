/**
 * The tree of model instances a comp document describes, and what
 * deletions and replacements make of their elements.
 *
 * Each <submodel> instantiates a model under the id prefix
 * `<parent prefix><submodel id>__` (libSBML's CompFlatteningConverter
 * naming; a prefix that an id of the parent model already starts with gets a
 * number, `A1__`). Documents are never modified: the same model definition
 * instantiated twice shares its XML elements, and the state of each copy
 * (deleted elements, replaced elements, names taken over through
 * <replacedBy>) lives in its Instance.
 *
 * Semantics (SBML L3 comp v1, sections 3.6-3.9, as libSBML implements them):
 * - a deleted element disappears with everything inside it;
 * - a replaced element disappears and every reference to it means its
 *   replacement; with a conversion factor f, the replaced value is
 *   replacement / f, and math assigning to it assigns replacement = math × f;
 * - with <replacedBy>, the submodel element survives under the name of the
 *   parent element it replaces;
 * - chains (an element replaced by one that is itself replaced) compose.
 */
import { attr, child, childElements, children, localName, namespaceOf, type XmlElement } from './xmlTree.js';
import { COMP_NS, compError, isCoreNamespace, type CompDocuments, type ModelLocation, type SbmlSourceDocument } from './compDocuments.js';

/** A math term built by the flattener: a name, a number, a product or a quotient. */
export type Term = { op: 'ci'; name: string } | { op: 'cn'; value: number } | { op: 'times' | 'divide'; args: Term[] };

export interface Replacement {
  instance: Instance;
  element: XmlElement;
  /** The replacing element's parent-side conversion factor id (in `instance`), if any. */
  factor: string | undefined;
}

export interface Instance {
  /** '' for the main model, else the accumulated `<submodel>__` prefixes. */
  prefix: string;
  model: XmlElement;
  document: SbmlSourceDocument;
  parent: Instance | undefined;
  submodelElement: XmlElement | undefined;
  submodels: Map<string, Instance>;
  ids: Map<string, XmlElement>;
  unitIds: Map<string, XmlElement>;
  metaids: Map<string, XmlElement>;
  ports: Map<string, XmlElement>;
  deleted: Set<XmlElement>;
  replacements: Map<XmlElement, Replacement>;
  /** Id and metaid taken over from the parent element a <replacedBy> names. */
  names: Map<XmlElement, { id?: string; metaid?: string }>;
}

/** Elements whose insides are not model structure. */
const OPAQUE = new Set(['math', 'notes', 'annotation']);

export const isCore = (e: XmlElement): boolean => isCoreNamespace(namespaceOf(e));
export const isComp = (e: XmlElement): boolean => namespaceOf(e) === COMP_NS;

/** A kinetic law's local parameter: its id is scoped to the kinetic law, never renamed. */
export function isLocalParameter(e: XmlElement): boolean {
  const list = e.parent;
  return (
    list !== undefined &&
    ['listOfLocalParameters', 'listOfParameters'].includes(localName(list.name)) &&
    list.parent !== undefined &&
    localName(list.parent.name) === 'kineticLaw'
  );
}

function indexModel(instance: Instance): void {
  const visit = (e: XmlElement) => {
    const metaid = attr(e, 'metaid');
    if (metaid !== undefined) instance.metaids.set(metaid, e);
    if (isCore(e)) {
      const id = attr(e, 'id');
      if (id !== undefined && e !== instance.model && !isLocalParameter(e)) {
        (localName(e.name) === 'unitDefinition' ? instance.unitIds : instance.ids).set(id, e);
      }
    } else if (isComp(e)) {
      const id = attr(e, 'id', COMP_NS);
      if (id !== undefined && localName(e.name) === 'submodel') instance.ids.set(id, e);
      if (id !== undefined && localName(e.name) === 'port') instance.ports.set(id, e);
    } else return; // other packages: not indexed
    for (const c of childElements(e)) if (!OPAQUE.has(localName(c.name))) visit(c);
  };
  visit(instance.model);
}

function submodelElements(model: XmlElement): XmlElement[] {
  return children(model, 'listOfSubmodels', COMP_NS).flatMap((list) => children(list, 'submodel', COMP_NS));
}

/** `<id>__`, or `<id><n>__` when an identifier of the model already starts with that (libSBML's findUniqueSubmodPrefixes). */
function uniquePrefix(instance: Instance, id: string): string {
  const taken = [...instance.ids.keys(), ...instance.unitIds.keys(), ...instance.metaids.keys(), ...instance.ports.keys()];
  for (let n = 0; ; n++) {
    const candidate = `${id}${n > 0 ? n : ''}__`;
    if (!taken.some((t) => t.startsWith(candidate))) return candidate;
  }
}

export function instantiate(
  documents: CompDocuments,
  location: ModelLocation,
  parent?: Instance,
  submodelElement?: XmlElement,
  prefix = '',
  ancestry: string[] = [],
): Instance {
  if (ancestry.includes(location.key)) {
    throw compError(
      `model "${attr(location.model, 'id') ?? ''}" contains itself (submodel cycle ${[...ancestry, location.key].join(' -> ')})`,
      submodelElement,
      parent?.document,
      attr(submodelElement ?? location.model, 'id', COMP_NS),
    );
  }
  const instance: Instance = {
    prefix,
    model: location.model,
    document: location.document,
    parent,
    submodelElement,
    submodels: new Map(),
    ids: new Map(),
    unitIds: new Map(),
    metaids: new Map(),
    ports: new Map(),
    deleted: new Set(),
    replacements: new Map(),
    names: new Map(),
  };
  indexModel(instance);
  for (const submodel of submodelElements(location.model)) {
    const id = attr(submodel, 'id', COMP_NS);
    const modelRef = attr(submodel, 'modelRef', COMP_NS);
    if (id === undefined || modelRef === undefined) throw compError('a <submodel> needs comp:id and comp:modelRef', submodel, location.document, id);
    const target = documents.resolve(location.document, modelRef, submodel);
    instance.submodels.set(id, instantiate(documents, target, instance, submodel, prefix + uniquePrefix(instance, id), [...ancestry, location.key]));
  }
  return instance;
}

/** Every instance, parents before children, in document order (the order libSBML appends them). */
export function preorder(root: Instance): Instance[] {
  return [root, ...[...root.submodels.values()].flatMap(preorder)];
}

export interface Target {
  instance: Instance;
  element: XmlElement;
}

/** The element an SBaseRef (deletion, replacedElement, replacedBy, port, sBaseRef) points to, inside `instance`. */
export function resolveReference(reference: XmlElement, instance: Instance): Target {
  const kinds = (['portRef', 'idRef', 'unitRef', 'metaIdRef'] as const).filter((k) => attr(reference, k, COMP_NS) !== undefined);
  if (kinds.length !== 1)
    throw compError(
      `a <${localName(reference.name)}> must have exactly one of comp:portRef, comp:idRef, comp:unitRef, comp:metaIdRef`,
      reference,
      instance.document,
    );
  const kind = kinds[0];
  const value = attr(reference, kind, COMP_NS) as string;
  const table = { portRef: instance.ports, idRef: instance.ids, unitRef: instance.unitIds, metaIdRef: instance.metaids }[kind];
  const found = table.get(value);
  const where = instance.prefix === '' ? 'the main model' : `submodel "${instance.prefix.slice(0, -2)}"`;
  if (!found) throw compError(`${kind} "${value}" names nothing in ${where}`, reference, instance.document, value);
  let target: Target = kind === 'portRef' ? resolveReference(found, instance) : { instance, element: found };
  const deeper = child(reference, 'sBaseRef', COMP_NS);
  if (deeper) {
    const submodelId = localName(target.element.name) === 'submodel' && isComp(target.element) ? attr(target.element, 'id', COMP_NS) : undefined;
    const submodel = submodelId !== undefined ? target.instance.submodels.get(submodelId) : undefined;
    if (!submodel) throw compError(`an <sBaseRef> can only follow a reference to a submodel, not "${value}"`, deeper, instance.document, value);
    target = resolveReference(deeper, submodel);
  }
  return target;
}

/** Marks every element a <deletion> names. */
export function collectDeletions(root: Instance): void {
  for (const instance of preorder(root)) {
    for (const [, submodel] of instance.submodels) {
      const element = submodel.submodelElement as XmlElement;
      for (const deletion of children(element, 'listOfDeletions', COMP_NS).flatMap((l) => children(l, 'deletion', COMP_NS))) {
        const target = resolveReference(deletion, submodel);
        target.instance.deleted.add(target.element);
      }
    }
  }
}

/** Every model element carrying comp replacement children, in document order. */
function replacingElements(instance: Instance): XmlElement[] {
  const found: XmlElement[] = [];
  const visit = (e: XmlElement) => {
    if (!isCore(e) && e !== instance.model) return;
    if (child(e, 'listOfReplacedElements', COMP_NS) || child(e, 'replacedBy', COMP_NS)) found.push(e);
    for (const c of childElements(e)) if (!OPAQUE.has(localName(c.name))) visit(c);
  };
  visit(instance.model);
  return found;
}

function submodelFor(reference: XmlElement, instance: Instance): Instance {
  const id = attr(reference, 'submodelRef', COMP_NS);
  const submodel = id !== undefined ? instance.submodels.get(id) : undefined;
  if (!submodel) throw compError(`comp:submodelRef "${id ?? ''}" names no submodel of the model`, reference, instance.document, id);
  return submodel;
}

function replace(target: Target, replacement: Replacement, reference: XmlElement, instance: Instance): void {
  if (target.instance.replacements.has(target.element)) {
    throw compError(
      `"${attr(target.element, 'id') ?? attr(target.element, 'metaid') ?? localName(target.element.name)}" is replaced more than once`,
      reference,
      instance.document,
    );
  }
  if (isComp(target.element)) throw compError(`replacing a <${localName(target.element.name)}> is not supported`, reference, instance.document);
  target.instance.replacements.set(target.element, replacement);
}

/**
 * Records every <replacedElement>, then every <replacedBy> bottom-up (as in
 * libSBML, where a model's replacedBy runs after its submodels', so the
 * topmost name wins).
 */
export function collectReplacements(root: Instance): void {
  const instances = preorder(root);
  for (const instance of instances) {
    for (const element of replacingElements(instance)) {
      for (const reference of children(element, 'listOfReplacedElements', COMP_NS).flatMap((l) => children(l, 'replacedElement', COMP_NS))) {
        const submodel = submodelFor(reference, instance);
        const deletion = attr(reference, 'deletion', COMP_NS);
        if (deletion !== undefined) {
          // Documents that the parent element takes the place of an element the named deletion removes: nothing to do.
          continue;
        }
        const target = resolveReference(reference, submodel);
        replace(target, { instance, element, factor: attr(reference, 'conversionFactor', COMP_NS) }, reference, instance);
      }
    }
  }
  // Bottom-up, so that a higher model's name wins over a lower one's for the same survivor.
  for (const instance of [...instances].reverse()) {
    for (const element of replacingElements(instance)) {
      const reference = child(element, 'replacedBy', COMP_NS);
      if (!reference) continue;
      const target = resolveReference(reference, submodelFor(reference, instance));
      const fromAbove = instance.replacements.get(element);
      if (fromAbove) {
        // The parent element is itself replaced from above: its replacement stands for both.
        replace(target, fromAbove, reference, instance);
        continue;
      }
      if (isComp(target.element)) throw compError(`replacing by a <${localName(target.element.name)}> is not supported`, reference, instance.document);
      instance.replacements.set(element, { instance: target.instance, element: target.element, factor: undefined });
      const id = attr(element, 'id') !== undefined ? finalId(instance, element) : undefined;
      const metaid = attr(element, 'metaid') !== undefined ? finalMetaid(instance, element) : undefined;
      // The name goes to whatever finally stands for the target (it may itself be replaced by a deeper element).
      const survivor = follow(target.instance, target.element).target;
      const names = survivor.instance.names.get(survivor.element) ?? {};
      survivor.instance.names.set(survivor.element, { ...names, ...(id !== undefined ? { id } : {}), ...(metaid !== undefined ? { metaid } : {}) });
    }
  }
}

export function finalId(instance: Instance, element: XmlElement): string {
  return instance.names.get(element)?.id ?? instance.prefix + (attr(element, 'id') ?? attr(element, 'id', COMP_NS) ?? '');
}

export function finalMetaid(instance: Instance, element: XmlElement): string {
  return instance.names.get(element)?.metaid ?? instance.prefix + (attr(element, 'metaid') ?? '');
}

/** True when the instance was deleted as a whole (its <submodel> deleted), directly or through an ancestor. */
function instanceRemoved(instance: Instance): boolean {
  const parent = instance.parent;
  return parent !== undefined && (isRemoved(parent, instance.submodelElement as XmlElement) || instanceRemoved(parent));
}

/** True when the element does not reach the flat model: deleted or replaced, itself or an enclosing element. */
export function isRemoved(instance: Instance, element: XmlElement): boolean {
  for (let e: XmlElement | undefined = element; e && e !== instance.model; e = e.parent) {
    if (instance.deleted.has(e) || instance.replacements.has(e)) return true;
  }
  return instanceRemoved(instance);
}

/** Follows replacements to the element that stands in the flat model, collecting conversion factors (innermost first). */
export function follow(instance: Instance, element: XmlElement): { target: Target; factors: Array<{ instance: Instance; id: string }> } {
  const factors: Array<{ instance: Instance; id: string }> = [];
  let current: Target = { instance, element };
  for (let steps = 0; ; steps++) {
    const next = current.instance.replacements.get(current.element);
    if (!next) return { target: current, factors };
    if (steps > 1000) throw compError('replacements form a cycle', element, instance.document, attr(element, 'id'));
    if (next.factor !== undefined) factors.push({ instance: next.instance, id: next.factor });
    current = { instance: next.instance, element: next.element };
  }
}
