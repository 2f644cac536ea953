/** Small SBML documents written inline by the import tests: a model body wrapped in <sbml>, and MathML shorthands. */
import { importSbml, type SbmlImportResult } from '../../../../engine/model/sbml';
import { WASM } from './fixtures';

const NAMESPACES: Record<string, string> = {
  '2.4': 'http://www.sbml.org/sbml/level2/version4',
  '2.5': 'http://www.sbml.org/sbml/level2/version5',
  '3.1': 'http://www.sbml.org/sbml/level3/version1/core',
  '3.2': 'http://www.sbml.org/sbml/level3/version2/core',
};

/** An SBML document of one model with `body` (its list elements) at `level`.`version`. */
export function sbml(body: string, level: '2.4' | '2.5' | '3.1' | '3.2' = '3.2', attributes = ''): string {
  const [l, v] = level.split('.');
  return `<?xml version="1.0" encoding="UTF-8"?>\n<sbml xmlns="${NAMESPACES[level]}" level="${l}" version="${v}">\n<model id="m"${attributes}>\n${body}\n</model>\n</sbml>\n`;
}

/** <math> around MathML content. */
export const math = (content: string) => `<math xmlns="http://www.w3.org/1998/Math/MathML">${content}</math>`;
export const ci = (id: string) => `<ci>${id}</ci>`;
export const cn = (value: number) => `<cn>${value}</cn>`;
export const apply = (op: string, ...args: string[]) => `<apply><${op}/>${args.join('')}</apply>`;
export const csymbol = (name: 'time' | 'avogadro' | 'delay' | 'rateOf') =>
  `<csymbol encoding="text" definitionURL="http://www.sbml.org/sbml/symbols/${name}">${name}</csymbol>`;

export const compartment = (id: string, size: number | null, extra = 'constant="true"') =>
  `<compartment id="${id}" spatialDimensions="3"${size === null ? '' : ` size="${size}"`} ${extra}/>`;
export const species = (id: string, amount: string, extra = '') =>
  `<species id="${id}" compartment="C" ${amount} hasOnlySubstanceUnits="true" boundaryCondition="false" constant="false" ${extra}/>`;
export const parameter = (id: string, value: number | null, constant = true) =>
  `<parameter id="${id}"${value === null ? '' : ` value="${value}"`} constant="${constant}"/>`;

export function importText(xml: string, source = 'inline.xml'): Promise<SbmlImportResult> {
  return importSbml(xml, { wasm: WASM, source });
}
