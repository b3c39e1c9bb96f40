import { jsonDifferencesWithLive } from '../compare/json.js';
import { xmlDifferences } from '../compare/xml.js';
import { shorten, type Difference } from '../compare/difference.js';
import { headerValue, isJsonMediaType, isXmlMediaType, mediaType, type HttpHeader } from '../formats/http.js';
import { parseJsonSample, parseLiveJson, type JsonValue } from '../formats/json.js';
import type { Sample } from '../sample/sample.js';
import { parseXmlSample, SOAP_NAMESPACES, type XmlDocument, type XmlElement } from '../formats/xml.js';
import { NO_PINS, valueMatcher, type Pin, type Pins } from './volatile.js';
import { positionAt } from '../util/text.js';
import { oncePer } from '../util/memo.js';

export interface ActualResponse {
  status: number;
  /** Header names lower-cased; repeated headers joined with `, `. */
  headers: Record<string, string>;
  body: string;
}

export type Check = 'status' | 'header' | 'content-type' | 'body' | 'empty-body';

/** One failed check, said the way Dredd and Hurl say it: which check, where, documented vs actual. */
export interface Mismatch {
  check: Check;
  /** Where: `status`, `header Location`, `body $.state`, `body /soap:Envelope/soap:Body/…`. */
  path: string;
  expected: string;
  actual: string;
  /** What differs at the path: `value`, `missing member`, `extra element`, … (body checks). */
  what?: string;
  /** Line of the documented value on the page, when known. */
  docLine?: number;
}

/** What the docs promise for one request: from an http-response sample or a SOAP response envelope. */
export interface Expectation {
  status: number;
  headers: HttpHeader[];
  mediaType: string | null;
  /** The documented body; `json` and `xml` are its models as parsed from the page (not parsed again per replay). */
  body: {
    type: 'json' | 'xml' | 'text';
    text: string;
    line: number;
    xml?: XmlDocument;
    json?: JsonValue | null;
  } | null;
  /**
   * ApiDoctor's `"truncated": true` (or `"true"`, which ApiDoctor honours too): the documented body is a subset of the
   * actual one.
   */
  truncated: boolean;
}

/** Headers a transport sets by itself: their presence is not part of the contract. */
export const TRANSPORT_HEADERS: ReadonlySet<string> = new Set([
  'content-length',
  'date',
  'connection',
  'transfer-encoding',
  'keep-alive',
  'server',
]);

/** Whether a sample's annotation says its body is cut short. */
export const isTruncated = (sample: Sample): boolean => {
  const t = sample.annotation?.['truncated'];
  return t === true || (typeof t === 'string' && t.trim().toLowerCase() === 'true');
};

/** What a documented response promises; a sample never changes, so it is worked out once. */
export const expectationOf: (response: Sample) => Expectation | null = oncePer(expectationFrom);

function expectationFrom(response: Sample): Expectation | null {
  const truncated = isTruncated(response);
  if (response.kind === 'http-response') {
    const b = response.http.body;
    const line = response.contentLine + (b?.line ?? 1) - 1;
    return {
      status: response.http.status,
      headers: response.http.headers,
      mediaType: mediaType(headerValue(response.http.headers, 'content-type')) ?? null,
      body: b
        ? {
            type: b.type,
            text: b.text,
            line,
            ...(b.type === 'xml' ? { xml: b.xml } : {}),
            ...(b.type === 'json' ? { json: b.json.value } : {}),
          }
        : null,
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
  /** Values the live body must repeat exactly (echoes of what was sent, created ids). */
  pins?: Pins;
  /** JSON: members the docs do not show fail (off: they pass, as a tolerant client reads them). */
  strict?: boolean;
  /** Applied to live text before a message quotes it: credentials go before a value is cut short. */
  present?: (text: string) => string;
  /** Differences described per case; the rest are counted. */
  limit?: number;
  /** `--path-map`: a documented URL's path prefix stands for the implementation's (`/beta` → `/`). */
  pathMap?: Record<string, string>;
}

export interface MatchResult {
  mismatches: Mismatch[];
  /** Differences past the limit. */
  more: number;
  /** Documented volatile tokens → the live tokens that stood for them (a created resource's ids). */
  bound: Map<string, string>;
}

const DEFAULT_LIMIT = 20;
const asIs = (text: string) => text;

/** Compare a live response with the documented one: every difference (up to the limit); none means it conforms. */
export function matchResponse(expected: Expectation, actual: ActualResponse, options: MatchOptions = {}): MatchResult {
  const out: Mismatch[] = [];
  const result: MatchResult = { mismatches: out, more: 0, bound: new Map() };
  const present = options.present ?? asIs;
  if (actual.status !== expected.status)
    out.push({ check: 'status', path: 'status', expected: String(expected.status), actual: String(actual.status) });
  for (const h of expected.headers) {
    const name = h.name.toLowerCase();
    if (TRANSPORT_HEADERS.has(name) || name === 'content-type') continue;
    if (actual.headers[name] === undefined)
      out.push({
        check: 'header',
        path: `header ${h.name}`,
        what: 'missing',
        expected: `present (documented: ${shorten(h.value, 40)})`,
        actual: '(absent)',
      });
  }
  const actualType = mediaType(actual.headers['content-type']) ?? null;
  if (expected.mediaType && expected.body && actualType !== expected.mediaType) {
    out.push({
      check: 'content-type',
      path: 'header Content-Type',
      expected: expected.mediaType,
      actual: actualType ?? '(absent)',
    });
  }
  if (!expected.body) {
    // HTTP clients drop the body of a 204; its announced length still shows it was sent.
    const announced = Number(actual.headers['content-length'] ?? 0);
    if (actual.body.length > 0)
      out.push({
        check: 'empty-body',
        path: 'body',
        expected: '(empty)',
        actual: `${actual.body.length} bytes: ${shorten(present(actual.body), 40)}`,
      });
    else if (announced > 0)
      out.push({
        check: 'empty-body',
        path: 'body',
        expected: '(empty)',
        actual: `a ${announced}-byte body (Content-Length: ${announced})`,
      });
    return result;
  }
  const body = expected.body;
  if (body.type === 'json' || isJsonMediaType(expected.mediaType ?? undefined)) {
    const doc = body.json !== undefined ? body.json : parseJsonSample(body.text).value;
    if (doc)
      compareJsonBody(
        doc,
        actual.body,
        { text: body.text, line: body.line, truncated: expected.truncated, prefix: 'body' },
        options,
        result,
      );
    return result;
  }
  if (body.type === 'xml' || isXmlMediaType(expected.mediaType ?? undefined)) {
    compareXmlBody(
      body.xml ?? parseXmlSample(body.text),
      actual.body,
      { line: body.line, truncated: expected.truncated },
      options,
      result,
    );
    return result;
  }
  const norm = (t: string) => t.replace(/\s+/g, ' ').trim();
  if (norm(body.text) !== norm(actual.body) && !/\.\.\.|…/.test(body.text))
    out.push({ check: 'body', path: 'body', expected: shorten(body.text), actual: shorten(present(actual.body)) });
  return result;
}

/** The value checks shared by bodies and notifications: volatile shapes, origins and pins; bindings recorded. */
function valueRules(options: MatchOptions, bound: Map<string, string>) {
  const origins = options.origins ?? [];
  const pins = options.pins ?? NO_PINS;
  /** Documented values a pin decided, and the pin: a message says what was required and why. */
  const pinned = new Map<string, Pin>();
  const accept = (e: string, a: string) => {
    const matcher = valueMatcher(e, origins, pins, options.pathMap);
    if (matcher.test(a)) {
      for (const [documented, live] of matcher.bind(a)) if (!bound.has(documented)) bound.set(documented, live);
      return true;
    }
    if (matcher.pinned) pinned.set(e, matcher.pinned);
    return false;
  };
  /** A documented value as a message shows it, with what a pin required in its place. */
  const explain = (rendered: string, documented: unknown) => {
    const pin = typeof documented === 'string' ? pinned.get(documented) : undefined;
    return pin ? `${rendered} (${pin.why}: must be ${JSON.stringify(pin.value)})` : rendered;
  };
  return { accept, explain };
}

interface JsonPlace {
  text: string;
  line: number;
  truncated: boolean;
  prefix: string;
}

/** Compare a documented JSON body with a live one, adding every difference to `result`. */
export function compareJsonBody(
  doc: JsonValue,
  liveText: string,
  place: JsonPlace,
  options: MatchOptions,
  result: MatchResult,
): void {
  const present = options.present ?? asIs;
  const check = 'body';
  const live = parseLiveJson(liveText);
  if (!live.ok) {
    result.mismatches.push({
      check,
      path: place.prefix,
      what: 'not JSON',
      expected: 'JSON',
      actual: `not JSON (${live.reason}): ${shorten(present(liveText), 40)}`,
    });
    return;
  }
  const { accept, explain } = valueRules(options, result.bound);
  const found = jsonDifferencesWithLive(
    doc,
    live.value,
    {
      subset: place.truncated,
      extraMembers: !options.strict,
      acceptValue: (e, a) =>
        (e === null && place.truncated) || (typeof e === 'string' && typeof a === 'string' && accept(e, a)),
    },
    options.limit ?? DEFAULT_LIMIT,
  );
  for (const d of found.differences) {
    result.mismatches.push({
      check,
      path: `${place.prefix} ${d.path}`,
      what: d.what,
      expected: d.what === 'value' ? explain(d.expected, d.expectedValue) : d.expected,
      actual: present(d.actual),
      docLine: place.line + positionAt(place.text, d.expectedOffset ?? 0).line - 1,
    });
  }
  result.more += found.more;
}

/** SOAP lets a response carry a Header the docs do not show (Exchange always sends ServerVersionInfo). */
const isSoapHeader = (e: XmlElement) =>
  e.local === 'Header' && e.ns !== null && (Object.values(SOAP_NAMESPACES) as string[]).includes(e.ns);

function compareXmlBody(
  doc: XmlDocument,
  liveText: string,
  place: { line: number; truncated: boolean },
  options: MatchOptions,
  result: MatchResult,
): void {
  const present = options.present ?? asIs;
  const live = parseXmlSample(liveText.replace(/^\uFEFF/, ''));
  if (live.doctype) {
    result.mismatches.push({
      check: 'body',
      path: 'body',
      expected: 'XML without a DOCTYPE',
      actual: 'a DOCTYPE (entities are never expanded, external ones never fetched)',
    });
    return;
  }
  const broken = live.issues.find((i) => i.severity === 'error');
  if (broken || live.roots.length === 0) {
    const actual = broken
      ? `invalid XML at ${broken.line}:${broken.column}: ${broken.message}`
      : `no XML element: ${shorten(present(liveText), 40)}`;
    result.mismatches.push({ check: 'body', path: 'body', expected: 'well-formed XML', actual });
    return;
  }
  const { accept, explain } = valueRules(options, result.bound);
  const found = xmlDifferences(
    doc,
    live,
    { acceptText: accept, allowExtra: place.truncated, optional: isSoapHeader },
    options.limit ?? DEFAULT_LIMIT,
  );
  for (const d of found.differences) {
    const quoted = d.what === 'text' || d.what === 'attribute value';
    result.mismatches.push({
      check: 'body',
      path: `body ${d.path}`,
      what: d.what,
      expected: quoted ? explain(JSON.stringify(shorten(d.expected, 160)), d.expected) : shorten(d.expected, 160),
      actual: quoted ? JSON.stringify(shorten(present(d.actual), 160)) : shorten(present(d.actual), 160),
      ...(d.expectedLine ? { docLine: place.line + d.expectedLine - 1 } : {}),
    });
  }
  result.more += found.more;
}

/** A path as a reader names it: `$.value[0].state` → `value[0].state`. */
const memberPath = (path: string) => {
  const at = path.indexOf('$');
  const json = (at === -1 ? path : path.slice(at + 1))
    // ["@odata.type"] reads as @odata.type (the report's path keeps the brackets)
    .replace(/\["([^"\\[\]\s]+)"\]/g, '.$1')
    .replace(/^\./, '');
  return json === '' ? '(the whole body)' : json;
};

const NOUN: Record<string, string> = {
  'missing member': 'member',
  'extra member': 'member',
  value: 'member',
  type: 'member',
  'missing item': 'item',
  'extra item': 'item',
  'missing element': 'element',
  'extra element': 'element',
  element: 'element',
  namespace: 'element',
  text: 'text of',
  'missing attribute': 'attribute',
  'extra attribute': 'attribute',
  'attribute value': 'attribute',
};

/**
 * A failed check in plain words that read forwards: `member state: documented "establishing", got "established"`,
 * `member mediaConfig: documented, missing from the response`.
 */
export function describeMismatch(m: Mismatch, source = 'the response'): string {
  switch (m.check) {
    case 'status':
      return `status: documented ${m.expected}, got ${m.actual}`;
    case 'header':
      return `${m.path}: documented, missing from ${source}`;
    case 'content-type':
      return `Content-Type: documented ${m.expected}, got ${m.actual}`;
    case 'empty-body':
      return `body: documented empty, got ${m.actual}`;
    default:
      break;
  }
  const what = m.what;
  const noun = what ? NOUN[what] : undefined;
  if (!what || !noun) return `${m.path}: documented ${m.expected}, got ${m.actual}`;
  const json = m.path.includes('$');
  const where = `${noun} ${json ? memberPath(m.path) : m.path.replace(/^\S+ /, '')}`;
  if (what.startsWith('missing')) return `${where}: documented, missing from ${source}`;
  if (what.startsWith('extra'))
    return `${where}: not documented, in ${source}${what === 'extra member' ? ' (--strict)' : ''}: ${m.actual}`;
  return `${where}: documented ${m.expected}, got ${m.actual}`;
}

/** Every mismatch of a result, with how many more were found, for a case's message. */
export function describeAll(mismatches: readonly Mismatch[], more: number, source?: string): string {
  const listed = mismatches.map((m) => describeMismatch(m, source)).join('; ');
  return more > 0 ? `${listed}; and ${more} more difference${more === 1 ? '' : 's'}` : listed;
}

export type { Difference };
export { SOAP_NAMESPACES };
