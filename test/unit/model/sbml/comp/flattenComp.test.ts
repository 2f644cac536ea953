import { describe, expect, it } from 'vitest';
import { SbmlImportError } from '../../../../../engine/errors';
import { flattenComp } from '../../../../../engine/model/sbml/comp';
import { attr, childElements, localName, parseXml, textOf, type XmlElement } from '../../../../../engine/model/sbml/comp/xmlTree';

const COMP = 'http://www.sbml.org/sbml/level3/version1/comp/version1';
const MATH = 'xmlns="http://www.w3.org/1998/Math/MathML"';

function doc(main: string, definitions = ''): string {
  return `<?xml version="1.0" encoding="UTF-8"?>
<sbml xmlns="http://www.sbml.org/sbml/level3/version2/core" xmlns:comp="${COMP}" level="3" version="2" comp:required="true">
  <model id="main">${main}</model>
  ${definitions ? `<comp:listOfModelDefinitions>${definitions}</comp:listOfModelDefinitions>` : ''}
</sbml>`;
}

/** A decay model: species S in compartment C, parameter k, reaction R: S -> with rate k*S. */
const DECAY = `<comp:modelDefinition id="decay">
  <listOfCompartments><compartment id="C" size="1" constant="true"/></listOfCompartments>
  <listOfSpecies><species id="S" compartment="C" initialAmount="5" hasOnlySubstanceUnits="true" boundaryCondition="false" constant="false"/></listOfSpecies>
  <listOfParameters><parameter id="k" value="0.5" constant="true"/></listOfParameters>
  <listOfReactions><reaction id="R" reversible="false">
    <listOfReactants><speciesReference species="S" stoichiometry="1" constant="true"/></listOfReactants>
    <kineticLaw><math ${MATH}><apply><times/><ci>k</ci><ci>S</ci></apply></math></kineticLaw>
  </reaction></listOfReactions>
</comp:modelDefinition>`;

/** MathML → infix, enough to read the flattener's output. */
function infix(e: XmlElement): string {
  const name = localName(e.name);
  if (name === 'math') return infix(childElements(e)[0]);
  if (name === 'ci' || name === 'cn') return textOf(e).trim();
  if (name === 'csymbol') return (attr(e, 'definitionURL') ?? '').split('/').pop() ?? '';
  if (name === 'apply') {
    const [head, ...args] = childElements(e);
    const op = { times: '*', divide: '/', plus: '+', minus: '-' }[localName(head.name)];
    if (op) return `(${args.map(infix).join(` ${op} `)})`;
    return `${infix(head)}(${args.map(infix).join(', ')})`;
  }
  throw new Error(`unexpected <${name}>`);
}

function flat(xml: string, readExternal?: (href: string) => string | undefined) {
  const text = flattenComp(xml, { source: 'test.xml', readExternal });
  const root = parseXml(text);
  const model = childElements(root).find((e) => localName(e.name) === 'model') as XmlElement;
  const list = (name: string) =>
    childElements(childElements(model).find((e) => localName(e.name) === name) ?? model).filter((e) => localName(e.name) !== 'notes');
  const ids = (name: string) =>
    childElements(model).some((e) => localName(e.name) === name) ? list(name).map((e) => attr(e, 'id') ?? attr(e, 'variable') ?? attr(e, 'symbol')) : [];
  const kinetic = (id: string) => {
    const reaction = list('listOfReactions').find((r) => attr(r, 'id') === id) as XmlElement;
    const law = childElements(reaction).find((e) => localName(e.name) === 'kineticLaw') as XmlElement;
    return infix(childElements(law)[0]);
  };
  const rule = (variable: string) => infix(childElements(list('listOfRules').find((r) => attr(r, 'variable') === variable) as XmlElement)[0]);
  return { text, root, ids, list, kinetic, rule };
}

describe('flattenComp', () => {
  it('returns a document without comp unchanged', () => {
    const core = '<sbml xmlns="http://www.sbml.org/sbml/level3/version2/core" level="3" version="2"><model id="m"/></sbml>';
    expect(flattenComp(core, {})).toBe(core);
  });

  it('instantiates a model definition twice under its submodel prefixes', () => {
    const f = flat(
      doc(
        '<comp:listOfSubmodels><comp:submodel comp:id="A" comp:modelRef="decay"/><comp:submodel comp:id="B" comp:modelRef="decay"/></comp:listOfSubmodels>',
        DECAY,
      ),
    );
    expect(f.text).not.toContain('comp:');
    expect(f.text).not.toContain(COMP);
    expect(f.ids('listOfCompartments')).toEqual(['A__C', 'B__C']);
    expect(f.ids('listOfSpecies')).toEqual(['A__S', 'B__S']);
    expect(f.ids('listOfReactions')).toEqual(['A__R', 'B__R']);
    expect(f.kinetic('A__R')).toBe('(A__k * A__S)');
    expect(f.kinetic('B__R')).toBe('(B__k * B__S)');
    const species = f.list('listOfSpecies');
    expect(species.map((s) => attr(s, 'compartment'))).toEqual(['A__C', 'B__C']);
    const references = f.list('listOfReactions').map((r) => attr(childElements(childElements(r)[0])[0], 'species'));
    expect(references).toEqual(['A__S', 'B__S']);
  });

  it('nests submodels with accumulated prefixes', () => {
    const outer = `<comp:modelDefinition id="outer"><comp:listOfSubmodels><comp:submodel comp:id="in" comp:modelRef="decay"/></comp:listOfSubmodels></comp:modelDefinition>`;
    const f = flat(doc('<comp:listOfSubmodels><comp:submodel comp:id="out" comp:modelRef="outer"/></comp:listOfSubmodels>', DECAY + outer));
    expect(f.ids('listOfSpecies')).toEqual(['out__in__S']);
    expect(f.kinetic('out__in__R')).toBe('(out__in__k * out__in__S)');
  });

  it('lets a replacing parameter stand for the replaced one everywhere', () => {
    const main = `<listOfParameters><parameter id="kk" value="2" constant="true">
        <comp:listOfReplacedElements><comp:replacedElement comp:submodelRef="A" comp:idRef="k"/></comp:listOfReplacedElements>
      </parameter></listOfParameters>
      <comp:listOfSubmodels><comp:submodel comp:id="A" comp:modelRef="decay"/></comp:listOfSubmodels>`;
    const f = flat(doc(main, DECAY));
    expect(f.ids('listOfParameters')).toEqual(['kk']);
    expect(f.kinetic('A__R')).toBe('(kk * A__S)');
  });

  it('divides by the conversion factor where the replaced element is read and multiplies where it is assigned', () => {
    const definition = `<comp:modelDefinition id="m">
      <listOfParameters><parameter id="x" value="1" constant="false"/><parameter id="y" value="1" constant="false"/></listOfParameters>
      <listOfRules>
        <assignmentRule variable="x"><math ${MATH}><apply><times/><cn>3</cn><csymbol encoding="text" definitionURL="http://www.sbml.org/sbml/symbols/time">t</csymbol></apply></math></assignmentRule>
        <assignmentRule variable="y"><math ${MATH}><apply><plus/><ci>x</ci><cn>1</cn></apply></math></assignmentRule>
      </listOfRules>
    </comp:modelDefinition>`;
    const main = `<listOfParameters>
        <parameter id="X" value="0" constant="false"><comp:listOfReplacedElements><comp:replacedElement comp:submodelRef="A" comp:idRef="x" comp:conversionFactor="f"/></comp:listOfReplacedElements></parameter>
        <parameter id="f" value="1000" constant="true"/>
        <parameter id="tc" value="60" constant="true"/>
      </listOfParameters>
      <comp:listOfSubmodels><comp:submodel comp:id="A" comp:modelRef="m" comp:timeConversionFactor="tc"/></comp:listOfSubmodels>`;
    const f = flat(doc(main, definition));
    expect(f.ids('listOfParameters')).toEqual(['X', 'f', 'tc', 'A__y']);
    // x = X / f, so the rule for x sets X = (3 t') f, with the submodel's time t' = t / tc.
    expect(f.rule('X')).toBe('((3 * (time / tc)) * f)');
    expect(f.rule('A__y')).toBe('((X / f) + 1)');
  });

  it('multiplies kinetic laws by extent / time conversion factors', () => {
    const main = `<listOfParameters><parameter id="xc" value="2" constant="true"/><parameter id="tc" value="10" constant="true"/></listOfParameters>
      <comp:listOfSubmodels><comp:submodel comp:id="A" comp:modelRef="decay" comp:extentConversionFactor="xc" comp:timeConversionFactor="tc"/></comp:listOfSubmodels>`;
    expect(flat(doc(main, DECAY)).kinetic('A__R')).toBe('((xc / tc) * (A__k * A__S))');
  });

  it('removes deleted elements, found by id, metaid or port', () => {
    const withPort = DECAY.replace(
      '</comp:modelDefinition>',
      '<comp:listOfPorts><comp:port comp:id="k_port" comp:idRef="k"/></comp:listOfPorts></comp:modelDefinition>',
    ).replace('<reaction id="R"', '<reaction id="R" metaid="R_meta"');
    const main = (deletion: string) => `<listOfParameters><parameter id="k" value="9" constant="true"/></listOfParameters>
      <comp:listOfSubmodels><comp:submodel comp:id="A" comp:modelRef="decay"><comp:listOfDeletions>${deletion}</comp:listOfDeletions></comp:submodel></comp:listOfSubmodels>`;
    const byMetaid = flat(doc(main('<comp:deletion comp:metaIdRef="R_meta"/>'), withPort));
    expect(byMetaid.ids('listOfReactions')).toEqual([]);
    expect(byMetaid.ids('listOfSpecies')).toEqual(['A__S']);
    // Deleting a parameter still read by the kinetic law is refused, not silently left dangling.
    const error = (() => {
      try {
        flat(doc(main('<comp:deletion comp:portRef="k_port"/>'), withPort));
      } catch (e) {
        return e;
      }
    })();
    expect(error).toBeInstanceOf(SbmlImportError);
    expect((error as SbmlImportError).problems[0]).toMatchObject({ element: 'ci', id: 'k' });
    const both = flat(doc(main('<comp:deletion comp:idRef="R"/><comp:deletion comp:portRef="k_port"/>'), withPort));
    expect(both.ids('listOfParameters')).toEqual(['k']);
    expect(both.ids('listOfReactions')).toEqual([]);
  });

  it('reaches into nested submodels through sBaseRef chains and keeps the parent name with replacedBy', () => {
    const outer = `<comp:modelDefinition id="outer"><comp:listOfSubmodels><comp:submodel comp:id="in" comp:modelRef="decay"/></comp:listOfSubmodels></comp:modelDefinition>`;
    const main = `<listOfParameters><parameter id="rate" value="1" constant="true">
        <comp:replacedBy comp:submodelRef="out" comp:idRef="in"><comp:sBaseRef comp:idRef="k"/></comp:replacedBy>
      </parameter></listOfParameters>
      <comp:listOfSubmodels><comp:submodel comp:id="out" comp:modelRef="outer"/></comp:listOfSubmodels>`;
    const f = flat(doc(main, DECAY + outer));
    expect(f.ids('listOfParameters')).toEqual(['rate']);
    // The surviving parameter is the submodel's (value 0.5) under the parent's id.
    expect(attr(f.list('listOfParameters')[0], 'value')).toBe('0.5');
    expect(f.kinetic('out__in__R')).toBe('(rate * out__in__S)');
  });

  it('reads external model definitions, which may use comp themselves', () => {
    const external = doc('', DECAY).replace(
      '<model id="main"></model>',
      '<model id="extmain"><comp:listOfSubmodels><comp:submodel comp:id="D" comp:modelRef="decay"/></comp:listOfSubmodels></model>',
    );
    const main = `<comp:listOfSubmodels><comp:submodel comp:id="E" comp:modelRef="ext"/></comp:listOfSubmodels>`;
    const xml = doc(main).replace(
      '</sbml>',
      `<comp:listOfExternalModelDefinitions><comp:externalModelDefinition comp:id="ext" comp:source="lib/ext.xml" comp:modelRef="extmain"/></comp:listOfExternalModelDefinitions></sbml>`,
    );
    const read: string[] = [];
    const f = flat(xml, (href) => (read.push(href), href === 'lib/ext.xml' ? external : undefined));
    expect(read).toEqual(['lib/ext.xml']);
    expect(f.ids('listOfSpecies')).toEqual(['E__D__S']);
    expect(f.kinetic('E__D__R')).toBe('(E__D__k * E__D__S)');
    expect(() => flat(xml, () => undefined)).toThrow(/external document "lib\/ext.xml" cannot be read/);
  });

  it('resolves hrefs inside an external document against that document, and refuses cycles between documents', () => {
    const external = (target: string, model: string) =>
      doc('<comp:listOfSubmodels><comp:submodel comp:id="X" comp:modelRef="next"/></comp:listOfSubmodels>').replace(
        '</sbml>',
        `<comp:listOfExternalModelDefinitions><comp:externalModelDefinition comp:id="next" comp:source="${target}" comp:modelRef="${model}"/></comp:listOfExternalModelDefinitions></sbml>`,
      );
    const main = doc('<comp:listOfSubmodels><comp:submodel comp:id="E" comp:modelRef="ext"/></comp:listOfSubmodels>').replace(
      '</sbml>',
      '<comp:listOfExternalModelDefinitions><comp:externalModelDefinition comp:id="ext" comp:source="lib/a.xml"/></comp:listOfExternalModelDefinitions></sbml>',
    );
    const files: Record<string, string> = { 'lib/a.xml': external('b.xml', 'decay'), 'lib/b.xml': doc('', DECAY) };
    const read: string[] = [];
    const f = flat(main, (href) => (read.push(href), files[href]));
    expect(read).toEqual(['lib/a.xml', 'lib/b.xml']);
    expect(f.ids('listOfSpecies')).toEqual(['E__X__S']);
    // a.xml's main model instantiates b.xml's, which instantiates a.xml's again.
    files['lib/a.xml'] = external('b.xml', 'main');
    files['lib/b.xml'] = external('a.xml', 'main');
    expect(() => flat(main, (href) => files[href])).toThrow(/cycle/);
  });

  it('refuses submodel cycles with the element and id', () => {
    const cyclic = `<comp:modelDefinition id="a"><comp:listOfSubmodels><comp:submodel comp:id="toB" comp:modelRef="b"/></comp:listOfSubmodels></comp:modelDefinition>
      <comp:modelDefinition id="b"><comp:listOfSubmodels><comp:submodel comp:id="toA" comp:modelRef="a"/></comp:listOfSubmodels></comp:modelDefinition>`;
    const xml = doc('<comp:listOfSubmodels><comp:submodel comp:id="top" comp:modelRef="a"/></comp:listOfSubmodels>', cyclic);
    let error: unknown;
    try {
      flattenComp(xml, { source: 'cycle.xml' });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(SbmlImportError);
    expect((error as SbmlImportError).problems[0]).toMatchObject({ kind: 'unsupported', element: 'submodel', id: 'toA' });
    expect((error as SbmlImportError).message).toMatch(/^cycle\.xml: .*cycle/s);
  });

  it('refuses a reference to an unknown id', () => {
    const main = `<listOfParameters><parameter id="p" value="1" constant="true"><comp:listOfReplacedElements><comp:replacedElement comp:submodelRef="A" comp:idRef="nope"/></comp:listOfReplacedElements></parameter></listOfParameters>
      <comp:listOfSubmodels><comp:submodel comp:id="A" comp:modelRef="decay"/></comp:listOfSubmodels>`;
    expect(() => flattenComp(doc(main, DECAY), {})).toThrow(/idRef "nope" names nothing in submodel "A"/);
  });
  it('composes conversion factors along a chain of replacements', () => {
    const outer = `<comp:modelDefinition id="outer">
      <listOfParameters><parameter id="k" value="1" constant="true"><comp:listOfReplacedElements><comp:replacedElement comp:submodelRef="in" comp:idRef="k" comp:conversionFactor="g"/></comp:listOfReplacedElements></parameter>
        <parameter id="g" value="3" constant="true"/></listOfParameters>
      <comp:listOfSubmodels><comp:submodel comp:id="in" comp:modelRef="decay"/></comp:listOfSubmodels>
    </comp:modelDefinition>`;
    const main = `<listOfParameters><parameter id="K" value="1" constant="true"><comp:listOfReplacedElements><comp:replacedElement comp:submodelRef="out" comp:idRef="k" comp:conversionFactor="f"/></comp:listOfReplacedElements></parameter>
        <parameter id="f" value="2" constant="true"/></listOfParameters>
      <comp:listOfSubmodels><comp:submodel comp:id="out" comp:modelRef="outer"/></comp:listOfSubmodels>`;
    const f = flat(doc(main, DECAY + outer));
    expect(f.ids('listOfParameters')).toEqual(['K', 'f', 'out__g']);
    // in's k = out's k / g = (K / f) / g.
    expect(f.kinetic('out__in__R')).toBe('((K / (out__g * f)) * out__in__S)');
  });

  it('lets a replaced local parameter read the replacement, and a deleted one the global of the same id', () => {
    const local = DECAY.replace(
      '</kineticLaw>',
      '<listOfLocalParameters><localParameter id="k" metaid="local_k" value="7"/></listOfLocalParameters></kineticLaw>',
    );
    const replaced = `<listOfParameters><parameter id="kk" value="2" constant="true"><comp:listOfReplacedElements><comp:replacedElement comp:submodelRef="A" comp:metaIdRef="local_k"/></comp:listOfReplacedElements></parameter></listOfParameters>
      <comp:listOfSubmodels><comp:submodel comp:id="A" comp:modelRef="decay"/></comp:listOfSubmodels>`;
    expect(flat(doc(replaced, local)).kinetic('A__R')).toBe('(kk * A__S)');
    const deleted = `<comp:listOfSubmodels><comp:submodel comp:id="A" comp:modelRef="decay"><comp:listOfDeletions><comp:deletion comp:metaIdRef="local_k"/></comp:listOfDeletions></comp:submodel></comp:listOfSubmodels>`;
    const f = flat(doc(deleted, local));
    expect(f.kinetic('A__R')).toBe('(A__k * A__S)');
    expect(f.text).not.toContain('localParameter');
    const kept = flat(doc('<comp:listOfSubmodels><comp:submodel comp:id="A" comp:modelRef="decay"/></comp:listOfSubmodels>', local));
    expect(kept.kinetic('A__R')).toBe('(k * A__S)');
    expect(kept.text).toContain('<localParameter id="k" metaid="A__local_k" value="7"/>');
  });

  it('drops a deleted submodel with everything in it', () => {
    const outer = `<comp:modelDefinition id="outer"><listOfParameters><parameter id="p" value="1" constant="true"/></listOfParameters>
      <comp:listOfSubmodels><comp:submodel comp:id="in" comp:modelRef="decay"/></comp:listOfSubmodels></comp:modelDefinition>`;
    const main = `<comp:listOfSubmodels><comp:submodel comp:id="out" comp:modelRef="outer"><comp:listOfDeletions><comp:deletion comp:idRef="in"/></comp:listOfDeletions></comp:submodel></comp:listOfSubmodels>`;
    const f = flat(doc(main, DECAY + outer));
    expect(f.ids('listOfParameters')).toEqual(['out__p']);
    expect(f.ids('listOfSpecies')).toEqual([]);
    expect(f.ids('listOfReactions')).toEqual([]);
  });
});
