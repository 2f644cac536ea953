/**
 * SBML Level 2 stoichiometryMath, read from the document text: the
 * libsbmljs binding has no accessor for a StoichiometryMath's math. Each
 * <math> is found by reaction id, side and position, and read by libSBML
 * as the math of an assignment rule in a throwaway document, so that the
 * usual MathML converter (with the model's names and function definitions)
 * applies. Comments and CDATA are blanked out before matching.
 */
import type { AstNode, LibsbmlModule, SbmlDocument } from './libsbml.js';

type Side = 'reactants' | 'products';

const P = '(?:[A-Za-z_][\\w.-]*:)?';

function attribute(tag: string, name: string): string | undefined {
  const match = new RegExp(`(?:^|\\s)${name}\\s*=\\s*(?:"([^"]*)"|'([^']*)')`).exec(tag);
  return match ? (match[1] ?? match[2]).trim() : undefined;
}

export class StoichiometryMathText {
  /** reaction id → side → the MathML text of each species reference in order (undefined: none). */
  private readonly maths = new Map<string, Record<Side, Array<string | undefined>>>();

  constructor(xml: string) {
    if (!/stoichiometryMath/.test(xml)) return;
    const text = xml.replace(/<!--[\s\S]*?-->|<!\[CDATA\[[\s\S]*?\]\]>/g, (m) => ' '.repeat(m.length));
    const reaction = new RegExp(`<${P}reaction\\b([^>]*?)(?:/>|>([\\s\\S]*?)</${P}reaction>)`, 'g');
    for (const r of text.matchAll(reaction)) {
      const id = attribute(r[1], 'id');
      if (!id || !r[2]) continue;
      const sides = { reactants: [], products: [] } as Record<Side, Array<string | undefined>>;
      for (const [side, list] of [
        ['reactants', 'listOfReactants'],
        ['products', 'listOfProducts'],
      ] as const) {
        const block = new RegExp(`<${P}${list}\\b[^>]*>([\\s\\S]*?)</${P}${list}>`).exec(r[2]);
        if (!block) continue;
        const reference = new RegExp(`<${P}speciesReference\\b[^>]*?(?:/>|>([\\s\\S]*?)</${P}speciesReference>)`, 'g');
        for (const ref of block[1].matchAll(reference)) {
          const math = ref[1]
            ? new RegExp(`<${P}stoichiometryMath\\b[^>]*>\\s*(<${P}math\\b[\\s\\S]*?</${P}math>)\\s*</${P}stoichiometryMath>`).exec(ref[1])
            : null;
          sides[side].push(math?.[1]);
        }
      }
      this.maths.set(id, sides);
    }
  }

  /** The MathML text of the `index`-th species reference on `side` of `reaction`, if it has stoichiometryMath. */
  mathOf(reaction: string, side: Side, index: number): string | undefined {
    return this.maths.get(reaction)?.[side][index];
  }
}

/**
 * libSBML's tree of a MathML text, passed to `use` while the document that
 * holds it lives; null when libSBML cannot read it.
 */
export function withMathTree<T>(module: LibsbmlModule, mathml: string, use: (ast: AstNode) => T): T | null {
  const reader = new module.SBMLReader();
  let document: SbmlDocument | undefined;
  try {
    document = reader.readSBMLFromString(
      `<?xml version="1.0" encoding="UTF-8"?><sbml xmlns="http://www.sbml.org/sbml/level2/version4" level="2" version="4"><model><listOfParameters><parameter id="stoichiometry" constant="false"/></listOfParameters><listOfRules><assignmentRule variable="stoichiometry">${mathml}</assignmentRule></listOfRules></model></sbml>`,
    );
    const model = document.getModel();
    if (!model || model.ptr === 0 || model.getNumRules() !== 1 || !model.getRule(0).isSetMath()) return null;
    return use(model.getRule(0).getMath());
  } finally {
    if (document) module.destroy(document);
    module.destroy(reader);
  }
}
