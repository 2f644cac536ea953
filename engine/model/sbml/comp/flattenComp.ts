/**
 * SBML Level 3 hierarchical model composition (`comp` package, version 1)
 * → one SBML Level 3 core document, equivalent to what libSBML's
 * CompFlatteningConverter produces (that converter is compiled into our
 * libsbmljs build but not exposed to JavaScript).
 *
 * Steps: read the documents (compDocuments.ts), instantiate every submodel
 * recursively under its id prefix (instances.ts), record deletions and
 * replacements, then write the flat model (emitFlat.ts). Anything that
 * cannot be resolved (an unknown model, id or port, a cycle of submodels or
 * external documents, an unreadable external document) throws
 * SbmlImportError naming the element, id and reason: the result is either
 * the whole flat model or nothing.
 *
 * Reference: Smith LP et al. (2015), SBML Level 3 package: Hierarchical
 * Model Composition, Version 1 Release 3. J Integr Bioinform 12(2):268.
 * doi:10.2390/biecoll-jib-2015-268
 */
import { SbmlImportError } from '../../../errors/index.js';
import { CompDocuments, COMP_NS, compError } from './compDocuments.js';
import { collectDeletions, collectReplacements, instantiate } from './instances.js';
import { FlatEmitter } from './emitFlat.js';
import { NameResolver } from './resolveNames.js';
import { attr, printXml } from './xmlTree.js';

export interface FlattenCompOptions {
  /** Names the document in messages, e.g. its file name; also the base for relative external hrefs. */
  source?: string;
  /**
   * Reads the document an <externalModelDefinition comp:source> names
   * (the href as written, resolved against the referring external
   * document's href); undefined when it cannot be read.
   */
  readExternal?: (href: string) => string | undefined;
}

/** True when the document declares the comp package. */
export function usesComp(xml: string): boolean {
  return xml.includes(COMP_NS);
}

export function flattenComp(xml: string, options: FlattenCompOptions = {}): string {
  if (!usesComp(xml)) return xml;
  try {
    const documents = new CompDocuments(xml, options.source, options.readExternal);
    const main = documents.main;
    if (!main.model) throw compError('the document has no <model>', main.root, undefined);
    const root = instantiate(documents, { model: main.model, document: main, key: `${main.href}#${attr(main.model, 'id') ?? ''}` });
    collectDeletions(root);
    collectReplacements(root);
    return printXml(new FlatEmitter(root, new NameResolver()).document());
  } catch (error) {
    if (error instanceof SbmlImportError && options.source !== undefined && error.details.source === undefined)
      throw new SbmlImportError(error.problems, options.source);
    throw error;
  }
}
