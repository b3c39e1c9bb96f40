import { compareJsonWithLive } from '../compare/json.js';
import { compareXml } from '../compare/xml.js';
import { shorten } from '../compare/difference.js';
import { headerValue, isJsonMediaType, isXmlMediaType, mediaType, type HttpHeader } from '../sample/http.js';
import { parseJsonSample, parseLiveJson, type JsonValue } from '../sample/json.js';
import type { Sample } from '../sample/sample.js';
import { parseXmlSample, SOAP_NAMESPACES, type XmlDocument } from '../sample/xml.js';
import { valueMatcher } from './volatile.js';
import { positionAt } from '../util/text.js';
import { oncePer } from '../util/memo.js';

export interface ActualResponse {
  status: number;
  /** Header names lower-cased; repeated headers joined with `, `. */
  headers: Record<string, string>;
  body: string;
}

export type Check = 'status' | 'header' | 'content-type' | 'body' | 'empty-body';

/** One failed check, said the way Dredd and Hurl say it: which check, where, expected vs actual. */
export interface Mismatch {
  check: Check;
  path: string;
  expected: string;
  actual: string;
  /** Line of the documented value on the page, when known. */
  docLine?: number;
}

/** What the docs promise for one request: from an http-response sample or a SOAP response envelope. */
export interface Expectation {
  status: number;
  headers: HttpHeader[];
  mediaType: string | null;
  /** The documented body; `json` and `xml` are its models as parsed from the page (not parsed again per replay). */
  body: { type: 'json' | 'xml' | 'text'; text: string; line: number; xml?: XmlDocument; json?: JsonValue | null } | null;
  /** ApiDoctor's `"truncated": true`: the documented body is a subset of the actual one. */
  truncated: boolean;
}

/** Headers a transport sets by itself: their presence is not part of the contract. */
export const TRANSPORT_HEADERS: ReadonlySet<string> = new Set(['content-length', 'date', 'connection', 'transfer-encoding', 'keep-alive', 'server']);

/** What a documented response promises; a sample never changes, so it is worked out once. */
export const expectationOf: (response: Sample) => Expectation | null = oncePer(expectationFrom);

function expectationFrom(response: Sample): Expectation | null {
  const truncated = response.annotation?.['truncated'] === true;
  if (response.kind === 'http-response') {
    const b = response.http.body;
    const line = response.contentLine + (b?.line ?? 1) - 1;
    return {
      status: response.http.status,
      headers: response.http.headers,
      mediaType: mediaType(headerValue(response.http.headers, 'content-type')) ?? null,
      body: b ? { type: b.type, text: b.text, line, ...(b.type === 'xml' ? { xml: b.xml } : {}), ...(b.type === 'json' ? { json: b.json.value } : {}) } : null,
      truncated,
    };
  }
  if (response.kind === 'xml' && response.xml.soap) {
    const soap = response.xml.soap;
    return {
      status: soap.isFault ? 500 : 200,
      headers: [],
      mediaType: soap.version === '1.2' ? 'application/soap+xml' : 'text/xml',
      body: { type: 'xml', text: response.text, line: response.contentLine, xml: response.xml },
      truncated,
    };
  }
  return null;
}

export interface MatchOptions {
  /** Origins written in the docs (`https://graph.microsoft.com`): the implementation's own may stand for them. */
  origins?: readonly string[];
}

/** Compare a live response with the documented one; an empty list means it conforms. */
export function matchResponse(expected: Expectation, actual: ActualResponse, options: MatchOptions = {}): Mismatch[] {
  const out: Mismatch[] = [];
  const origins = options.origins ?? [];
  if (actual.status !== expected.status) out.push({ check: 'status', path: 'status', expected: String(expected.status), actual: String(actual.status) });
  for (const h of expected.headers) {
    const name = h.name.toLowerCase();
    if (TRANSPORT_HEADERS.has(name) || name === 'content-type') continue;
    if (actual.headers[name] === undefined) out.push({ check: 'header', path: `header ${h.name}`, expected: `present (documented: ${shorten(h.value, 40)})`, actual: '(absent)' });
  }
  const actualType = mediaType(actual.headers['content-type']) ?? null;
  if (expected.mediaType && expected.body && actualType !== expected.mediaType) {
    out.push({ check: 'content-type', path: 'header Content-Type', expected: expected.mediaType, actual: actualType ?? '(absent)' });
  }
  if (!expected.body) {
    // HTTP clients drop the body of a 204; its announced length still shows it was sent.
    const announced = Number(actual.headers['content-length'] ?? 0);
    if (actual.body.length > 0) out.push({ check: 'empty-body', path: 'body', expected: '(empty)', actual: `${actual.body.length} bytes: ${shorten(actual.body, 40)}` });
    else if (announced > 0) out.push({ check: 'empty-body', path: 'body', expected: '(empty)', actual: `a ${announced}-byte body (Content-Length: ${announced})` });
    return out;
  }
  const accept = (e: string, a: string) => valueMatcher(e, origins).test(a);
  if (expected.body.type === 'json' || isJsonMediaType(expected.mediaType ?? undefined)) {
    const doc = expected.body.json !== undefined ? expected.body.json : parseJsonSample(expected.body.text).value;
    if (!doc) return out;
    const live = parseLiveJson(actual.body);
    if (!live.ok) {
      out.push({ check: 'body', path: 'body', expected: 'JSON', actual: `not JSON (${live.reason}): ${shorten(actual.body, 40)}` });
      return out;
    }
    const d = compareJsonWithLive(doc, live.value, {
      subset: expected.truncated,
      acceptValue: (e, a) => (e === null && expected.truncated) || (typeof e === 'string' && typeof a === 'string' && accept(e, a)),
    });
    if (d) out.push({ check: 'body', path: `body ${d.path}`, expected: `${d.what === 'value' || d.what === 'type' ? '' : `${d.what}: `}${d.expected}`, actual: d.actual, docLine: expected.body.line + positionAt(expected.body.text, d.expectedOffset ?? 0).line - 1 });
    return out;
  }
  if (expected.body.type === 'xml' || isXmlMediaType(expected.mediaType ?? undefined)) {
    const doc = expected.body.xml ?? parseXmlSample(expected.body.text);
    const live = parseXmlSample(actual.body);
    if (live.doctype) {
      out.push({ check: 'body', path: 'body', expected: 'XML without a DOCTYPE', actual: 'a DOCTYPE (entities are never expanded, external ones never fetched)' });
      return out;
    }
    const broken = live.issues.find((i) => i.severity === 'error');
    if (broken || live.roots.length === 0) {
      out.push({ check: 'body', path: 'body', expected: 'well-formed XML', actual: broken ? `invalid XML at ${broken.line}:${broken.column}: ${broken.message}` : `no XML element: ${shorten(actual.body, 40)}` });
      return out;
    }
    const d = compareXml(doc, live, { acceptText: accept, allowExtra: expected.truncated });
    if (d) out.push({ check: 'body', path: `body ${d.path}`, expected: `${d.what}: ${shorten(d.expected, 160)}`, actual: shorten(d.actual, 160), docLine: expected.body.line + (d.expectedLine ?? 1) - 1 });
    return out;
  }
  const norm = (t: string) => t.replace(/\s+/g, ' ').trim();
  if (norm(expected.body.text) !== norm(actual.body) && !/\.\.\.|…/.test(expected.body.text)) out.push({ check: 'body', path: 'body', expected: shorten(expected.body.text), actual: shorten(actual.body) });
  return out;
}


export function describeMismatch(m: Mismatch): string {
  return `${m.check} check failed at ${m.path}: expected ${m.expected}, got ${m.actual}`;
}

export { SOAP_NAMESPACES };
