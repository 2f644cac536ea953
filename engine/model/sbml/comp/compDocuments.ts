/**
 * The documents a comp model is assembled from, and where a `modelRef`
 * leads: a <modelDefinition> of the same document, an
 * <externalModelDefinition> (another document, read through the caller's
 * `readExternal`, which may itself use comp and point further), or the
 * main <model> of an external document (SBML L3 comp v1, sections 3.3-3.5).
 */
import { SbmlImportError } from '../../../errors/index.js';
import { attr, child, children, localName, namespaceOf, parseXml, type XmlElement } from './xmlTree.js';

export const COMP_NS = 'http://www.sbml.org/sbml/level3/version1/comp/version1';

export interface SbmlSourceDocument {
  /** How the document is named: the caller's `source` for the main one, the (resolved) href for external ones. */
  href: string;
  root: XmlElement;
  model: XmlElement | undefined;
  definitions: Map<string, XmlElement>;
  externals: Map<string, XmlElement>;
}

export interface ModelLocation {
  model: XmlElement;
  document: SbmlSourceDocument;
  /** Identifies the model across documents, for cycle detection: `href#id`. */
  key: string;
}

/** True when `ns` is an SBML core namespace (any level and version). */
export const isCoreNamespace = (ns: string | undefined): boolean => ns !== undefined && /^http:\/\/www\.sbml\.org\/sbml\/level\d\/version\d(\/core)?$/.test(ns);

export function compError(message: string, element: XmlElement | undefined, document: SbmlSourceDocument | undefined, id?: string): SbmlImportError {
  const where = document && document.href !== '' ? ` (in ${document.href})` : '';
  return new SbmlImportError([
    {
      kind: 'unsupported',
      message: `comp: ${message}${where}`,
      ...(element ? { element: localName(element.name) } : {}),
      ...(id !== undefined ? { id } : {}),
      ...(element && element.line > 0 ? { line: element.line } : {}),
    },
  ]);
}

function indexDocument(root: XmlElement, href: string): SbmlSourceDocument {
  const core = namespaceOf(root);
  if (localName(root.name) !== 'sbml' || !isCoreNamespace(core)) {
    throw new SbmlImportError([
      { kind: 'xml', element: localName(root.name), message: `the document${href ? ` ${href}` : ''} is not SBML (root <${root.name}>)` },
    ]);
  }
  const document: SbmlSourceDocument = { href, root, model: child(root, 'model', core), definitions: new Map(), externals: new Map() };
  for (const list of children(root, 'listOfModelDefinitions', COMP_NS)) {
    for (const definition of children(list, 'modelDefinition', COMP_NS)) {
      const id = attr(definition, 'id') ?? attr(definition, 'id', COMP_NS);
      if (id === undefined) throw compError('a <modelDefinition> has no id', definition, document);
      document.definitions.set(id, definition);
    }
  }
  for (const list of children(root, 'listOfExternalModelDefinitions', COMP_NS)) {
    for (const external of children(list, 'externalModelDefinition', COMP_NS)) {
      const id = attr(external, 'id', COMP_NS);
      if (id === undefined) throw compError('an <externalModelDefinition> has no comp:id', external, document);
      document.externals.set(id, external);
    }
  }
  return document;
}

/**
 * An href as the caller's `readExternal` receives it: as written in the main
 * document; inside an external document, relative to that document's href
 * (external documents may sit in other folders).
 */
function resolveHref(base: string | undefined, href: string): string {
  if (base === undefined || /^[a-z][a-z0-9+.-]*:/i.test(href) || href.startsWith('/')) return href;
  const slash = base.lastIndexOf('/');
  return slash >= 0 ? `${base.slice(0, slash + 1)}${href}` : href;
}

export class CompDocuments {
  readonly main: SbmlSourceDocument;
  private readonly loaded = new Map<string, SbmlSourceDocument>();

  constructor(
    xml: string,
    source: string | undefined,
    private readonly readExternal: ((href: string) => string | undefined) | undefined,
  ) {
    this.main = indexDocument(parseXml(xml, source), source ?? '');
  }

  /** The model `modelRef` names, seen from `document`. */
  resolve(document: SbmlSourceDocument, modelRef: string, referrer: XmlElement, visiting: string[] = []): ModelLocation {
    const definition = document.definitions.get(modelRef);
    if (definition) return { model: definition, document, key: `${document.href}#${modelRef}` };
    const external = document.externals.get(modelRef);
    if (external) {
      const key = `${document.href}#${modelRef}`;
      if (visiting.includes(key)) throw compError(`external model definitions form a cycle: ${[...visiting, key].join(' -> ')}`, external, document, modelRef);
      const href = attr(external, 'source', COMP_NS);
      if (href === undefined) throw compError('the external model definition has no comp:source', external, document, modelRef);
      const target = this.load(resolveHref(document === this.main ? undefined : document.href, href), external, document);
      const inner = attr(external, 'modelRef', COMP_NS);
      if (inner === undefined) {
        if (!target.model) throw compError(`the external document ${href} has no <model>`, external, document, modelRef);
        return { model: target.model, document: target, key: `${target.href}#${attr(target.model, 'id') ?? ''}` };
      }
      if (target.model && attr(target.model, 'id') === inner) return { model: target.model, document: target, key: `${target.href}#${inner}` };
      return this.resolve(target, inner, external, [...visiting, key]);
    }
    if (document !== this.main && document.model && attr(document.model, 'id') === modelRef) {
      return { model: document.model, document, key: `${document.href}#${modelRef}` };
    }
    throw compError(`no model definition "${modelRef}" in the document`, referrer, document, modelRef);
  }

  private load(href: string, referrer: XmlElement, from: SbmlSourceDocument): SbmlSourceDocument {
    const cached = this.loaded.get(href);
    if (cached) return cached;
    const text = this.readExternal?.(href);
    if (text === undefined) throw compError(`the external document "${href}" cannot be read`, referrer, from, attr(referrer, 'id', COMP_NS));
    const document = indexDocument(parseXml(text, href), href);
    this.loaded.set(href, document);
    return document;
  }
}
