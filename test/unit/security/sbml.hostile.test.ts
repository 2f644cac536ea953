import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { SbmlImportError } from '../../../engine/errors/index.js';
import { importSbml } from '../../../engine/model/sbml/index.js';
import { MAX_MATH_OPERANDS, MAX_XML_DEPTH } from '../../../engine/model/sbml/xmlShape.js';

/**
 * SBML whose MathML would overflow libSBML's own stack (it recurses over
 * nested and n-ary <apply>, measured to break near 500 levels and 2,000
 * operands) is refused before libSBML reads it, naming the line; the module
 * keeps working for the next document.
 */
const wasm = createRequire(import.meta.url).resolve('libsbmljs_stable/libsbml.wasm');

function document(math: string): string {
  return `<?xml version="1.0" encoding="UTF-8"?>
<sbml xmlns="http://www.sbml.org/sbml/level3/version1/core" level="3" version="1"><model id="m">
<listOfCompartments><compartment id="c" size="1" constant="true"/></listOfCompartments>
<listOfSpecies><species id="X" compartment="c" initialAmount="1" hasOnlySubstanceUnits="true" boundaryCondition="false" constant="false"/></listOfSpecies>
<listOfParameters><parameter id="k" value="1" constant="true"/></listOfParameters>
<listOfReactions><reaction id="r" reversible="false" fast="false"><listOfProducts><speciesReference species="X" stoichiometry="1" constant="true"/></listOfProducts>
<kineticLaw><math xmlns="http://www.w3.org/1998/Math/MathML">
${math}
</math></kineticLaw></reaction></listOfReactions></model></sbml>`;
}

const nested = (n: number) => {
  let math = '<ci>k</ci>';
  for (let i = 0; i < n; i++) math = `<apply><plus/>${math}<cn>1</cn></apply>`;
  return math;
};

describe('SBML that would overflow libSBML', () => {
  it.each([
    ['nested', nested(3_000), `deeper than ${MAX_XML_DEPTH} levels`],
    ['wide', `<apply><plus/>${'<ci>k</ci>'.repeat(20_000)}</apply>`, `more than ${MAX_MATH_OPERANDS} operands`],
  ])('refuses %s MathML with a precise problem and its line, and the next import works', async (_what, math, message) => {
    const error = await importSbml(document(math), { wasm, source: 'hostile.xml' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SbmlImportError);
    expect((error as SbmlImportError).problems[0]).toMatchObject({ kind: 'unsupported', line: 8, message: expect.stringContaining(message) });
    const fine = await importSbml(document('<apply><times/><ci>k</ci><ci>X</ci></apply>'), { wasm, source: 'fine.xml' });
    expect(fine.model.reactions).toHaveLength(1);
  });

  it('reads real nesting (a few dozen levels) as before', async () => {
    const result = await importSbml(document(nested(40)), { wasm, source: 'deep-enough.xml' });
    expect(result.model.reactions).toHaveLength(1);
  });
});
