/**
 * Writes the flat SBML core document: the main model's elements, then each
 * instance's surviving elements (depth first, in <listOfSubmodels> order,
 * list by list, as libSBML's Model::appendFrom does), with
 * - ids and metaids prefixed (or taken over through <replacedBy>);
 * - every reference (SIdRef attributes, <ci> in MathML, unit references)
 *   rewritten to the flat id of what stands for it, divided by the
 *   replacement conversion factors;
 * - math assigning to a replaced element multiplied by those factors;
 * - time and extent conversion (libSBML Submodel::convertTimeAndExtent):
 *   kinetic laws × extent/time factor, rate rules ÷ time factor, event
 *   delays × time factor, csymbol time ÷ time factor, delay(x, d) →
 *   delay(x, d × time factor), a reaction's id ÷ extent/time factor;
 * - every comp element and attribute dropped.
 */
import {
  attr,
  attributeNamespace,
  childElements,
  children,
  element,
  isNamespaceDeclaration,
  localName,
  lookupNamespace,
  namespaceOf,
  textOf,
  type XmlAttribute,
  type XmlElement,
  type XmlNode,
} from './xmlTree.js';
import { COMP_NS, isCoreNamespace } from './compDocuments.js';
import { finalId, finalMetaid, isComp, isCore, isLocalParameter, isRemoved, preorder, type Instance, type Term } from './instances.js';
import type { NameResolver } from './resolveNames.js';

const MATHML = 'http://www.w3.org/1998/Math/MathML';
const SYMBOLS = 'http://www.sbml.org/sbml/symbols/';

/** Core list elements, in the order SBML L3 writes them. */
const LISTS = [
  'listOfFunctionDefinitions',
  'listOfUnitDefinitions',
  'listOfCompartments',
  'listOfSpecies',
  'listOfParameters',
  'listOfInitialAssignments',
  'listOfRules',
  'listOfConstraints',
  'listOfReactions',
  'listOfEvents',
];

/** Attributes holding an SId of the model, by element. */
const SID_REFERENCES: Record<string, string[]> = {
  species: ['compartment', 'conversionFactor'],
  reaction: ['compartment'],
  speciesReference: ['species'],
  modifierSpeciesReference: ['species'],
  assignmentRule: ['variable'],
  rateRule: ['variable'],
  eventAssignment: ['variable'],
  initialAssignment: ['symbol'],
  model: ['conversionFactor'],
};
const UNIT_REFERENCES = new Set(['units', 'substanceUnits', 'timeUnits', 'extentUnits', 'volumeUnits', 'areaUnits', 'lengthUnits']);
/** Elements whose math sets the value of the element their variable/symbol names. */
const ASSIGNING: Record<string, string> = { assignmentRule: 'variable', rateRule: 'variable', eventAssignment: 'variable', initialAssignment: 'symbol' };

const prefixOf = (name: string) => (name.includes(':') ? name.slice(0, name.indexOf(':')) : '');
const symbol = (e: XmlElement, name: string) => localName(e.name) === 'csymbol' && (attr(e, 'definitionURL') ?? '').trim() === SYMBOLS + name;

export class FlatEmitter {
  /** Output element → the element it was copied from, for namespace declarations. */
  private readonly sources = new Map<XmlElement, XmlElement>();

  constructor(
    private readonly root: Instance,
    private readonly names: NameResolver,
  ) {}

  document(): XmlElement {
    const sbml = this.root.document.root;
    const out = element(
      sbml.name,
      sbml.attributes.filter((a) => !(isNamespaceDeclaration(a) && a.value === COMP_NS) && attributeNamespace(sbml, a) !== COMP_NS).map((a) => ({ ...a })),
    );
    const model = this.root.model;
    const flat = element(model.name, this.attributes(this.root, model));
    this.sources.set(flat, model);
    for (const c of childElements(model)) {
      const local = localName(c.name);
      if (isCore(c) && (local === 'notes' || local === 'annotation')) flat.children.push(this.verbatim(c, this.root, model));
    }
    const instances = preorder(this.root).filter((i) => !i.parent || !isRemoved(i.parent, i.submodelElement as XmlElement));
    for (const list of LISTS) {
      const items: XmlNode[] = [];
      for (const instance of instances) {
        for (const source of childElements(instance.model).filter((c) => isCore(c) && localName(c.name) === list)) {
          for (const item of childElements(source)) {
            if (isCore(item) && !isRemoved(instance, item)) items.push(this.element(instance, item));
          }
        }
      }
      if (items.length === 0) continue;
      const own = childElements(model).find((c) => isCore(c) && localName(c.name) === list);
      const listElement = element(own?.name ?? list, own ? this.attributes(this.root, own) : []);
      if (own) this.sources.set(listElement, own);
      for (const item of items) listElement.children.push(item);
      flat.children.push(listElement);
    }
    // Other packages' content of the main model is kept as written.
    for (const c of childElements(model)) if (!isCore(c) && !isComp(c)) flat.children.push(this.verbatim(c, this.root, undefined));
    for (const c of flat.children) if (c.kind === 'element') c.parent = flat;
    out.children.push(flat);
    flat.parent = out;
    this.declareNamespaces(out, new Map(), lookupNamespace(out, prefixOf(out.name)) ?? '');
    return out;
  }

  private attributes(instance: Instance, source: XmlElement): XmlAttribute[] {
    const local = localName(source.name);
    const out: XmlAttribute[] = [];
    for (const a of source.attributes) {
      if (isNamespaceDeclaration(a)) {
        if (a.value !== COMP_NS) out.push({ ...a });
        continue;
      }
      const ns = attributeNamespace(source, a);
      if (ns === COMP_NS) continue;
      if (ns !== undefined) {
        out.push({ ...a });
        continue;
      }
      let value = a.value;
      if (a.name === 'id' && source !== instance.model) value = isLocalParameter(source) ? a.value : finalId(instance, source);
      else if (a.name === 'metaid') value = finalMetaid(instance, source);
      else if (SID_REFERENCES[local]?.includes(a.name)) value = this.names.resolve(instance, a.value, source).name;
      else if (UNIT_REFERENCES.has(a.name)) value = this.names.unit(instance, a.value);
      out.push({ name: a.name, value });
    }
    // A submodel's model-wide conversion factor still governs its species once they sit in the flat model.
    const modelFactor = attr(instance.model, 'conversionFactor');
    if (local === 'species' && instance.parent && modelFactor !== undefined && attr(source, 'conversionFactor') === undefined) {
      out.push({ name: 'conversionFactor', value: this.names.resolve(instance, modelFactor, instance.model).name });
    }
    return out;
  }

  private element(instance: Instance, source: XmlElement): XmlElement {
    const out = element(source.name, this.attributes(instance, source));
    this.sources.set(out, source);
    for (const c of source.children) {
      if (c.kind !== 'element') {
        out.children.push({ ...c });
        continue;
      }
      const ns = namespaceOf(c);
      const local = localName(c.name);
      let copy: XmlElement | undefined;
      if (ns === COMP_NS) continue;
      if (ns === MATHML && local === 'math') copy = this.math(instance, c, source);
      else if (isCore(c) && (local === 'notes' || local === 'annotation')) copy = this.verbatim(c, instance, source);
      else if (isCore(c)) {
        if (instance.deleted.has(c) || instance.replacements.has(c)) continue;
        copy = this.element(instance, c);
      } else copy = this.verbatim(c, instance, undefined);
      copy.parent = out;
      out.children.push(copy);
    }
    return out;
  }

  /** A deep copy; in annotations, rdf:about="#metaid" follows the owner's new metaid. */
  private verbatim(source: XmlElement, instance: Instance, owner: XmlElement | undefined): XmlElement {
    const oldMetaid = owner ? attr(owner, 'metaid') : undefined;
    const newMetaid = owner && oldMetaid !== undefined ? finalMetaid(instance, owner) : undefined;
    const copy = (e: XmlElement): XmlElement => {
      const attributes = e.attributes.map((a) =>
        localName(a.name) === 'about' && oldMetaid !== undefined && a.value === `#${oldMetaid}` ? { name: a.name, value: `#${newMetaid}` } : { ...a },
      );
      const out = element(e.name, attributes);
      this.sources.set(out, e);
      for (const c of e.children) {
        if (c.kind === 'element') {
          const inner = copy(c);
          inner.parent = out;
          out.children.push(inner);
        } else out.children.push({ ...c });
      }
      return out;
    };
    return copy(source);
  }

  /** The math of `owner` (a kinetic law, rule, delay, ...) rewritten into flat names. */
  private math(instance: Instance, math: XmlElement, owner: XmlElement): XmlElement {
    const prefix = prefixOf(math.name);
    const name = (local: string) => (prefix ? `${prefix}:${local}` : local);
    const build = (term: Term): XmlElement => {
      if (term.op === 'ci') return element(name('ci'), [], [{ kind: 'text', text: ` ${term.name} ` }]);
      if (term.op === 'cn') return element(name('cn'), [{ name: 'type', value: 'integer' }], [{ kind: 'text', text: ` ${term.value} ` }]);
      return element(name('apply'), [], [element(name(term.op)), ...term.args.map(build)]);
    };
    const apply = (op: 'times' | 'divide', a: XmlElement, b: XmlElement) => element(name('apply'), [], [element(name(op)), a, b]);
    const ownerName = localName(owner.name);
    const locals = new Map<string, XmlElement>();
    if (ownerName === 'kineticLaw') {
      for (const list of [...children(owner, 'listOfLocalParameters', namespaceOf(owner)), ...children(owner, 'listOfParameters', namespaceOf(owner))]) {
        for (const p of childElements(list)) {
          const id = attr(p, 'id');
          // A deleted local parameter no longer hides the global of the same id.
          if (id !== undefined && !instance.deleted.has(p)) locals.set(id, p);
        }
      }
    }
    const time = this.names.timeFactor(instance);

    const rewrite = (node: XmlElement, bound: ReadonlySet<string>): XmlElement => {
      const local = localName(node.name);
      if (local === 'ci') {
        const id = textOf(node).trim();
        const localParameter = locals.get(id);
        if (bound.has(id) || (localParameter && !instance.replacements.has(localParameter))) return this.verbatim(node, instance, undefined);
        // A replaced local parameter: its kinetic law reads the replacement.
        const resolved = localParameter ? this.names.resolveElement(instance, localParameter, id, node) : this.names.resolve(instance, id, node);
        let out = build(resolved.term);
        const rate = localName(resolved.element.name) === 'reaction' && resolved.direct ? this.names.rateFactor(resolved.instance) : undefined;
        if (rate) out = apply('divide', out, build(rate));
        return out;
      }
      if (local === 'csymbol' && symbol(node, 'time') && time) return apply('divide', this.verbatim(node, instance, undefined), build(time));
      if (local === 'cn') {
        const copy = this.verbatim(node, instance, undefined);
        for (const a of copy.attributes) {
          if (localName(a.name) === 'units' && isCoreNamespace(attributeNamespace(node, a))) a.value = this.names.unit(instance, a.value);
        }
        return copy;
      }
      let inner = bound;
      if (local === 'lambda') {
        const names = new Set(bound);
        for (const bvar of childElements(node).filter((c) => localName(c.name) === 'bvar')) {
          for (const ci of childElements(bvar)) names.add(textOf(ci).trim());
        }
        inner = names;
      }
      const out = element(
        node.name,
        node.attributes.map((a) => ({ ...a })),
      );
      this.sources.set(out, node);
      const operands = childElements(node);
      const head = operands[0];
      for (const c of node.children) {
        if (c.kind !== 'element') {
          out.children.push({ ...c });
          continue;
        }
        let copy = rewrite(c, inner);
        // delay(x, d): d is a duration in the submodel's time.
        if (local === 'apply' && time && head && symbol(head, 'delay') && c === operands[2]) copy = apply('times', build(time), copy);
        copy.parent = out;
        out.children.push(copy);
      }
      // rateOf(x) of a replaced x = rateOf(replacement) / factor.
      if (local === 'apply' && head && symbol(head, 'rateOf') && operands[1] && localName(operands[1].name) === 'ci') {
        const resolved = this.names.resolve(instance, textOf(operands[1]).trim(), operands[1]);
        if (resolved.factor) {
          const plain = element(
            node.name,
            node.attributes.map((a) => ({ ...a })),
            [this.verbatim(head, instance, undefined), build({ op: 'ci', name: resolved.name })],
          );
          return apply('divide', plain, build(resolved.factor));
        }
      }
      return out;
    };

    const body = childElements(math)[0];
    let expression = body ? rewrite(body, new Set()) : undefined;
    if (expression) {
      const assigned = ASSIGNING[ownerName];
      const target = assigned !== undefined ? attr(owner, assigned) : undefined;
      const factor = target !== undefined ? this.names.resolve(instance, target, owner).factor : undefined;
      if (factor) expression = apply('times', expression, build(factor));
      if (ownerName === 'rateRule' && time) expression = apply('divide', expression, build(time));
      if (ownerName === 'delay' && time) expression = apply('times', build(time), expression);
      if (ownerName === 'kineticLaw') {
        const rate = this.names.rateFactor(instance);
        if (rate) expression = apply('times', build(rate), expression);
      }
    }
    const out = element(
      math.name,
      math.attributes.map((a) => ({ ...a })),
    );
    this.sources.set(out, math);
    for (const c of math.children) {
      if (c.kind !== 'element') out.children.push({ ...c });
      else if (c === body && expression) {
        expression.parent = out;
        out.children.push(expression);
      }
    }
    return out;
  }

  /**
   * Adds the namespace declarations a copied element relied on from
   * ancestors that are not copied (another document's <sbml>, a list).
   * Any SBML core namespace maps to the output document's.
   */
  private declareNamespaces(out: XmlElement, scope: Map<string, string>, core: string): void {
    const normal = (uri: string | undefined) => (uri === core || !isCoreNamespace(uri) ? uri : core);
    // Copied only where this element declares or needs declarations.
    let inner = scope;
    const declare = (prefix: string, uri: string) => {
      if (inner === scope) inner = new Map(scope);
      inner.set(prefix, uri);
    };
    for (const a of out.attributes) {
      if (a.name === 'xmlns') declare('', a.value);
      else if (a.name.startsWith('xmlns:')) declare(a.name.slice(6), a.value);
    }
    const source = this.sources.get(out);
    if (source) {
      const own = prefixOf(out.name);
      const needed = [own];
      for (const a of out.attributes) if (a.name.includes(':') && !isNamespaceDeclaration(a)) needed.push(prefixOf(a.name));
      for (const prefix of needed) {
        if (prefix === 'xml') continue;
        const wanted = normal(prefix === own ? namespaceOf(source) : lookupNamespace(source, prefix));
        if (wanted === undefined || normal(inner.get(prefix)) === wanted) continue;
        out.attributes.push({ name: prefix === '' ? 'xmlns' : `xmlns:${prefix}`, value: wanted });
        declare(prefix, wanted);
      }
    }
    for (const c of out.children) if (c.kind === 'element') this.declareNamespaces(c, inner, core);
  }
}
