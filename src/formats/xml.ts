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
  /** The sample stops early (an ellipsis, then no closing tags): it was read as if closed. */
  truncated: boolean;
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
  const doc: XmlDocument = {
    roots: [],
    declaration: null,
    issues: [],
    unresolvedPrefixes: [],
    ellipses: 0,
    doctype: false,
    truncated: false,
    soap: null,
  };
  const masked = maskCommentsAndCdata(text);

  const doctype = /<!DOCTYPE/i.exec(masked);
  if (doctype) {
    doc.doctype = true;
    const at = offsetToPosition(starts, doctype.index);
    doc.issues.push({
      ...at,
      severity: 'warning',
      message: 'DOCTYPE declaration ignored: entities are never expanded and external resources never fetched',
    });
  }

  // Declarations are read here and blanked (same length) for the parser: pages indent them,
  // or show two documents in one block, and neither is a defect worth reporting.
  const declaration = /^\s*<\?xml\s([^?]*)\?>/.exec(text);
  if (declaration)
    doc.declaration = Object.fromEntries(
      [...declaration[1]!.matchAll(/([\w:-]+)\s*=\s*["']([^"']*)["']/g)].map((m) => [m[1]!, m[2]!]),
    );
  let source = text.replace(/<\?xml\s[^?]*\?>/g, (m) => ' '.repeat(m.length));

  let verdict = validateFragment(source);
  if (verdict !== true && hasEllipsis(masked)) {
    // A sample cut short with an ellipsis leaves its elements open; close them and try again.
    const closed = closeOpenElements(source);
    if (closed !== null && validateFragment(closed) === true) {
      source = closed;
      doc.truncated = true;
      verdict = true;
    }
  }
  if (verdict !== true) {
    // The validator leaves the position out for some errors (an empty sample): keep it inside the text.
    const at = clampPosition(text, verdict.err.line, verdict.err.col);
    doc.issues.push({ ...at, severity: 'error', message: explainXmlError(verdict.err.msg, text, at.line, at.column) });
    return doc;
  }
  if (!doctype) {
    for (const m of masked.matchAll(/&([a-zA-Z][\w.-]*);/g)) {
      if (m[1]! in PREDEFINED_ENTITIES) continue;
      const at = offsetToPosition(starts, m.index);
      doc.issues.push({
        ...at,
        severity: 'error',
        message: `undefined entity \`${m[0]}\` (an HTML entity is not XML; machine translation often injects them)`,
      });
      break;
    }
  }
  let parsed: FxpNode[];
  try {
    parsed = parser.parse(source) as FxpNode[];
  } catch (error) {
    const reason = (error as Error).message;
    doc.issues.push({
      line: 1,
      column: 1,
      severity: 'error',
      message: /external entit/i.test(reason)
        ? 'external entity declarations are refused: nothing is fetched or expanded'
        : `XML could not be parsed: ${reason}`,
    });
    return doc;
  }
  const unresolved = new Set<string>();
  const scope = new Map<string, string>([['xml', XML_NS]]);
  for (const node of parsed) {
    const tag = tagOf(node);
    if (tag === undefined || tag === '#comment' || tag.startsWith('?')) continue;
    if (tag === '#text') continue;
    doc.roots.push(buildElement(node, tag, scope, starts, unresolved, doc));
  }
  doc.unresolvedPrefixes = [...unresolved].sort();
  // Ellipses in text content (markup removed, so `Id="AAMk..."` values do not count).
  doc.ellipses = countEllipses(masked.replace(/<[^>]*>/g, ''));
  if (doc.truncated && doc.ellipses === 0) doc.ellipses = 1;
  doc.soap = soapInfo(doc.roots);
  return doc;
}

function clampPosition(
  text: string,
  line: number | undefined,
  column: number | undefined,
): { line: number; column: number } {
  const lines = text.split('\n');
  const l = Math.min(Math.max(1, Number.isFinite(line) ? line! : 1), lines.length);
  const c = Math.min(Math.max(1, Number.isFinite(column) ? column! : 1), (lines[l - 1]?.length ?? 0) + 1);
  return { line: l, column: c };
}

function tagOf(node: FxpNode): string | undefined {
  for (const key of Object.keys(node)) if (key !== ':@') return key;
  return undefined;
}

type Verdict = ReturnType<typeof XMLValidator.validate>;
const FRAGMENT_OPEN = '<lockstep-fragment>';

/**
 * Well-formedness of a sample that may have several top-level elements (a documentation
 * convention): the validator wants one root, so a synthetic one is wrapped around it on
 * the same line, and columns on line 1 are shifted back.
 */
function validateFragment(source: string): Verdict {
  const verdict = XMLValidator.validate(source, { allowBooleanAttributes: true });
  if (verdict === true || !/Multiple possible root/.test(verdict.err.msg)) return verdict;
  const wrapped = XMLValidator.validate(`${FRAGMENT_OPEN}${source}</lockstep-fragment>`, {
    allowBooleanAttributes: true,
  });
  if (wrapped === true) return true;
  if (wrapped.err.line === 1) wrapped.err.col = Math.max(1, wrapped.err.col - FRAGMENT_OPEN.length);
  return wrapped;
}

function hasEllipsis(text: string): boolean {
  return text.includes('...') || text.includes('\u2026');
}

/**
 * Append closing tags for the elements still open at the end of a truncated sample.
 * A tag scanner, not a parser: it only needs names and nesting, and gives up (null)
 * on anything it cannot follow, leaving the real parser's error to be reported.
 */
function closeOpenElements(text: string): string | null {
  const stack: string[] = [];
  const masked = maskCommentsAndCdata(text);
  for (const m of masked.matchAll(/<(\/?)([A-Za-z_][\w.:-]*)((?:[^>"']|"[^"]*"|'[^']*')*?)(\/?)>/g)) {
    const [, closing, name, , selfClosing] = m;
    if (selfClosing) continue;
    if (closing) {
      if (stack.pop() !== name) return null;
    } else stack.push(name!);
  }
  if (stack.length === 0) return null;
  return `${text}${stack
    .reverse()
    .map((name) => `</${name}>`)
    .join('')}`;
}

function countEllipses(text: string): number {
  return (text.match(/\.\.\.|\u2026/g) ?? []).length;
}

function splitName(name: string): { prefix: string | null; local: string } {
  const colon = name.indexOf(':');
  return colon === -1 ? { prefix: null, local: name } : { prefix: name.slice(0, colon), local: name.slice(colon + 1) };
}

function buildElement(
  node: FxpNode,
  tag: string,
  parentScope: Map<string, string>,
  starts: number[],
  unresolved: Set<string>,
  doc: XmlDocument,
): XmlElement {
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
    const attrNs = a.prefix === null ? null : (scope.get(a.prefix) ?? null);
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
  const envelope = roots.find(
    (r) => r.local === 'Envelope' && (r.ns === SOAP_NAMESPACES['1.1'] || r.ns === SOAP_NAMESPACES['1.2']),
  );
  if (!envelope) return null;
  const version: SoapVersion = envelope.ns === SOAP_NAMESPACES['1.2'] ? '1.2' : '1.1';
  const body = childElements(envelope).find((e) => e.local === 'Body' && e.ns === envelope.ns);
  const first = body ? childElements(body)[0] : undefined;
  const operation = first ? { local: first.local, ns: first.ns } : null;
  const isFault = first?.local === 'Fault' && first.ns === envelope.ns;
  return {
    version,
    operation,
    isFault,
    isResponse: isFault || (operation !== null && /Response$/.test(operation.local)),
  };
}

export function childElements(element: XmlElement): XmlElement[] {
  return element.children.filter((c): c is XmlElement => c.type === 'element');
}

/** Direct text of an element with insignificant whitespace removed. */
export function elementText(element: XmlElement): string {
  // A loop, not filter/map/join: called for every element of every sample, where the chain is deoptimized at the
  // first children array of another element kind.
  const children = element.children;
  let text = '';
  for (let k = 0; k < children.length; k++) {
    const child = children[k]!;
    if (child.type === 'text') text += child.value;
  }
  return text.trim();
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
