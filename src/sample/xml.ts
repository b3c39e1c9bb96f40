import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { lineStarts, offsetToPosition } from '../util/text.js';

/** Namespace URIs of the SOAP envelope versions. */
export const SOAP_NAMESPACES = {
  '1.1': 'http://schemas.xmlsoap.org/soap/envelope/',
  '1.2': 'http://www.w3.org/2003/05/soap-envelope',
} as const;
export type SoapVersion = keyof typeof SOAP_NAMESPACES;

export interface XmlAttribute {
  /** Qualified name as written (`xsi:type`). */
  name: string;
  local: string;
  prefix: string | null;
  /** Resolved namespace URI; null for unprefixed attributes and unresolved prefixes. */
  ns: string | null;
  value: string;
}

export interface XmlText {
  type: 'text';
  /** Text with the predefined entities and character references decoded. */
  value: string;
  cdata: boolean;
}

export interface XmlElement {
  type: 'element';
  name: string;
  local: string;
  prefix: string | null;
  ns: string | null;
  attributes: XmlAttribute[];
  children: XmlNode[];
  /** 1-based line and column within the sample's text. */
  line: number;
  column: number;
}

export type XmlNode = XmlElement | XmlText;

export interface XmlIssue {
  /** 1-based line and column within the sample's text. */
  line: number;
  column: number;
  message: string;
  severity: 'error' | 'warning';
}

export interface SoapInfo {
  version: SoapVersion;
  /** The first element in the Body: the operation (`Disconnect`) or its response. */
  operation: { local: string; ns: string | null } | null;
  isResponse: boolean;
  isFault: boolean;
}

export interface XmlDocument {
  /** Top-level elements; documentation fragments may have several. */
  roots: XmlElement[];
  declaration: Record<string, string> | null;
  issues: XmlIssue[];
  /** Prefixes used without a declaration in scope: a documentation convention for fragments. */
  unresolvedPrefixes: string[];
  /** The sample elides content with `...`. */
  ellipses: number;
  doctype: boolean;
  soap: SoapInfo | null;
}

const PREDEFINED_ENTITIES: Record<string, string> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" };
const XML_NS = 'http://www.w3.org/XML/1998/namespace';

/** Decode the five predefined entities and character references; nothing else is ever expanded. */
export function decodeXmlText(raw: string): string {
  if (!raw.includes('&')) return raw;
  return raw.replace(/&(#x[0-9a-fA-F]+|#\d+|[a-zA-Z]+);/g, (whole, ref: string) => {
    if (ref.startsWith('#x')) return safeCodePoint(parseInt(ref.slice(2), 16)) ?? whole;
    if (ref.startsWith('#')) return safeCodePoint(parseInt(ref.slice(1), 10)) ?? whole;
    return PREDEFINED_ENTITIES[ref] ?? whole;
  });
}

function safeCodePoint(cp: number): string | undefined {
  return Number.isFinite(cp) && cp > 0 && cp <= 0x10ffff ? String.fromCodePoint(cp) : undefined;
}

// One parser instance per options object is cheap; the parser holds no per-document state between calls.
const parser = new XMLParser({
  preserveOrder: true,
  ignoreAttributes: false,
  attributeNamePrefix: '',
  allowBooleanAttributes: true,
  parseTagValue: false,
  parseAttributeValue: false,
  trimValues: false,
  // Entities are decoded by decodeXmlText (predefined ones only): DOCTYPE-declared
  // entities are never expanded and external ones never fetched.
  processEntities: false,
  htmlEntities: false,
  captureMetaData: true,
  commentPropName: '#comment',
  cdataPropName: '#cdata',
});
const META = XMLParser.getMetaDataSymbol() as unknown as symbol;

type FxpNode = Record<string, unknown> & { ':@'?: Record<string, string> };

/** Blank comments and CDATA (same length, newlines kept) so that scans for entities skip them. */
function maskCommentsAndCdata(text: string): string {
  return text.replace(/<!--[\s\S]*?-->|<!\[CDATA\[[\s\S]*?\]\]>/g, (m) => m.replace(/[^\n]/g, ' '));
}

export function parseXmlSample(text: string): XmlDocument {
  const starts = lineStarts(text);
  const doc: XmlDocument = { roots: [], declaration: null, issues: [], unresolvedPrefixes: [], ellipses: 0, doctype: false, soap: null };
  const masked = maskCommentsAndCdata(text);

  const doctype = /<!DOCTYPE/i.exec(masked);
  if (doctype) {
    doc.doctype = true;
    const at = offsetToPosition(starts, doctype.index);
    doc.issues.push({ ...at, severity: 'warning', message: 'DOCTYPE declaration ignored: entities are never expanded and external resources never fetched' });
  }

  const verdict = XMLValidator.validate(text, { allowBooleanAttributes: true });
  if (verdict !== true) {
    doc.issues.push({ line: verdict.err.line, column: verdict.err.col, severity: 'error', message: explainXmlError(verdict.err.msg, text, verdict.err.line, verdict.err.col) });
    return doc;
  }
  if (!doctype) {
    for (const m of masked.matchAll(/&([a-zA-Z][\w.-]*);/g)) {
      if (m[1]! in PREDEFINED_ENTITIES) continue;
      const at = offsetToPosition(starts, m.index);
      doc.issues.push({ ...at, severity: 'error', message: `undefined entity \`${m[0]}\` (an HTML entity is not XML; machine translation often injects them)` });
      break;
    }
  }
  let parsed: FxpNode[];
  try {
    parsed = parser.parse(text) as FxpNode[];
  } catch (error) {
    const reason = (error as Error).message;
    doc.issues.push({ line: 1, column: 1, severity: 'error', message: /external entit/i.test(reason) ? 'external entity declarations are refused: nothing is fetched or expanded' : `XML could not be parsed: ${reason}` });
    return doc;
  }
  const unresolved = new Set<string>();
  const scope = new Map<string, string>([['xml', XML_NS]]);
  for (const node of parsed) {
    const tag = tagOf(node);
    if (tag === '?xml') { doc.declaration = { ...(node[':@'] ?? {}) }; continue; }
    if (tag === undefined || tag === '#comment' || tag.startsWith('?')) continue;
    if (tag === '#text') continue;
    doc.roots.push(buildElement(node, tag, scope, starts, unresolved, doc));
  }
  doc.unresolvedPrefixes = [...unresolved].sort();
  // Ellipses in text content (markup removed, so `Id="AAMk..."` values do not count).
  doc.ellipses = countEllipses(masked.replace(/<[^>]*>/g, ''));
  doc.soap = soapInfo(doc.roots);
  return doc;
}

function tagOf(node: FxpNode): string | undefined {
  for (const key of Object.keys(node)) if (key !== ':@') return key;
  return undefined;
}

function countEllipses(text: string): number {
  return (text.match(/\.\.\.|\u2026/g) ?? []).length;
}

function splitName(name: string): { prefix: string | null; local: string } {
  const colon = name.indexOf(':');
  return colon === -1 ? { prefix: null, local: name } : { prefix: name.slice(0, colon), local: name.slice(colon + 1) };
}

function buildElement(node: FxpNode, tag: string, parentScope: Map<string, string>, starts: number[], unresolved: Set<string>, doc: XmlDocument): XmlElement {
  const rawAttrs = node[':@'] ?? {};
  let scope = parentScope;
  for (const [name, value] of Object.entries(rawAttrs)) {
    if (name === 'xmlns' || name.startsWith('xmlns:')) {
      if (scope === parentScope) scope = new Map(parentScope);
      scope.set(name === 'xmlns' ? '' : name.slice(6), decodeXmlText(String(value)));
    }
  }
  const { prefix, local } = splitName(tag);
  const ns = scope.get(prefix ?? '') ?? null;
  if (prefix !== null && ns === null) unresolved.add(prefix);
  const attributes: XmlAttribute[] = [];
  for (const [name, value] of Object.entries(rawAttrs)) {
    if (name === 'xmlns' || name.startsWith('xmlns:')) continue;
    const a = splitName(name);
    const attrNs = a.prefix === null ? null : scope.get(a.prefix) ?? null;
    if (a.prefix !== null && attrNs === null) unresolved.add(a.prefix);
    attributes.push({ name, local: a.local, prefix: a.prefix, ns: attrNs, value: decodeXmlText(String(value)) });
  }
  const meta = (node as Record<symbol, { startIndex?: number } | undefined>)[META];
  const at = offsetToPosition(starts, meta?.startIndex ?? 0);
  const children: XmlNode[] = [];
  for (const child of (node[tag] as FxpNode[] | undefined) ?? []) {
    const childTag = tagOf(child);
    if (childTag === undefined || childTag === '#comment' || childTag.startsWith('?')) continue;
    if (childTag === '#text') {
      const raw = String(child['#text'] ?? '');
      children.push({ type: 'text', value: decodeXmlText(raw), cdata: false });
    } else if (childTag === '#cdata') {
      const inner = (child['#cdata'] as FxpNode[] | undefined)?.[0]?.['#text'];
      children.push({ type: 'text', value: String(inner ?? ''), cdata: true });
    } else {
      children.push(buildElement(child, childTag, scope, starts, unresolved, doc));
    }
  }
  return { type: 'element', name: tag, local, prefix, ns, attributes, children, line: at.line, column: at.column };
}

function soapInfo(roots: XmlElement[]): SoapInfo | null {
  const envelope = roots.find((r) => r.local === 'Envelope' && (r.ns === SOAP_NAMESPACES['1.1'] || r.ns === SOAP_NAMESPACES['1.2']));
  if (!envelope) return null;
  const version: SoapVersion = envelope.ns === SOAP_NAMESPACES['1.2'] ? '1.2' : '1.1';
  const body = childElements(envelope).find((e) => e.local === 'Body' && e.ns === envelope.ns);
  const first = body ? childElements(body)[0] : undefined;
  const operation = first ? { local: first.local, ns: first.ns } : null;
  const isFault = first?.local === 'Fault' && first.ns === envelope.ns;
  return { version, operation, isFault, isResponse: isFault || (operation !== null && /Response$/.test(operation.local)) };
}

export function childElements(element: XmlElement): XmlElement[] {
  return element.children.filter((c): c is XmlElement => c.type === 'element');
}

/** Direct text of an element with insignificant whitespace removed. */
export function elementText(element: XmlElement): string {
  return element.children.filter((c): c is XmlText => c.type === 'text').map((t) => t.value).join('').trim();
}

/** Turn fast-xml-parser's messages into ones that name the cause a doc maintainer can act on. */
function explainXmlError(message: string, text: string, line: number, column: number): string {
  const lineText = text.split('\n')[line - 1] ?? '';
  const rest = lineText.slice(Math.max(0, column - 1));
  const entity = /^&[a-zA-Z]+;/.exec(rest);
  if (entity) return `${message} (HTML entity \`${entity[0]}\`: machine translation often injects them)`;
  if (/closing tag/i.test(message)) return `unbalanced tag: ${message}`;
  return message;
}
