/**
 * Documented examples that contradict themselves, so that no correct service can reproduce them:
 * a response that shows another value than its request sent at the same JSON path (or a list the
 * request never sent), and GUID-shaped literals that are not GUIDs. Pure: samples in, positioned
 * findings out; meant for lint and conformance alike, so it depends on neither.
 */
import type { JsonDocument, JsonValue } from '../formats/json.js';
import type { Sample } from '../sample/sample.js';
import type { XmlDocument, XmlElement } from '../formats/xml.js';
import { lineStarts, offsetToPosition } from '../util/text.js';
import { shorten } from './difference.js';

export interface Inconsistency {
  kind: 'contradicts-request' | 'malformed-guid';
  /** JSON path (`$.chatInfo.threadId`) or XML element path (`/Envelope/Body/Disconnect/CallId`). */
  path: string;
  message: string;
  /** Absolute line on the page. */
  line: number;
  column?: number;
  /** The offending value as written (the response's, for a contradiction). */
  value: string;
}

/** Where a sample's parsed body starts on the page. */
interface Body {
  json?: JsonDocument;
  xml?: XmlDocument;
  text: string;
  /** Page line of the body text's first line, and the column offset of its content. */
  line: number;
  columnOffset: number;
}

function bodyOf(sample: Sample): Body | null {
  const columnOffset = sample.contentColumnOffset;
  switch (sample.kind) {
    case 'json':
      return { json: sample.json, text: sample.text, line: sample.contentLine, columnOffset };
    case 'xml':
      return { xml: sample.xml, text: sample.text, line: sample.contentLine, columnOffset };
    case 'http-request':
    case 'http-response': {
      const body = sample.http?.body;
      if (!body || body.type === 'text') return null;
      // A joined notification's body is its own fence (`bodyLine`); else it sits `body.line` lines into the sample.
      const line =
        sample.kind === 'http-request' && sample.bodyLine !== null
          ? sample.bodyLine
          : sample.contentLine + body.line - 1;
      const parsed = body.type === 'json' ? { json: body.json } : { xml: body.xml };
      return { ...parsed, text: body.text, line, columnOffset };
    }
    default:
      return null;
  }
}

/**
 * The JSON value of a body, when it can be trusted: a body whose only defects are trailing commas
 * reads exactly as intended, but after other syntax errors the parser's recovery may cut values short.
 */
function trustedJson(doc: JsonDocument | undefined): JsonValue | null {
  if (!doc?.value) return null;
  return doc.errors.every((e) => e.message.startsWith('trailing comma')) ? doc.value : null;
}

const IDENTIFIER = /^[A-Za-z_$][\w$]*$/;
const memberSegment = (key: string) => (IDENTIFIER.test(key) ? `.${key}` : `[${JSON.stringify(key)}]`);

class Locator {
  private starts: number[] | null = null;
  constructor(private readonly body: Body) {}
  at(offset: number): { line: number; column: number } {
    this.starts ??= lineStarts(this.body.text);
    const p = offsetToPosition(this.starts, offset);
    return { line: this.body.line + p.line - 1, column: p.column + this.body.columnOffset };
  }
}

// ---------------------------------------------------------------------------------------------
// GUIDs

const GUID_GROUPS = [8, 4, 4, 4, 12] as const;
const ORDINALS = ['1st', '2nd', '3rd', '4th', '5th'] as const;
/** Five hyphenated alphanumeric groups, optionally in braces: what a GUID looks like at a glance. */
const GUID_LIKE = /^\{?([0-9A-Za-z]+)-([0-9A-Za-z]+)-([0-9A-Za-z]+)-([0-9A-Za-z]+)-([0-9A-Za-z]+)\}?$/;
const HEX = /^[0-9A-Fa-f]*$/;

/**
 * Why a GUID-shaped string is not a GUID, or null when it is one or does not look like one.
 * Looking like one: five groups within two characters of 8-4-4-4-12, at most two non-hex
 * characters. Placeholders (a group of one repeated letter that is not hex: `xxxx`) are intended.
 */
export function guidDefect(text: string): string | null {
  // Five groups within two characters of 8-4-4-4-12 and their hyphens: 26 to 46 characters, 48 in braces.
  if (text.length < 26 || text.length > 48) return null;
  const m = GUID_LIKE.exec(text);
  if (!m || text.startsWith('{') !== text.endsWith('}')) return null;
  const groups = m.slice(1, 6);
  if (groups.some((g, i) => Math.abs(g.length - GUID_GROUPS[i]!) > 2)) return null;
  const nonHex = [...groups.join('')].filter((c) => !/[0-9A-Fa-f]/.test(c));
  if (nonHex.length > 2) return null;
  if (groups.some((g) => /^([G-Zg-z])\1*$/.test(g))) return null;
  const defects: string[] = [];
  groups.forEach((g, i) => {
    if (g.length !== GUID_GROUPS[i]) {
      const first = !defects.some((d) => d.startsWith('a group'));
      const what = first ? `a group of ${g.length} hex digits` : `one of ${g.length}`;
      defects.push(`${what} where ${GUID_GROUPS[i]} belong`);
    }
    const bad = [...g].find((c) => !HEX.test(c));
    if (bad) defects.push(`the non-hex character '${bad}' in its ${ORDINALS[i]} group`);
  });
  return defects.length === 0 ? null : defects.join(', and ');
}

type Role = 'request' | 'response' | 'notification' | 'example' | 'ignored';
const CONSEQUENCE: Record<Role, string> = {
  response: 'a service cannot return it',
  notification: 'a service cannot send it',
  request: 'a service that validates it must reject the request',
  example: 'a service cannot produce it',
  ignored: 'a service cannot produce it',
};

type Place = { line: number; column: number };

/** The finding of a GUID-shaped value that is not a GUID (`defect`: guidDefect's). */
function guidInconsistency(value: string, path: string, at: Place, defect: string, role: Role): Inconsistency {
  return {
    kind: 'malformed-guid',
    path,
    value,
    line: at.line,
    column: at.column,
    message: `${JSON.stringify(value)} at ${path} looks like a GUID but is not one (${defect}); ${CONSEQUENCE[role]}`,
  };
}

/**
 * Where a value stands in a JSON body, made into text (`$.a[0]["b c"]`) only for a finding: a body's values are
 * walked for GUIDs, and nearly none is one.
 */
type JsonPath = { up: JsonPath; segment: string | number } | null;
const jsonPathText = (path: JsonPath): string =>
  path === null
    ? '$'
    : jsonPathText(path.up) + (typeof path.segment === 'number' ? `[${path.segment}]` : memberSegment(path.segment));

function jsonGuids(node: JsonValue, path: JsonPath, locate: Locator, role: Role, out: Inconsistency[]): void {
  switch (node.type) {
    case 'object':
      for (const m of node.members) jsonGuids(m.value, { up: path, segment: m.key }, locate, role, out);
      return;
    case 'array':
      for (let i = 0; i < node.items.length; i++)
        jsonGuids(node.items[i]!, { up: path, segment: i }, locate, role, out);
      return;
    case 'string': {
      const value = node.value as string;
      const defect = guidDefect(value);
      // The opening quote is the value's place: +1 points at its first character.
      if (defect) out.push(guidInconsistency(value, jsonPathText(path), locate.at(node.offset + 1), defect, role));
      return;
    }
    default:
  }
}

interface XmlScan {
  text: string;
  starts: number[];
  locate: Locator;
  role: Role;
  out: Inconsistency[];
}

function xmlGuids(element: XmlElement, parent: string, scan: XmlScan): void {
  const { text, locate, role, out } = scan;
  const path = `${parent}/${element.local}`;
  const from = (scan.starts[element.line - 1] ?? 0) + element.column - 1;
  // Values are found after the element's start (a GUID needs no entity decoding to be found), only when one is a
  // GUID-shaped value that is not a GUID.
  const placeOf = (value: string) => {
    const at = text.indexOf(value, from);
    return locate.at(at === -1 ? from : at);
  };
  for (const a of element.attributes) {
    const defect = guidDefect(a.value);
    if (defect) out.push(guidInconsistency(a.value, `${path}/@${a.local}`, placeOf(a.value), defect, role));
  }
  for (const child of element.children) {
    if (child.type === 'element') {
      xmlGuids(child, path, scan);
      continue;
    }
    const value = child.value.trim();
    const defect = value === '' ? null : guidDefect(value);
    if (defect) out.push(guidInconsistency(value, path, placeOf(value), defect, role));
  }
}

/** GUID-shaped literals in a sample's body (JSON string values, XML text and attributes) that are not GUIDs. */
export function malformedGuids(sample: Sample): Inconsistency[] {
  const body = bodyOf(sample);
  if (!body) return [];
  const out: Inconsistency[] = [];
  const locate = new Locator(body);
  const json = trustedJson(body.json);
  if (json) jsonGuids(json, null, locate, sample.role, out);
  if (body.xml && !sample.malformed) {
    const scan: XmlScan = { text: body.text, starts: lineStarts(body.text), locate, role: sample.role, out };
    for (const root of body.xml.roots) xmlGuids(root, '', scan);
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Responses that contradict their requests

type Scalar = Extract<JsonValue, { raw: string }>;
const isScalar = (v: JsonValue): v is Scalar =>
  v.type === 'string' || v.type === 'number' || v.type === 'boolean' || v.type === 'null';

/**
 * Members whose value the service computes or overrides whatever the request says: OData control
 * information (`@odata.type` included: the service states the runtime type), audit stamps, etags,
 * Planner's order hints (the service turns a hint like `" !"` into its own), SharePoint's
 * server-processed web part content, expirations (services cap them: subscriptions, notifications).
 */
const SERVER_SET = new RegExp(
  [
    '^@',
    '^(created|lastModified|lastUpdated|modified)(DateTime|By)$',
    '^(eTag|etag|changeKey)$',
    'orderHint',
    '^previewPriority$',
    '^serverProcessed',
    '^expirationDateTime$',
  ].join('|'),
);

/**
 * Values that say nothing about what the service returns: absent, blank, masked, elided, a
 * variable to fill in (`{new-parent-folder-id}`, `<Media Session Configuration>`) or a list of
 * choices (`notRecording | recording | failed`).
 */
function uninformative(v: Scalar): boolean {
  if (v.type === 'null') return true;
  if (v.type !== 'string') return false;
  const s = (v.value as string).trim();
  return (
    s === '' ||
    /^\*+$/.test(s) ||
    s.includes('...') ||
    s.includes('\u2026') ||
    /^\{[^{}]+\}$|^<[^<>]+>$/.test(s) ||
    / \| /.test(s)
  );
}

const DATE_TIME = /^(\d{4}-\d{2}-\d{2})(?:T(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d+))?)?(Z|[+-]\d{2}:?\d{2})?)?$/;

/** Milliseconds of an ISO date or date-time, and whether it names an instant (it has a zone) or a local time. */
function timeOf(text: string): { ms: number; zoned: boolean; dateOnly: boolean } | null {
  const m = DATE_TIME.exec(text.replace(/\s+/g, ''));
  if (!m) return null;
  const [, date, h = '00', min = '00', sec = '00', frac = '', zone] = m;
  const local = Date.parse(`${date}T${h}:${min}:${sec}.${(frac + '000').slice(0, 3)}Z`);
  if (Number.isNaN(local)) return null;
  if (!zone || zone === 'Z') return { ms: local, zoned: zone === 'Z', dateOnly: m[2] === undefined };
  const sign = zone.startsWith('-') ? -1 : 1;
  const offset = Number(zone.slice(1, 3)) * 60 + Number(zone.slice(-2));
  return { ms: local - sign * offset * 60_000, zoned: true, dateOnly: false };
}

/** Strings a service may return for the one it was sent: in another case, spacing or precision, or decorated. */
function sameString(request: string, response: string): boolean {
  const norm = (s: string) =>
    s
      .trim()
      .toLowerCase()
      .replace(/\s*,\s*/g, ',');
  const a = norm(request);
  const b = norm(response);
  // A service prefixes ids (`B2C_1_`), roots queries (`/v1.0`), wraps text: the value sent is still there.
  if (a === b || (a.length >= 3 && b.includes(a)) || (b.length >= 3 && a.includes(b))) return true;
  const x = timeOf(request);
  const y = timeOf(response);
  if (!x || !y) return false;
  // A date member holds the date of a date-time; a time without a zone cannot be compared with one with it.
  if (x.dateOnly || y.dateOnly) return request.slice(0, 10) === response.slice(0, 10);
  return x.zoned !== y.zoned || x.ms === y.ms;
}

/** Same value for an echoing service. Values of two JSON types (`"true"`, `true`) may be converted: not compared. */
function sameValue(request: Scalar, response: Scalar): boolean {
  if (request.type !== response.type) return true;
  if (request.type === 'string') return sameString(request.value as string, response.value as string);
  return request.value === response.value;
}

function scalarMember(object: Extract<JsonValue, { type: 'object' }>, key: string): Scalar | undefined {
  const v = object.members.find((m) => m.key === key)?.value;
  return v && isScalar(v) ? v : undefined;
}

type JsonObject = Extract<JsonValue, { type: 'object' }>;
type JsonArray = Extract<JsonValue, { type: 'array' }>;

interface Visitor {
  /** The request's method: a POST creates (the service assigns the id), a PUT replaces. */
  method: string | null;
  /** Two scalars at one path. */
  scalar(request: Scalar, response: Scalar, path: string): void;
  /** A list the response shows in an object that the request sent with nothing but its type. */
  added(request: JsonObject, response: JsonArray, path: string): void;
}

/** Only annotations (`{ "@odata.type": "#microsoft.graph.serviceHostedMediaConfig" }`), and no elision. */
const typeOnly = (o: JsonObject) =>
  !o.ellipsis && o.members.length > 0 && o.members.every((m) => m.key.startsWith('@'));

/** Walks a request body and its response's side by side, calling the visitor where they may contradict. */
function walkContradictions(request: JsonValue, response: JsonValue, path: string, visit: Visitor): void {
  if (request.type === 'object' && response.type === 'object') {
    // A dateTimeTimeZone shown in another zone (`Prefer: outlook.timezone`, else UTC) is converted, not contradicted.
    const zones = [scalarMember(request, 'timeZone'), scalarMember(response, 'timeZone')];
    if (zones[0] && zones[1] && !sameValue(zones[0], zones[1])) return;
    // An itemBody's content is the service's rendering of what was sent (text to HTML, links rewritten).
    const hasType = (o: JsonObject) => o.members.some((m) => m.key === 'contentType');
    const rendered = hasType(request) || hasType(response);
    // A created or replaced resource holds what was sent and defaults; a default is not a list of items.
    const fills = path !== '$' && (visit.method === 'POST' || visit.method === 'PUT') && typeOnly(request);
    const requested = new Map<string, JsonValue>();
    for (const m of request.members) if (!requested.has(m.key)) requested.set(m.key, m.value);
    const seen = new Set<string>();
    for (const m of response.members) {
      if (seen.has(m.key) || SERVER_SET.test(m.key) || (rendered && m.key === 'content')) continue;
      // A POST creates: the service names the new resource whatever id the body proposes.
      if (visit.method === 'POST' && path === '$' && m.key === 'id') continue;
      seen.add(m.key);
      const r = requested.get(m.key);
      if (r) walkContradictions(r, m.value, path + memberSegment(m.key), visit);
      else if (fills && m.value.type === 'array' && m.value.items.length > 0) {
        visit.added(request, m.value, path + memberSegment(m.key));
      }
    }
    return;
  }
  if (request.type === 'array' && response.type === 'array') {
    // Items are compared by position only when both lists are as long: else the service added, dropped or sorted.
    if (request.items.length !== response.items.length) return;
    request.items.forEach((item, i) => walkContradictions(item, response.items[i]!, `${path}[${i}]`, visit));
    return;
  }
  if (isScalar(request) && isScalar(response)) visit.scalar(request, response, path);
}

/** Both values, quoted and shortened; long values that share a beginning are shown from a little before they part. */
function renderPair(a: Scalar, b: Scalar): [string, string] {
  const text = (v: Scalar) => (v.type === 'string' ? JSON.stringify(v.value) : v.raw);
  const [x, y] = [text(a), text(b)];
  let common = 0;
  while (common < x.length && x[common] === y[common]) common++;
  const from = common > 40 ? common - 20 : 0;
  const cut = (t: string) => (from > 0 ? `…${shorten(t.slice(from), 59)}` : shorten(t, 60));
  return [cut(x), cut(y)];
}

/** Keys anywhere in a JSON value. */
function keysOf(node: JsonValue, into = new Set<string>()): Set<string> {
  if (node.type === 'object')
    for (const m of node.members) {
      into.add(m.key);
      keysOf(m.value, into);
    }
  else if (node.type === 'array') for (const item of node.items) keysOf(item, into);
  return into;
}

/** Timestamps the response shows under members the request never names (`completedDateTime`): the service's clock. */
function serverTimes(node: JsonValue, requested: Set<string>, into = new Set<string>()): Set<string> {
  if (node.type === 'object') {
    for (const m of node.members) {
      const v = m.value;
      if (v.type !== 'string') serverTimes(v, requested, into);
      else if (!requested.has(m.key) && timeOf(v.value as string)?.zoned) into.add(v.value as string);
    }
  } else if (node.type === 'array') for (const item of node.items) serverTimes(item, requested, into);
  return into;
}

/** Actions that return an existing resource as it is when there is one (`onlineMeeting: createOrGet`). */
const UPSERT = /\/(createOrGet|getOrCreate|upsert)\b[^/]*$/i;

/** The two bodies `contradictions` compares, or null when it compares none (also the test of `readsBothBodies`). */
function comparedBodies(request: Sample, response: Sample) {
  // Only a success shows the resource as the request left it.
  if (response.kind === 'http-response' && (response.http.status < 200 || response.http.status > 299)) return null;
  const http = request.kind === 'http-request' ? request.http : null;
  if (http && UPSERT.test(http.target.split('?')[0]!)) return null;
  const requestBody = bodyOf(request);
  const responseBody = bodyOf(response);
  const req = trustedJson(requestBody?.json);
  const res = trustedJson(responseBody?.json);
  return req && res ? { http, requestBody: requestBody!, responseBody: responseBody!, req, res } : null;
}

/** Whether `contradictions` compares the two bodies (JSON it can trust: parsed, or repaired from trailing commas). */
export function readsBothBodies(request: Sample, response: Sample): boolean {
  return comparedBodies(request, response) !== null;
}

/**
 * Where a success response contradicts its request's body: a scalar at the same JSON path with another
 * value, or a list in an object the request creates with nothing but its type (`mediaConfig.preFetchMedia`).
 */
export function contradictions(request: Sample, response: Sample): Inconsistency[] {
  const compared = comparedBodies(request, response);
  if (!compared) return [];
  const { http, requestBody, responseBody, req, res } = compared;
  const reqAt = new Locator(requestBody);
  const resAt = new Locator(responseBody);
  let clock: Set<string> | undefined;
  const out: Inconsistency[] = [];
  const consequence = 'a service that echoes the request cannot match it';
  walkContradictions(req, res, '$', {
    method: http?.method ?? null,
    scalar(a, b, path) {
      if (sameValue(a, b) || uninformative(a) || uninformative(b)) return;
      // A start in the past is moved to the moment the service handled the request (PIM schedules).
      clock ??= serverTimes(res, keysOf(req));
      if (b.type === 'string' && clock.has(b.value as string)) return;
      const here = resAt.at(b.offset + (b.type === 'string' ? 1 : 0));
      const there = reqAt.at(a.offset + (a.type === 'string' ? 1 : 0));
      const [sent, shown] = renderPair(a, b);
      out.push({
        kind: 'contradicts-request',
        path,
        value: b.type === 'string' ? (b.value as string) : b.raw,
        line: here.line,
        column: here.column,
        message:
          `documented response contradicts its request at ${path}: ${shown} here, ${sent} in the request ` +
          `(line ${there.line}); ${consequence}`,
      });
    },
    added(object, list, path) {
      const here = resAt.at(list.offset);
      const there = reqAt.at(object.offset);
      const items = `${list.items.length} item${list.items.length === 1 ? '' : 's'}`;
      out.push({
        kind: 'contradicts-request',
        path,
        value: `[${items}]`,
        line: here.line,
        column: here.column,
        message:
          `documented response contradicts its request at ${path}: ${items} here, none in the request, ` +
          `which sends that object with only its type (line ${there.line}); ${consequence}`,
      });
    },
  });
  return out;
}

/**
 * Why a documented request/response pair cannot be reproduced by a correct service: the
 * response contradicts the request, or either holds a GUID that is not one. Ordered by line.
 */
export function exampleInconsistencies(request: Sample, response: Sample): Inconsistency[] {
  return [...contradictions(request, response), ...malformedGuids(request), ...malformedGuids(response)].sort(
    (a, b) => a.line - b.line || (a.column ?? 0) - (b.column ?? 0),
  );
}
