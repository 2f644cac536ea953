/**
 * SBML constructs that map to the extended model format (schema.ts):
 * amounts and concentrations, compartments that change, conversion factors,
 * variable stoichiometry, rate and algebraic rules, initial assignments,
 * delayed and prioritised events, and the MathML of the SBML Test Suite.
 * Each test writes a small document inline and checks the JSON it becomes.
 */
import { describe, expect, it } from 'vitest';
import { SbmlImportError } from '../../../../engine/errors';
import { evaluateExpression, parseExpression } from '../../../../engine/model';
import { importSbml } from '../../../../engine/model/sbml';
import { apply, ci, cn, compartment, csymbol, importText, math, parameter, sbml, species } from './documents';
import { WASM } from './fixtures';

const reaction = (id: string, reactants: string, products: string, law: string, extra = '') =>
  `<reaction id="${id}" reversible="false" ${extra}>${reactants ? `<listOfReactants>${reactants}</listOfReactants>` : ''}${products ? `<listOfProducts>${products}</listOfProducts>` : ''}<kineticLaw>${math(law)}</kineticLaw></reaction>`;
const ref = (species: string, stoichiometry: number | null, extra = 'constant="true"') =>
  `<speciesReference species="${species}"${stoichiometry === null ? '' : ` stoichiometry="${stoichiometry}"`} ${extra}/>`;

async function importError(xml: string): Promise<SbmlImportError> {
  const error = await importText(xml).catch((e: unknown) => e);
  expect(error).toBeInstanceOf(SbmlImportError);
  return error as SbmlImportError;
}

describe('species, compartments and parameters', () => {
  it('amounts and concentrations: real initial amounts as written, initialConcentration × a constant size is a number, × a variable size an expression', async () => {
    const { model } = await importText(
      sbml(`<listOfCompartments>${compartment('C', 2)}${compartment('V', 3, 'constant="false"')}</listOfCompartments>
      <listOfSpecies>
        ${species('A', 'initialAmount="2.5"')}
        <species id="B" compartment="C" initialConcentration="0.25" hasOnlySubstanceUnits="false" boundaryCondition="true" constant="false"/>
        <species id="D" compartment="V" initialConcentration="0.5" hasOnlySubstanceUnits="false" boundaryCondition="false" constant="true"/>
      </listOfSpecies>`),
    );
    expect(model.compartments).toEqual([
      { id: 'C', size: 2, constant: true, dimensions: 3 },
      { id: 'V', size: 3, constant: false, dimensions: 3 },
    ]);
    expect(model.species).toEqual([
      { id: 'A', initial: 2.5, compartment: 'C', amountOnly: true },
      { id: 'B', initial: 0.5, compartment: 'C', amountOnly: false, boundary: true },
      { id: 'D', initial: '0.5 * V', compartment: 'V', amountOnly: false, constant: true },
    ]);
    // Two compartments: no single volume.
    expect(model.volume).toBe(1);
  });

  it('one compartment: its size is the model volume; a model without compartments or reactions imports', async () => {
    const one = await importText(
      sbml(`<listOfCompartments>${compartment('C', 0.5)}</listOfCompartments><listOfSpecies>${species('A', 'initialAmount="1"')}</listOfSpecies>`),
    );
    expect(one.model.volume).toBe(0.5);
    const none = await importText(
      sbml(`<listOfParameters>${parameter('p', 1, false)}</listOfParameters><listOfRules><rateRule variable="p">${math(cn(2))}</rateRule></listOfRules>`),
    );
    expect(none.model).toMatchObject({
      compartments: [],
      species: [],
      reactions: [],
      parameters: [{ id: 'p', value: 1, constant: false }],
      rules: [{ type: 'rate', variable: 'p', expression: '2' }],
    });
  });

  it('compartments of dimension 0 to 2; a species in a 0-dimensional one is read as an amount', async () => {
    const { model } = await importText(
      sbml(`<listOfCompartments>
        <compartment id="P" spatialDimensions="0" constant="true"/>
        <compartment id="S" spatialDimensions="2" size="4" constant="true"/>
        <compartment id="L" spatialDimensions="1" size="5" constant="true"/>
      </listOfCompartments>
      <listOfSpecies><species id="A" compartment="P" initialAmount="3" hasOnlySubstanceUnits="false" boundaryCondition="false" constant="false"/></listOfSpecies>`),
    );
    expect(model.compartments.map((c) => [c.id, c.dimensions, c.size])).toEqual([
      ['P', 0, 1],
      ['S', 2, 4],
      ['L', 1, 5],
    ]);
    expect(model.species[0]).toMatchObject({ id: 'A', initial: 3, amountOnly: true });
  });

  it('a 0-dimensional compartment with a size is used like any other (SBML Test Suite case 01809)', async () => {
    const { model } = await importText(
      sbml(`<listOfCompartments><compartment id="C" spatialDimensions="0" size="2" constant="true"/></listOfCompartments>
      <listOfSpecies><species id="S1" compartment="C" initialConcentration="1" hasOnlySubstanceUnits="false" boundaryCondition="false" constant="false"/></listOfSpecies>`),
    );
    expect(model.species[0]).toMatchObject({ id: 'S1', initial: 2, amountOnly: false });
  });

  it('conversion factors: the model one (read from the document) and a species one', async () => {
    const { model } = await importText(
      sbml(
        `<listOfCompartments>${compartment('C', 1)}</listOfCompartments>
        <listOfSpecies>${species('A', 'initialAmount="1"', 'conversionFactor="f"')}${species('B', 'initialAmount="0"')}</listOfSpecies>
        <listOfParameters>${parameter('f', 2)}${parameter('g', 3)}</listOfParameters>`,
        '3.2',
        ' conversionFactor="g"',
      ),
    );
    expect(model.conversionFactor).toBe('g');
    expect(model.species[0].conversionFactor).toBe('f');
    expect(model.species[1].conversionFactor).toBeUndefined();
  });

  it('unit names for display: a base unit by name, a unit definition in symbols', async () => {
    const { model } = await importText(
      sbml(
        `<listOfUnitDefinitions>
          <unitDefinition id="mM"><listOfUnits><unit kind="mole" exponent="1" scale="-3" multiplier="1"/><unit kind="litre" exponent="-1" scale="0" multiplier="1"/></listOfUnits></unitDefinition>
          <unitDefinition id="per_min"><listOfUnits><unit kind="second" exponent="-1" scale="0" multiplier="60"/></listOfUnits></unitDefinition>
        </listOfUnitDefinitions>
        <listOfCompartments><compartment id="C" spatialDimensions="3" size="1" units="litre" constant="true"/></listOfCompartments>
        <listOfSpecies>${species('A', 'initialAmount="1"', 'substanceUnits="mole"')}</listOfSpecies>
        <listOfParameters><parameter id="k" value="1" units="per_min" constant="true"/><parameter id="c" value="1" units="mM" constant="true"/></listOfParameters>`,
        '3.2',
        ' substanceUnits="mole" timeUnits="second" volumeUnits="litre"',
      ),
    );
    expect(model.units).toEqual({ substance: 'mole', time: 'second', volume: 'litre' });
    expect(model.compartments[0].units).toBe('litre');
    expect(model.species[0].units).toBe('mole');
    expect(model.parameters.map((p) => p.units)).toEqual(['1/60·s', 'mmol/l']);
  });
});

describe('reactions', () => {
  const compartments = `<listOfCompartments>${compartment('C', 1)}</listOfCompartments>`;
  const AB = `<listOfSpecies>${species('A', 'initialAmount="10"')}${species('B', 'initialAmount="0"')}</listOfSpecies>`;

  it('real stoichiometry; the same species twice on one side is merged; a negative one moves to the other side; modifiers are only read', async () => {
    const { model } = await importText(
      sbml(`${compartments}${AB}<listOfParameters>${parameter('k', 1)}</listOfParameters><listOfReactions>
        <reaction id="R" reversible="false">
          <listOfReactants>${ref('A', 1.5)}${ref('A', 1)}</listOfReactants>
          <listOfProducts>${ref('B', -2)}</listOfProducts>
          <listOfModifiers><modifierSpeciesReference species="B"/></listOfModifiers>
          <kineticLaw>${math(apply('times', ci('k'), ci('A'), ci('B')))}</kineticLaw>
        </reaction></listOfReactions>`),
    );
    expect(model.reactions).toEqual([{ id: 'R', reactants: { A: 2.5, B: 2 }, products: {}, propensity: 'k * A * B' }]);
  });

  it('species references with ids become stoichiometry parameters; a variable one is named as the coefficient', async () => {
    const { model, warnings } = await importText(
      sbml(`${compartments}${AB}<listOfParameters>${parameter('k', 1)}</listOfParameters>
        <listOfRules><assignmentRule variable="sB">${math(apply('plus', cn(1), csymbol('time')))}</assignmentRule></listOfRules>
        <listOfReactions>
          ${reaction('R', ref('A', 2, 'id="sA" constant="true"'), ref('B', 1, 'id="sB" constant="false"'), ci('k'))}
          ${reaction('S', ref('A', null, 'id="sC" constant="false"'), '', apply('times', ci('k'), ci('sA')))}
        </listOfReactions>
        <listOfInitialAssignments><initialAssignment symbol="sC">${math(cn(3))}</initialAssignment></listOfInitialAssignments>`),
    );
    expect(model.reactions.map((r) => [r.reactants, r.products])).toEqual([
      [{ A: 2 }, { B: 'sB' }],
      [{ A: 'sC' }, {}],
    ]);
    expect(model.parameters.filter((p) => p.stoichiometry)).toEqual([
      { id: 'sA', value: 2, stoichiometry: true },
      { id: 'sB', value: 1, stoichiometry: true, constant: false },
      { id: 'sC', value: 1, stoichiometry: true, constant: false },
    ]);
    expect(model.rules).toEqual([{ type: 'assignment', variable: 'sB', expression: '1 + t' }]);
    expect(model.initialAssignments).toEqual([{ variable: 'sC', expression: '3' }]);
    expect(model.reactions[1].propensity).toBe('k * sA');
    // sC is unset but an initial assignment sets it: no warning about a default.
    expect(warnings.filter((w) => w.id === 'S')).toEqual([]);
  });

  it('Level 2 stoichiometryMath becomes an expression coefficient', async () => {
    const { model } = await importText(
      sbml(
        `${compartments}${AB}<listOfParameters>${parameter('n', 2)}</listOfParameters><listOfReactions>
        <reaction id="R" reversible="false"><listOfReactants><speciesReference species="A"><stoichiometryMath>${math(apply('times', ci('n'), cn(1.5)))}</stoichiometryMath></speciesReference></listOfReactants>
        <kineticLaw>${math(cn(1))}</kineticLaw></reaction></listOfReactions>`,
        '2.4',
      ),
    );
    expect(model.reactions[0].reactants).toEqual({ A: 'n * 1.5' });
  });

  it('a reaction id in math is its rate: the kinetic law is inlined', async () => {
    const { model } = await importText(
      sbml(`${compartments}${AB}<listOfParameters>${parameter('k', 2)}${parameter('r', 0, false)}</listOfParameters>
        <listOfRules><assignmentRule variable="r">${math(apply('times', cn(2), ci('R')))}</assignmentRule></listOfRules>
        <listOfReactions><reaction id="R" reversible="false"><listOfReactants>${ref('A', 1)}</listOfReactants>
          <kineticLaw>${math(apply('times', ci('k'), ci('A')))}<listOfLocalParameters><localParameter id="k" value="3"/></listOfLocalParameters></kineticLaw></reaction></listOfReactions>`),
    );
    expect(model.rules).toEqual([{ type: 'assignment', variable: 'r', expression: '2 * (R_k * A)' }]);
    expect(model.parameters).toContainEqual({ id: 'R_k', value: 3 });
  });
});

describe('reaction rates in math', () => {
  it('a kinetic law that reads its own rate is refused, naming the cycle', async () => {
    const error = await importError(
      sbml(`<listOfCompartments>${compartment('C', 1)}</listOfCompartments><listOfSpecies>${species('A', 'initialAmount="1"')}</listOfSpecies>
        <listOfReactions>${reaction('R', ref('A', 1), '', apply('plus', cn(1), ci('R')))}</listOfReactions>`),
    );
    expect(error.problems).toContainEqual({
      kind: 'sbml',
      element: 'reaction',
      id: 'R',
      message: 'kinetic law: the rate of reaction "R" depends on itself (R → R)',
    });
  });
});

describe('rules, initial assignments and events', () => {
  it('rate rules on a compartment and a species, an algebraic rule, time in rules; initial assignments are kept apart from the written values', async () => {
    const { model } = await importText(
      sbml(`<listOfCompartments>${compartment('C', 1, 'constant="false"')}</listOfCompartments>
        <listOfSpecies><species id="S" compartment="C" initialConcentration="2" hasOnlySubstanceUnits="false" boundaryCondition="false" constant="false"/></listOfSpecies>
        <listOfParameters>${parameter('x', 1, false)}${parameter('y', 0, false)}</listOfParameters>
        <listOfInitialAssignments><initialAssignment symbol="S">${math(apply('times', cn(3), ci('x')))}</initialAssignment></listOfInitialAssignments>
        <listOfRules>
          <rateRule variable="C">${math(apply('times', cn(0.1), csymbol('time')))}</rateRule>
          <rateRule variable="S">${math(apply('minus', ci('S')))}</rateRule>
          <algebraicRule>${math(apply('minus', ci('y'), apply('times', cn(2), ci('x'))))}</algebraicRule>
        </listOfRules>`),
    );
    expect(model.rules).toEqual([
      { type: 'rate', variable: 'C', expression: '0.1 * t' },
      { type: 'rate', variable: 'S', expression: '-S' },
      { type: 'algebraic', expression: 'y - 2 * x' },
    ]);
    expect(model.initialAssignments).toEqual([{ variable: 'S', expression: '3 * x' }]);
    // The written amount stays (concentration 2 × the size, whose rate rule makes it variable).
    expect(model.species[0]).toMatchObject({ initial: '2 * C', amountOnly: false });
  });

  it('events keep delay, priority, persistent, useValuesFromTriggerTime and initialValue; Level 2 events default to persistent with initialValue true', async () => {
    const body = (l3: boolean) => `<listOfParameters>${parameter('p', 0, false)}${parameter('d', 1)}</listOfParameters>
      <listOfEvents><event id="E" useValuesFromTriggerTime="false">
        <trigger${l3 ? ' initialValue="false" persistent="false"' : ''}>${math(apply('gt', csymbol('time'), cn(2)))}</trigger>
        <delay>${math(apply('plus', ci('d'), cn(1)))}</delay>
        ${l3 ? `<priority>${math(ci('p'))}</priority>` : ''}
        <listOfEventAssignments><eventAssignment variable="p">${math(apply('plus', ci('p'), cn(1)))}</eventAssignment></listOfEventAssignments>
      </event></listOfEvents>`;
    const l3 = await importText(sbml(body(true)));
    expect(l3.model.events).toEqual([
      {
        id: 'E',
        trigger: 't > 2',
        assignments: { p: 'p + 1' },
        initialValue: false,
        persistent: false,
        useValuesFromTriggerTime: false,
        delay: 'd + 1',
        priority: 'p',
      },
    ]);
    const l2 = await importText(sbml(body(false), '2.4'));
    expect(l2.model.events).toEqual([
      { id: 'E', trigger: 't > 2', assignments: { p: 'p + 1' }, initialValue: true, persistent: true, useValuesFromTriggerTime: false, delay: 'd + 1' },
    ]);
  });

  it('missing math (SBML allows it) has no effect: rules and assignments are left out with a warning, a rate rule is rate 0', async () => {
    const { model, warnings } = await importText(
      sbml(`<listOfParameters>${parameter('a', 1, false)}${parameter('b', 2, false)}${parameter('c', 3, false)}</listOfParameters>
        <listOfRules><assignmentRule variable="a"/><rateRule variable="b"/></listOfRules>
        <listOfInitialAssignments><initialAssignment symbol="c"/></listOfInitialAssignments>
        <listOfEvents><event id="E" useValuesFromTriggerTime="true"><trigger initialValue="true" persistent="true"/>
          <listOfEventAssignments><eventAssignment variable="c">${math(cn(5))}</eventAssignment></listOfEventAssignments></event></listOfEvents>`),
    );
    expect(model.rules).toEqual([{ type: 'rate', variable: 'b', expression: 0 }]);
    expect(model.initialAssignments).toEqual([]);
    expect(model.events).toEqual([]);
    expect(warnings.map((w) => `${w.element} ${w.id}: ${w.message}`)).toEqual(
      expect.arrayContaining([
        'assignmentRule a: no math: the rule is left out',
        'rateRule b: no math: taken as rate 0 (the variable keeps its initial value)',
        'initialAssignment c: no math: the initial assignment is left out',
        'event E: no trigger math: the event never fires; left out',
      ]),
    );
  });
});

describe('MathML of the SBML Test Suite', () => {
  const rule = (id: string, content: string) => `<assignmentRule variable="${id}">${math(content)}</assignmentRule>`;
  const x = 0.5;
  const EXPECTED: Record<string, [string, number]> = {
    arcsin: [apply('arcsin', ci('x')), Math.asin(x)],
    arccos: [apply('arccos', ci('x')), Math.acos(x)],
    arctan: [apply('arctan', ci('x')), Math.atan(x)],
    arcsec: [apply('arcsec', cn(2)), Math.acos(1 / 2)],
    arccsc: [apply('arccsc', cn(2)), Math.asin(1 / 2)],
    arccot: [apply('arccot', cn(-2)), Math.atan(-1 / 2)],
    arcsinh: [apply('arcsinh', ci('x')), Math.asinh(x)],
    arccosh: [apply('arccosh', cn(2)), Math.acosh(2)],
    arctanh: [apply('arctanh', ci('x')), Math.atanh(x)],
    arcsech: [apply('arcsech', ci('x')), Math.acosh(1 / x)],
    arccsch: [apply('arccsch', ci('x')), Math.asinh(1 / x)],
    arccoth: [apply('arccoth', cn(2)), Math.atanh(1 / 2)],
    factorial: [apply('factorial', cn(5)), 120],
    avogadro: [csymbol('avogadro'), 6.02214179e23],
  };

  it.for(Object.keys(EXPECTED))('%s', async (name) => {
    const { model } = await importText(
      sbml(
        `<listOfParameters>${parameter('x', x)}${parameter(`v_${name}`, 0, false)}</listOfParameters><listOfRules>${rule(`v_${name}`, EXPECTED[name][0])}</listOfRules>`,
      ),
    );
    const text = String(model.rules[0].expression);
    // Relative 1e-14: identities such as arcsec x = arccos(1/x) cost a rounding or two.
    expect(evaluateExpression(parseExpression(text), (n) => (n === 'x' ? x : NaN)) / EXPECTED[name][1]).toBeCloseTo(1, 13);
  });

  it('csymbol delay and rateOf become delay(x, tau) and rateOf(x)', async () => {
    const { model } = await importText(
      sbml(`<listOfParameters>${parameter('x', 1, false)}${parameter('a', 0, false)}${parameter('b', 0, false)}</listOfParameters><listOfRules>
        <rateRule variable="x">${math(cn(1))}</rateRule>
        ${rule('a', `<apply>${csymbol('delay')}${ci('x')}${cn(2)}</apply>`)}
        ${rule('b', `<apply>${csymbol('rateOf')}${ci('x')}</apply>`)}
      </listOfRules>`),
    );
    expect(model.rules.slice(1).map((r) => r.expression)).toEqual(['delay(x, 2)', 'rateOf(x)']);
  });
});

describe('hierarchical models (comp)', () => {
  const COMP = 'xmlns:comp="http://www.sbml.org/sbml/level3/version1/comp/version1"';
  const withSubmodel = (definition: string) => `<?xml version="1.0" encoding="UTF-8"?>
<sbml ${COMP} xmlns="http://www.sbml.org/sbml/level3/version2/core" level="3" version="2" comp:required="true">
  <model id="top">
    <listOfParameters><parameter id="p" value="10.42" constant="true"><comp:listOfReplacedElements><comp:replacedElement comp:idRef="q" comp:submodelRef="sub"/></comp:listOfReplacedElements></parameter></listOfParameters>
    <comp:listOfSubmodels><comp:submodel comp:id="sub" comp:modelRef="Inner"/></comp:listOfSubmodels>
  </model>
  ${definition}
</sbml>`;
  const inner = '<listOfParameters><parameter id="q" value="5.01" constant="true"/><parameter id="r" value="2" constant="true"/></listOfParameters>';

  it('a model definition in the document is flattened first: the replaced parameter is the top one, the others are prefixed by the submodel', async () => {
    const { model } = await importText(
      withSubmodel(`<comp:listOfModelDefinitions><comp:modelDefinition id="Inner">${inner}</comp:modelDefinition></comp:listOfModelDefinitions>`),
    );
    expect(model.parameters.map((p) => [p.id, p.value])).toEqual([
      ['p', 10.42],
      ['sub__r', 2],
    ]);
  });

  it('an external model definition is read through readExternal', async () => {
    const external = withSubmodel(
      '<comp:listOfExternalModelDefinitions><comp:externalModelDefinition comp:id="Inner" comp:source="inner.xml" comp:modelRef="innerModel"/></comp:listOfExternalModelDefinitions>',
    );
    const innerDocument = sbml(inner, '3.2').replace('<model id="m">', '<model id="innerModel">');
    const read: string[] = [];
    const { model } = await importSbml(external, { wasm: WASM, readExternal: (href) => (read.push(href), href === 'inner.xml' ? innerDocument : undefined) });
    expect(read).toEqual(['inner.xml']);
    expect(model.parameters.map((p) => p.id)).toEqual(['p', 'sub__r']);
    const unreadable = await importSbml(external, { wasm: WASM, readExternal: () => undefined }).catch((e: unknown) => e);
    expect(unreadable).toBeInstanceOf(SbmlImportError);
    expect((unreadable as SbmlImportError).problems[0]).toMatchObject({ element: 'externalModelDefinition', id: 'Inner' });
  });
});

describe('refused, with element, id and reason', () => {
  it('fast reactions and required packages other than comp; every problem in one error', async () => {
    const xml = sbml(
      `<listOfCompartments>${compartment('C', 1)}</listOfCompartments><listOfSpecies>${species('A', 'initialAmount="1"')}</listOfSpecies>
      <listOfReactions>${reaction('R', ref('A', 1), '', cn(1), 'fast="true"')}</listOfReactions>`,
      '3.1',
    ).replace('level="3" version="1">', 'level="3" version="1" xmlns:qual="http://www.sbml.org/sbml/level3/version1/qual/version1" qual:required="true">');
    const error = await importError(xml);
    expect(error.problems).toEqual([
      { kind: 'unsupported', element: 'sbml', id: 'qual', message: 'the SBML package "qual" is required by the document but not supported' },
      { kind: 'unsupported', element: 'reaction', id: 'R', message: 'fast reactions (rapid equilibrium) are not supported' },
    ]);
  });
});
