/**
 * Every way an import fails: one SbmlImportError (code SBML_IMPORT) listing
 * every problem, each with its kind, its SBML element and id, or its line and
 * column for XML that is not well-formed.
 */
import { describe, expect, it } from 'vitest';
import { SbmlImportError } from '../../../../engine/errors';
import { importSbml } from '../../../../engine/model/sbml';
import { fixtureText, importError, importFixture, WASM } from './fixtures';

const where = (e: SbmlImportError) => e.problems.map((p) => ({ kind: p.kind, element: p.element, id: p.id }));

describe('documents that are not SBML', () => {
  it('malformed XML: the line and column of the mismatch, in the problem and the message', async () => {
    const error = await importError('malformed.xml');
    expect(error.code).toBe('SBML_IMPORT');
    expect(error.problems).toEqual([{ kind: 'xml', message: 'Element tag mismatch or missing tag.', line: 10, column: 6 }]);
    expect(error.message).toBe('malformed.xml: cannot import SBML (1 problem):\n  line 10, column 6: Element tag mismatch or missing tag.');
    expect(error.toJSON()).toMatchObject({ name: 'SbmlImportError', code: 'SBML_IMPORT', details: { source: 'malformed.xml' } });
  });

  it.for([
    ['text that is not XML', 'not xml at all'],
    ['an empty document', ''],
    [
      'XML cut short',
      '<?xml version="1.0" encoding="UTF-8"?>\n<sbml xmlns="http://www.sbml.org/sbml/level3/version1/core" level="3" version="1">\n  <model id="m">',
    ],
  ] as const)('%s is an XML error with a line', async ([, text]) => {
    const error = await importSbml(text, { wasm: WASM }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SbmlImportError);
    const [first] = (error as SbmlImportError).problems;
    expect(first.kind).toBe('xml');
    expect(first.line).toBeGreaterThanOrEqual(1);
  });

  it('XML that is not SBML, and SBML without a model', async () => {
    const header = '<?xml version="1.0" encoding="UTF-8"?>\n';
    const notSbml = await importSbml(`${header}<catalog><book/></catalog>`, { wasm: WASM }).catch((e: unknown) => e);
    expect(notSbml).toBeInstanceOf(SbmlImportError);
    // Level 3 Version 1 requires a model (libSBML says so, with the line); Version 2 makes it optional (we say so).
    const l3v1 = await importSbml(`${header}<sbml xmlns="http://www.sbml.org/sbml/level3/version1/core" level="3" version="1"/>`, { wasm: WASM }).catch(
      (e: unknown) => e,
    );
    expect((l3v1 as SbmlImportError).problems).toEqual([
      expect.objectContaining({ kind: 'sbml', line: 2, message: expect.stringMatching(/must contain a <model> element/) }),
    ]);
    const l3v2 = await importSbml(`${header}<sbml xmlns="http://www.sbml.org/sbml/level3/version2/core" level="3" version="2"/>`, { wasm: WASM }).catch(
      (e: unknown) => e,
    );
    expect((l3v2 as SbmlImportError).problems).toEqual([{ kind: 'sbml', message: 'the document has no <model>' }]);
  });

  it('SBML Level 1', async () => {
    expect(where(await importError('level1.xml'))).toEqual([{ kind: 'unsupported', element: 'sbml', id: undefined }]);
  });
});

describe('invalid SBML', () => {
  it('a reaction without kinetic law', async () => {
    const error = await importError('missing-kinetic-law.xml');
    expect(error.problems).toEqual([{ kind: 'unsupported', element: 'reaction', id: 'degradation', message: 'no kinetic law: the rate is unknown' }]);
  });

  it("an unknown species reference: libSBML's error with its line, and the reaction that uses it", async () => {
    const error = await importError('unknown-species.xml');
    expect(error.problems).toContainEqual({ kind: 'sbml', element: 'reaction', id: 'conversion', message: 'product refers to unknown species "Q"' });
    expect(error.problems).toContainEqual(expect.objectContaining({ kind: 'sbml', line: 10, message: expect.stringContaining("references species 'Q'") }));
  });

  it('unknown names and functions in math', async () => {
    const error = await importError('unknown-identifier.xml');
    expect(error.problems).toContainEqual({ kind: 'sbml', element: 'reaction', id: 'decay', message: 'kinetic law: unknown identifier "kk"' });
    expect(error.problems).toContainEqual({
      kind: 'sbml',
      element: 'reaction',
      id: 'decay',
      message: 'kinetic law: call to "f", which is not a function definition of the model',
    });
  });
});

describe('valid SBML the engine cannot run', () => {
  it('fast reactions are refused; everything else the old importer refused now imports (algebraic and rate rules, real stoichiometry, arcsin, factorial, delay, avogadro, time, reaction rates in math, delays, priorities, variable compartments)', async () => {
    const error = await importError('unsupported.xml');
    expect(error.problems).toEqual([
      { kind: 'unsupported', element: 'reaction', id: 'R_fast', message: 'fast reactions (rapid equilibrium) are not supported' },
    ]);
    expect(error.message).toBe('unsupported.xml: cannot import SBML (1 problem):\n  reaction "R_fast": fast reactions (rapid equilibrium) are not supported');

    // Without the fast reaction, the same document imports whole.
    const { model } = await importSbml(fixtureText('unsupported.xml').replace('fast="true"', 'fast="false"'), { wasm: WASM });
    expect(model.species.find((s) => s.id === 'Y')).toMatchObject({ conversionFactor: 'cf' });
    expect(model.rules).toEqual([
      { type: 'algebraic', expression: 'free - 1' },
      { type: 'rate', variable: 'growing', expression: 'k' },
    ]);
    const propensity = (id: string) => model.reactions.find((r) => r.id === id)?.propensity;
    expect(model.reactions.find((r) => r.id === 'R_half')?.reactants).toEqual({ X: 1.5 });
    expect(propensity('R_arcsin')).toBe('asin(0.5) + factorial(3)');
    expect(propensity('R_delay')).toBe('delay(X, 1)');
    expect(propensity('R_avogadro')).toBe('k / 6.02214179e+23');
    expect(propensity('R_time')).toBe('k * t');
    expect(propensity('R_ref')).toBe('k * X'); // the rate of R_half
    expect(model.events.map((e) => [e.id, e.delay, e.priority, Object.keys(e.assignments)])).toEqual([
      ['delayed', 1, undefined, ['X']],
      ['prioritised', undefined, 1, ['Y']],
      ['grow_cell', undefined, undefined, ['cell']],
    ]);
  });

  it('a required package other than comp is refused, named; a comp document is flattened first', async () => {
    const qual = fixtureText('required-package.xml').replace(/comp(?=:required|\/version1"|=")/g, 'qual');
    const error = await importSbml(qual, { wasm: WASM, source: 'qual.xml' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SbmlImportError);
    expect((error as SbmlImportError).problems).toContainEqual({
      kind: 'unsupported',
      element: 'sbml',
      id: 'qual',
      message: 'the SBML package "qual" is required by the document but not supported',
    });
    const { model } = await importFixture('required-package.xml');
    expect(model.reactions.map((r) => r.id)).toEqual(['decay']);
  });

  it('what only the stochastic methods refuse imports: stoichiometryMath, real initial amounts, any time trigger', async () => {
    expect((await importFixture('stoichiometry-math-l2.xml')).model.reactions[0].products).toEqual({ X: 'n' });
    expect((await importFixture('non-integer-initial.xml')).model.species[0].initial).toBe(2.5);
    expect((await importFixture('time-trigger.xml')).model.events[0].trigger).toBe('t < 5');
  });

  it('an algebraic rule over constants only (an overdetermined model) is refused with the line', async () => {
    const error = await importSbml(
      fixtureText('time-trigger.xml').replace(
        '<listOfSpecies>',
        '<listOfParameters><parameter id="fixed" value="1" constant="true"/></listOfParameters><listOfRules><algebraicRule><math xmlns="http://www.w3.org/1998/Math/MathML"><apply><minus/><ci>fixed</ci><cn>1</cn></apply></math></algebraicRule></listOfRules><listOfSpecies>',
      ),
      { wasm: WASM, source: 'overdetermined.xml' },
    ).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SbmlImportError);
    expect((error as SbmlImportError).problems).toEqual([
      { kind: 'sbml', line: 4, column: 2, message: 'The system of equations created from an SBML model must not be overdetermined.' },
    ]);
  });
});
