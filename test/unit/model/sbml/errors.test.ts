/**
 * Every way an import fails: one SbmlImportError (code SBML_IMPORT) listing
 * every problem, each with its kind, its SBML element and id, or its line and
 * column for XML that is not well-formed.
 */
import { describe, expect, it } from 'vitest';
import { SbmlImportError } from '../../../../engine/errors';
import { importSbml } from '../../../../engine/model/sbml';
import { importError, WASM } from './fixtures';

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
    ['XML cut short', '<?xml version="1.0" encoding="UTF-8"?>\n<sbml xmlns="http://www.sbml.org/sbml/level3/version1/core" level="3" version="1">\n  <model id="m">'],
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
    const l3v1 = await importSbml(`${header}<sbml xmlns="http://www.sbml.org/sbml/level3/version1/core" level="3" version="1"/>`, { wasm: WASM }).catch((e: unknown) => e);
    expect((l3v1 as SbmlImportError).problems).toEqual([expect.objectContaining({ kind: 'sbml', line: 2, message: expect.stringMatching(/must contain a <model> element/) })]);
    const l3v2 = await importSbml(`${header}<sbml xmlns="http://www.sbml.org/sbml/level3/version2/core" level="3" version="2"/>`, { wasm: WASM }).catch((e: unknown) => e);
    expect((l3v2 as SbmlImportError).problems).toEqual([{ kind: 'sbml', message: 'the document has no <model>' }]);
  });

  it('SBML Level 1', async () => {
    expect(where(await importError('level1.xml'))).toEqual([{ kind: 'unsupported', element: 'sbml', id: undefined }]);
  });
});

describe('invalid SBML', () => {
  it('a reaction without kinetic law', async () => {
    const error = await importError('missing-kinetic-law.xml');
    expect(error.problems).toEqual([{ kind: 'unsupported', element: 'reaction', id: 'degradation', message: 'no kinetic law: the propensity is unknown' }]);
  });

  it("an unknown species reference: libSBML's error with its line, and the reaction that uses it", async () => {
    const error = await importError('unknown-species.xml');
    expect(error.problems).toContainEqual({ kind: 'sbml', element: 'reaction', id: 'conversion', message: 'product refers to unknown species "Q"' });
    expect(error.problems).toContainEqual(expect.objectContaining({ kind: 'sbml', line: 10, message: expect.stringContaining("references species 'Q'") }));
  });

  it('unknown names and functions in math', async () => {
    const error = await importError('unknown-identifier.xml');
    expect(error.problems).toContainEqual({ kind: 'sbml', element: 'reaction', id: 'decay', message: 'kinetic law: unknown identifier "kk"' });
    expect(error.problems).toContainEqual({ kind: 'sbml', element: 'reaction', id: 'decay', message: 'kinetic law: call to "f", which is not a function definition of the model' });
  });
});

describe('valid SBML the engine cannot run', () => {
  it('lists every unsupported element with its id, in one error', async () => {
    const error = await importError('unsupported.xml');
    const found = error.problems.map((p) => `${p.element} ${p.id}: ${p.message}`);
    const expected = [
      /^species Y: conversionFactor is not supported$/,
      /^algebraicRule balance: algebraic rules are not supported$/,
      /^rateRule growing: rate rules .* are not supported$/,
      /^reaction R_fast: fast reactions .* are not supported$/,
      /^reaction R_half: stoichiometry 1.5 of species "X" is not supported/,
      /^reaction R_arcsin: kinetic law: MathML <arcsin> is not supported$/,
      /^reaction R_arcsin: kinetic law: MathML <factorial> is not supported$/,
      /^reaction R_delay: kinetic law: csymbol delay .*is not supported$/,
      /^reaction R_avogadro: kinetic law: csymbol avogadro is not supported/,
      /^reaction R_time: kinetic law: csymbol time: a time-dependent kinetic law is not supported/,
      /^reaction R_ref: kinetic law: the rate of reaction "R_half" used as a value in math is not supported$/,
      /^event delayed: delayed events are not supported$/,
      /^event prioritised: event priorities are not supported$/,
      /^event grow_cell: event assignment to compartment "cell": a compartment size that changes in time is not supported$/,
    ];
    expect(found).toHaveLength(expected.length);
    expected.forEach((pattern, i) => expect(found[i]).toMatch(pattern));
    expect(error.problems.every((p) => p.kind === 'unsupported')).toBe(true);
    expect(error.message).toMatch(/^unsupported\.xml: cannot import SBML \(14 problems\):\n/);
  });

  it.for([
    ['stoichiometry-math-l2.xml', 'reaction', 'burst', /stoichiometryMath for species "X" is not supported/],
    ['required-package.xml', 'sbml', 'comp', /the SBML package "comp" is required by the document but not supported/],
    ['non-integer-initial.xml', 'species', 'X', /initial amount 2.5 is not a whole number of molecules/],
  ] as const)('%s', async ([file, element, id, message]) => {
    const error = await importError(file);
    expect(error.problems).toHaveLength(1);
    expect(error.problems[0]).toMatchObject({ kind: 'unsupported', element, id, message: expect.stringMatching(message) });
  });

  it("what the engine's validation refuses (a time trigger other than t >= T) is reported the same way", async () => {
    const error = await importError('time-trigger.xml');
    expect(error.problems).toEqual([
      { kind: 'unsupported', element: 'imported events[0].trigger', message: 'a trigger that uses t must have the form "t >= expression" or "t > expression" over parameters, got "t < 5"' },
    ]);
  });
});
