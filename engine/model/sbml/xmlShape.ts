import { SbmlImportError } from '../../errors/index.js';

/**
 * libSBML (compiled to WebAssembly) recurses over MathML: about 500 nested
 * <apply> elements, or an <apply> with about 2,000 operands (it keeps
 * n-ary operators as binary trees), overflow its stack and leave the
 * module in an unknown state. Such documents are refused before libSBML
 * reads them, with the line of the offending element. The limits sit well
 * above real models (BioModels' deepest kinetic laws nest a few dozen
 * levels) and below libSBML's breaking points, measured with
 * libsbmljs_stable 5.18.
 */
export const MAX_XML_DEPTH = 400;
export const MAX_MATH_OPERANDS = 1_000;

/** The element name without its namespace prefix. */
const local = (name: string) => name.slice(name.indexOf(':') + 1);

function lineOf(text: string, index: number): { line: number; column: number } {
  let line = 1;
  let start = 0;
  for (let i = text.indexOf('\n'); i >= 0 && i < index; i = text.indexOf('\n', i + 1)) {
    line++;
    start = i + 1;
  }
  return { line, column: index - start + 1 };
}

/** Throws SbmlImportError when the document nests deeper than MAX_XML_DEPTH or a MathML <apply> has more than MAX_MATH_OPERANDS operands. */
export function checkXmlShape(xml: string, source?: string): void {
  // Comments, CDATA, processing instructions and the doctype hold no elements.
  const text = xml.replace(/<!--[\s\S]*?-->|<!\[CDATA\[[\s\S]*?\]\]>|<\?[\s\S]*?\?>|<!DOCTYPE[^>]*>/g, (m) => ' '.repeat(m.length));
  const names: string[] = [];
  const children: number[] = [];
  const tag = /<(\/?)([A-Za-z_][\w.:-]*)(?:"[^"]*"|'[^']*'|[^'">])*?(\/?)>/g;
  for (let m = tag.exec(text); m !== null; m = tag.exec(text)) {
    const [, closing, name, selfClosing] = m;
    if (closing) {
      names.pop();
      children.pop();
      continue;
    }
    if (children.length > 0) {
      const count = ++children[children.length - 1];
      if (local(names[names.length - 1]) === 'apply' && count > MAX_MATH_OPERANDS + 1) {
        throw new SbmlImportError(
          [
            {
              kind: 'unsupported',
              element: 'apply',
              ...lineOf(text, m.index),
              message: `a MathML <apply> with more than ${MAX_MATH_OPERANDS} operands is not supported (split the expression, e.g. with assignment rules)`,
            },
          ],
          source,
        );
      }
    }
    if (selfClosing) continue;
    names.push(name);
    children.push(0);
    if (names.length > MAX_XML_DEPTH) {
      throw new SbmlImportError(
        [
          {
            kind: 'unsupported',
            element: local(name),
            ...lineOf(text, m.index),
            message: `elements nested deeper than ${MAX_XML_DEPTH} levels are not supported (MathML this deep cannot be read safely)`,
          },
        ],
        source,
      );
    }
  }
}
