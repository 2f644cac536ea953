/**
 * A small namespace-aware XML tree for the comp flattener: parse, walk,
 * build and print. SBML documents are plain XML (elements, attributes, text,
 * comments, CDATA), so a few hundred lines do; a DOM library would bring the
 * browser `dom` typings into the Node build.
 *
 * Every element knows its parent and resolves its own and its attributes'
 * namespaces from the `xmlns` declarations in scope (Namespaces in XML 1.0:
 * an unprefixed attribute has no namespace).
 */
import { SbmlImportError } from '../../../errors/index.js';

export interface XmlText {
  kind: 'text';
  /** Decoded character data. */
  text: string;
}

/** A node printed as is: a comment or CDATA section, kept verbatim. */
export interface XmlRaw {
  kind: 'raw';
  markup: string;
}

export interface XmlAttribute {
  /** Qualified name as written, e.g. `comp:idRef`. */
  name: string;
  value: string;
}

export interface XmlElement {
  kind: 'element';
  /** Qualified name as written, e.g. `comp:submodel`. */
  name: string;
  attributes: XmlAttribute[];
  children: XmlNode[];
  parent: XmlElement | undefined;
  /** 1-based line of the start tag in its document (0 for built elements). */
  line: number;
}

export type XmlNode = XmlElement | XmlText | XmlRaw;

const XMLNS = 'http://www.w3.org/2000/xmlns/';
const XML = 'http://www.w3.org/XML/1998/namespace';

const ENTITIES: Record<string, string> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" };

function decode(text: string): string {
  return text.replace(/&(#x[0-9a-fA-F]+|#[0-9]+|[A-Za-z]+);/g, (m, body: string) => {
    if (body[0] === '#') return String.fromCodePoint(body[1] === 'x' ? parseInt(body.slice(2), 16) : parseInt(body.slice(1), 10));
    return ENTITIES[body] ?? m;
  });
}

export function escapeText(text: string): string {
  return /[&<>]/.test(text) ? text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;') : text;
}

function escapeAttribute(text: string): string {
  return /[&<>"]/.test(text) ? escapeText(text).replace(/"/g, '&quot;') : text;
}

const START_TAG = /<([A-Za-z_][\w.:-]*)((?:\s+[A-Za-z_][\w.:-]*\s*=\s*(?:"[^"]*"|'[^']*'))*)\s*(\/?)>/y;

/** Parses a whole document; returns its root element. Not-well-formed input throws SbmlImportError (kind `xml`). */
export function parseXml(text: string, source?: string): XmlElement {
  const fail = (message: string, index: number): never => {
    const line = text.slice(0, index).split('\n').length;
    throw new SbmlImportError([{ kind: 'xml', message, line }], source);
  };
  const stack: XmlElement[] = [];
  let root: XmlElement | undefined;
  let line = 1;
  let counted = 0;
  const lineAt = (index: number) => {
    for (let i = text.indexOf('\n', counted); i >= 0 && i < index; i = text.indexOf('\n', i + 1)) line++;
    counted = Math.max(counted, index);
    return line;
  };
  let i = 0;
  while (i < text.length) {
    const lt = text.indexOf('<', i);
    const end = lt < 0 ? text.length : lt;
    if (end > i) {
      const chunk = text.slice(i, end);
      if (stack.length > 0) stack[stack.length - 1].children.push({ kind: 'text', text: decode(chunk) });
      else if (chunk.trim() !== '') fail('text outside the root element', i);
    }
    if (lt < 0) break;
    if (text.startsWith('<!--', lt)) {
      const close = text.indexOf('-->', lt + 4);
      if (close < 0) fail('unterminated comment', lt);
      if (stack.length > 0) stack[stack.length - 1].children.push({ kind: 'raw', markup: text.slice(lt, close + 3) });
      i = close + 3;
    } else if (text.startsWith('<![CDATA[', lt)) {
      const close = text.indexOf(']]>', lt + 9);
      if (close < 0) fail('unterminated CDATA section', lt);
      if (stack.length > 0) stack[stack.length - 1].children.push({ kind: 'raw', markup: text.slice(lt, close + 3) });
      i = close + 3;
    } else if (text.startsWith('<?', lt)) {
      const close = text.indexOf('?>', lt + 2);
      if (close < 0) fail('unterminated processing instruction', lt);
      i = close + 2;
    } else if (text.startsWith('<!', lt)) {
      // A doctype (SBML has no internal subsets worth keeping).
      const close = text.indexOf('>', lt + 2);
      if (close < 0) fail('unterminated declaration', lt);
      i = close + 1;
    } else if (text[lt + 1] === '/') {
      const close = text.indexOf('>', lt + 2);
      if (close < 0) fail('unterminated end tag', lt);
      const name = text.slice(lt + 2, close).trim();
      const open = stack.pop();
      if (!open || open.name !== name) fail(`end tag </${name}> does not match <${open?.name ?? ''}>`, lt);
      i = close + 1;
    } else {
      START_TAG.lastIndex = lt;
      const tag = START_TAG.exec(text);
      if (!tag) fail('malformed start tag', lt);
      const [whole, name, attributeText, selfClosing] = tag as RegExpExecArray;
      const attributes: XmlAttribute[] = [];
      for (const m of attributeText.matchAll(/([A-Za-z_][\w.:-]*)\s*=\s*(?:"([^"]*)"|'([^']*)')/g)) {
        attributes.push({ name: m[1], value: decode(m[2] ?? m[3]) });
      }
      const parent = stack[stack.length - 1];
      const element: XmlElement = { kind: 'element', name, attributes, children: [], parent, line: lineAt(lt) };
      if (parent) parent.children.push(element);
      else if (root) fail('more than one root element', lt);
      else root = element;
      if (!selfClosing) stack.push(element);
      i = lt + whole.length;
    }
  }
  if (stack.length > 0) fail(`element <${stack[stack.length - 1].name}> is not closed`, text.length);
  if (!root) fail('no root element', 0);
  return root as XmlElement;
}

const prefixOf = (name: string) => (name.includes(':') ? name.slice(0, name.indexOf(':')) : '');
export const localName = (name: string) => name.slice(name.indexOf(':') + 1);

/** The namespace URI bound to `prefix` ('' = default namespace) where `element` sits. */
export function lookupNamespace(element: XmlElement | undefined, prefix: string): string | undefined {
  if (prefix === 'xml') return XML;
  if (prefix === 'xmlns') return XMLNS;
  const declaration = prefix === '' ? 'xmlns' : `xmlns:${prefix}`;
  for (let e = element; e; e = e.parent) {
    const found = e.attributes.find((a) => a.name === declaration);
    if (found) return found.value;
  }
  return undefined;
}

/** Namespaces of parsed elements, which never move (built elements are not cached: they get attached later). */
const namespaces = new WeakMap<XmlElement, string | undefined>();

export function namespaceOf(element: XmlElement): string | undefined {
  if (element.line === 0) return lookupNamespace(element, prefixOf(element.name));
  if (namespaces.has(element)) return namespaces.get(element);
  const ns = lookupNamespace(element, prefixOf(element.name));
  namespaces.set(element, ns);
  return ns;
}

/** The namespace of an attribute; undefined for unprefixed attributes. */
export function attributeNamespace(element: XmlElement, attribute: XmlAttribute): string | undefined {
  if (attribute.name === 'xmlns' || attribute.name.startsWith('xmlns:')) return XMLNS;
  const prefix = prefixOf(attribute.name);
  return prefix === '' ? undefined : lookupNamespace(element, prefix);
}

export function isNamespaceDeclaration(attribute: XmlAttribute): boolean {
  return attribute.name === 'xmlns' || attribute.name.startsWith('xmlns:');
}

/** The value of the attribute `local` in namespace `ns` (undefined ns: unprefixed). */
export function attr(element: XmlElement, local: string, ns?: string): string | undefined {
  for (const a of element.attributes) {
    if (localName(a.name) !== local || isNamespaceDeclaration(a)) continue;
    if (attributeNamespace(element, a) === ns) return a.value;
  }
  return undefined;
}

export function childElements(element: XmlElement): XmlElement[] {
  return element.children.filter((c): c is XmlElement => c.kind === 'element');
}

/** Child elements with local name `local` in namespace `ns`. */
export function children(element: XmlElement, local: string, ns: string | undefined): XmlElement[] {
  return childElements(element).filter((c) => localName(c.name) === local && namespaceOf(c) === ns);
}

export function child(element: XmlElement, local: string, ns: string | undefined): XmlElement | undefined {
  return children(element, local, ns)[0];
}

/** Concatenated text content. */
export function textOf(element: XmlElement): string {
  return element.children.map((c) => (c.kind === 'text' ? c.text : c.kind === 'element' ? textOf(c) : '')).join('');
}

/** A new element (no parent until attached with `append`). */
export function element(name: string, attributes: XmlAttribute[] = [], nodes: XmlNode[] = []): XmlElement {
  const built: XmlElement = { kind: 'element', name, attributes, children: [], parent: undefined, line: 0 };
  for (const node of nodes) append(built, node);
  return built;
}

export function append(parent: XmlElement, node: XmlNode): void {
  if (node.kind === 'element') node.parent = parent;
  parent.children.push(node);
}

export function printXml(root: XmlElement): string {
  let out = '<?xml version="1.0" encoding="UTF-8"?>\n';
  const write = (e: XmlElement) => {
    out += `<${e.name}`;
    for (const a of e.attributes) out += ` ${a.name}="${escapeAttribute(a.value)}"`;
    if (e.children.length === 0) {
      out += '/>';
      return;
    }
    out += '>';
    for (const c of e.children) {
      if (c.kind === 'element') write(c);
      else if (c.kind === 'text') out += escapeText(c.text);
      else out += c.markup;
    }
    out += `</${e.name}>`;
  };
  write(root);
  return `${out}\n`;
}
