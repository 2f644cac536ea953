/**
 * Attributes the libsbmljs binding does not expose, read from the document
 * text: a reaction's `fast`, the model's `conversionFactor` and unit
 * attributes, and the SBML packages the document declares
 * (`<prefix>:required` on the <sbml> element). Only start tags are matched,
 * after comments and CDATA are blanked out.
 */
export interface DocumentAttributes {
  /** Ids of reactions with fast="true". */
  fastReactions: string[];
  modelConversionFactor: string | undefined;
  modelSubstanceUnits: string | undefined;
  /** The model's unit attributes (SBML Level 3): substanceUnits, timeUnits, volumeUnits, areaUnits, lengthUnits, extentUnits. */
  modelUnits: Partial<Record<'substance' | 'time' | 'volume' | 'area' | 'length' | 'extent', string>>;
  /** Packages by namespace prefix, with their `required` flag. */
  packages: Array<{ prefix: string; required: boolean }>;
}

const NAME = '(?:[A-Za-z_][\\w.-]*:)?';

function startTags(text: string, element: string): string[] {
  const pattern = new RegExp(`<${NAME}${element}(?=[\\s/>])([^>]*)>`, 'g');
  return [...text.matchAll(pattern)].map((m) => m[1]);
}

function attribute(tag: string, name: string): string | undefined {
  const match = new RegExp(`(?:^|\\s)${name}\\s*=\\s*(?:"([^"]*)"|'([^']*)')`).exec(tag);
  return match ? (match[1] ?? match[2]).trim() : undefined;
}

export function documentAttributes(xml: string): DocumentAttributes {
  const text = xml.replace(/<!--[\s\S]*?-->|<!\[CDATA\[[\s\S]*?\]\]>/g, (m) => ' '.repeat(m.length));
  const fastReactions = startTags(text, 'reaction')
    .filter((tag) => /^(true|1)$/.test(attribute(tag, 'fast') ?? ''))
    .map((tag) => attribute(tag, 'id') ?? '(no id)');
  const model = startTags(text, 'model')[0] ?? '';
  const sbml = startTags(text, 'sbml')[0] ?? '';
  const packages = [...sbml.matchAll(/(?:^|\s)([A-Za-z_][\w.-]*):required\s*=\s*(?:"([^"]*)"|'([^']*)')/g)].map((m) => ({
    prefix: m[1],
    required: /^(true|1)$/.test((m[2] ?? m[3]).trim()),
  }));
  return {
    fastReactions,
    modelConversionFactor: attribute(model, 'conversionFactor'),
    modelSubstanceUnits: attribute(model, 'substanceUnits'),
    modelUnits: Object.fromEntries(
      (['substance', 'time', 'volume', 'area', 'length', 'extent'] as const).flatMap((kind) => {
        const value = attribute(model, `${kind}Units`);
        return value ? [[kind, value]] : [];
      }),
    ),
    packages,
  };
}
