/**
 * What a name written inside one model instance means in the flat model:
 * the flat id of the element that stands for it, divided by the conversion
 * factors of the replacements on the way (replaced = replacement / factor),
 * and the instance's accumulated time and extent conversion factors
 * (comp v1 section 3.5.3: the submodel's time is t / timeConversionFactor,
 * its reaction extents are the parent's / extentConversionFactor).
 */
import { attr, localName, type XmlElement } from './xmlTree.js';
import { COMP_NS, compError } from './compDocuments.js';
import { finalId, follow, isRemoved, type Instance, type Term } from './instances.js';

export interface ResolvedName {
  /** The flat id. */
  name: string;
  /** What the written name's value is, in flat terms: `name`, or `name / factors`. */
  term: Term;
  /** The product of conversion factors, when a replacement carried one. */
  factor: Term | undefined;
  element: XmlElement;
  instance: Instance;
  /** True when the name reached its element without a replacement. */
  direct: boolean;
}

const product = (terms: Term[]): Term | undefined => (terms.length === 0 ? undefined : terms.length === 1 ? terms[0] : { op: 'times', args: terms });

export class NameResolver {
  private readonly time = new Map<Instance, Term | undefined>();
  private readonly extent = new Map<Instance, Term | undefined>();

  /** `id` as written in `instance` (an SId of that model). */
  resolve(instance: Instance, id: string, referrer: XmlElement): ResolvedName {
    const element = instance.ids.get(id);
    if (!element) throw compError(`"${id}" names nothing in ${describe(instance)}`, referrer, instance.document, id);
    return this.resolveElement(instance, element, id, referrer);
  }

  /** What stands for `element` of `instance` (written as `id`) in the flat model. */
  resolveElement(instance: Instance, element: XmlElement, id: string, referrer: XmlElement): ResolvedName {
    const { target, factors } = follow(instance, element);
    if (isRemoved(target.instance, target.element)) {
      throw compError(`"${id}" is used but was deleted from ${describe(target.instance)}`, referrer, instance.document, id);
    }
    const name = finalId(target.instance, target.element);
    const factor = product(factors.map((f) => this.resolve(f.instance, f.id, referrer).term));
    const term: Term = factor ? { op: 'divide', args: [{ op: 'ci', name }, factor] } : { op: 'ci', name };
    return { name, term, factor, element: target.element, instance: target.instance, direct: factors.length === 0 && target.element === element };
  }

  /** A unit reference: a unit definition's flat id, or a base unit as written. */
  unit(instance: Instance, id: string): string {
    const element = instance.unitIds.get(id);
    if (!element) return id;
    const { target } = follow(instance, element);
    return finalId(target.instance, target.element);
  }

  /** The instance's time conversion factor (product down the submodel chain), or undefined. */
  timeFactor(instance: Instance): Term | undefined {
    return this.accumulated(instance, 'timeConversionFactor', this.time);
  }

  extentFactor(instance: Instance): Term | undefined {
    return this.accumulated(instance, 'extentConversionFactor', this.extent);
  }

  /** What a kinetic law of the instance is multiplied by: extent / time factor (libSBML's klmod). */
  rateFactor(instance: Instance): Term | undefined {
    const time = this.timeFactor(instance);
    const extent = this.extentFactor(instance);
    if (!time) return extent;
    return { op: 'divide', args: [extent ?? { op: 'cn', value: 1 }, time] };
  }

  private accumulated(instance: Instance, attribute: string, cache: Map<Instance, Term | undefined>): Term | undefined {
    if (cache.has(instance)) return cache.get(instance);
    let result: Term | undefined;
    const parent = instance.parent;
    if (parent && instance.submodelElement) {
      const own = attr(instance.submodelElement, attribute, COMP_NS);
      const inherited = this.accumulated(parent, attribute, cache);
      const ownTerm = own !== undefined ? this.resolve(parent, own, instance.submodelElement).term : undefined;
      result = product([inherited, ownTerm].filter((t): t is Term => t !== undefined));
    }
    cache.set(instance, result);
    return result;
  }
}

export function describe(instance: Instance): string {
  return instance.prefix === ''
    ? `the main model`
    : `submodel "${instance.prefix.slice(0, -2)}" (model "${attr(instance.model, 'id') ?? localName(instance.model.name)}")`;
}
