import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { casesOf, type ConformanceCase } from '../conformance/cases.js';
import { TRANSPORT_HEADERS } from '../conformance/match.js';
import { sentAsDocumented } from '../conformance/request.js';
import type { PageGroup } from '../group/group.js';
import { headerValue } from '../formats/http.js';
import { parseJsonSample, toPlain, type JsonValue } from '../formats/json.js';
import type { Sample } from '../sample/sample.js';
import { parseXmlSample } from '../formats/xml.js';
import { oncePer } from '../util/memo.js';

/**
 * An HTTP server that answers like the docs say: each documented request gets its documented
 * response. HTTP requests match by method and path template (literal ids and `{placeholders}`
 * both match any segment); among the requests documented for one template, the one most like the
 * request received (path with its ids, query, telling headers, body) answers, with its documented
 * status, headers and body. SOAP envelopes match
 * by their operation. A request that registers a
 * `callbackUri` gets the documented notifications POSTed there, as Microsoft Graph does.
 */
export interface DocsServerOptions {
  /** One line per request. */
  log?: (line: string) => void;
  /** Largest request body read (bytes). */
  maxBodyBytes?: number;
}

interface Route {
  case: ConformanceCase;
  method: string;
  segments: (string | null)[];
  /** The documented path, lower-cased, ids included. */
  path: string;
  /** Documented query parameters and request headers (names lower-cased), matched against the request received. */
  query: [string, string][];
  headers: [string, string][];
  body: JsonValue | null;
}

/** Documented response headers this server sets its own way: the body is sent unencoded, Location points here. */
const OWN_RESPONSE_HEADERS = new Set(['content-type', 'content-encoding', 'location']);

const ID_SEGMENT =
  /^(\{[^}]+\}|[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}|[A-Za-z0-9+/=_-]{20,})$/;

/** A documented target's path and query (an unparsable one: all of it before `?`, no query). */
function targetParts(target: string): { path: string; query: [string, string][] } {
  try {
    const url = new URL(target, 'http://docs.invalid');
    return { path: url.pathname, query: [...url.searchParams] };
  } catch {
    return { path: target.split('?')[0]!, query: [] };
  }
}

function pathOf(target: string): string {
  return targetParts(target).path;
}

/** A path segment decoded; a malformed escape (`%`, `%zz`) is kept as it was sent, never thrown. */
function decodeSegment(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

/** A path's template: literal ids and placeholders match any one segment. */
function templateOf(path: string): (string | null)[] {
  return path
    .split('/')
    .filter(Boolean)
    .map((s) => (ID_SEGMENT.test(decodeSegment(s)) ? null : s.toLowerCase()));
}

function leafScore(doc: JsonValue | null, live: unknown): number {
  if (!doc) return 0;
  if (doc.type === 'object') {
    if (!live || typeof live !== 'object' || Array.isArray(live)) return 0;
    return doc.members.reduce(
      (n, m) => n + (m.key in (live as object) ? 1 + leafScore(m.value, (live as Record<string, unknown>)[m.key]) : 0),
      0,
    );
  }
  if (doc.type === 'array')
    return Array.isArray(live) ? doc.items.reduce((n, item, i) => n + leafScore(item, live[i]), 0) : 0;
  if (doc.type === 'ellipsis') return 0;
  return doc.value === live ? 1 : 0;
}

export function isLoopback(url: string): boolean {
  try {
    const host = new URL(url).hostname.replace(/^\[|\]$/g, '');
    return host === 'localhost' || host === '::1' || /^127\.\d+\.\d+\.\d+$/.test(host);
  } catch {
    return false;
  }
}

/**
 * The candidate nearest to what was asked, for a hint: each distance once, over bounded lengths (a 15 KB path costs no
 * more than a short one).
 */
function nearest(candidates: readonly string[], asked: string): string | undefined {
  const LIMIT = 200;
  const bounded = asked.slice(0, LIMIT);
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const c of candidates) {
    const d = levenshtein(c.slice(0, LIMIT), bounded);
    if (d < bestDistance) {
      best = c;
      bestDistance = d;
    }
  }
  return best;
}

function levenshtein(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let prev = row[0]!;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const tmp = row[j]!;
      row[j] = Math.min(row[j]! + 1, row[j - 1]! + 1, prev + (a[i - 1] === b[j - 1] ? 0 : 1));
      prev = tmp;
    }
  }
  return row[b.length]!;
}

/** What the server sends for a documented response: built once per response, served many times. */
const documentedBody = oncePer(servedBodyOf);

function servedBodyOf(response: Sample): { type: string | null; text: string } {
  if (response.kind === 'xml') return { type: 'text/xml; charset=utf-8', text: response.text };
  if (response.kind !== 'http-response' || !response.http.body) return { type: null, text: '' };
  const body = response.http.body;
  // Documented bodies may carry trailing commas or ellipses: serve the well-formed value they describe.
  if (body.type === 'json')
    return {
      type: headerValue(response.http.headers, 'content-type') ?? 'application/json',
      text: JSON.stringify(toPlain(body.json.value), null, 2),
    };
  return { type: headerValue(response.http.headers, 'content-type') ?? null, text: body.text };
}

export function createDocsServer(
  groups: readonly PageGroup[],
  options: DocsServerOptions = {},
): Server & { routes: number } {
  const log = options.log ?? (() => {});
  const maxBody = options.maxBodyBytes ?? 1024 * 1024;
  const cases = groups.flatMap((g) => casesOf(g)).filter((c) => c.kind === 'exchange');
  const routes: Route[] = cases
    .filter((c) => c.request.kind === 'http-request')
    .map((c) => {
      const http = c.request.kind === 'http-request' ? c.request.http! : null;
      const { path, query } = targetParts(http!.target);
      return {
        case: c,
        method: http!.method,
        segments: templateOf(path),
        path: path.toLowerCase(),
        query,
        // The headers lockstep's client sends as written (no credentials, no transport headers).
        headers: http!.headers
          .filter((h) => sentAsDocumented(h.name))
          .map((h): [string, string] => [h.name.toLowerCase(), h.value]),
        body: http!.body?.type === 'json' ? http!.body.json.value : null,
      };
    });
  const soap = cases.filter((c) => c.request.kind === 'xml');
  /** callbackUri registered per resource id (from the `id` of the response that created it). */
  const callbacks = new Map<string, string>();

  const notify = (c: ConformanceCase, callbackUri: string | undefined) => {
    if (!callbackUri || c.notifications.length === 0) return;
    // Only loopback callbacks: the documented ones (bot.contoso.com) are examples, and this server sends nothing off
    // the machine.
    if (!isLoopback(callbackUri)) {
      log(`notifications for ${c.sampleId} not sent: ${callbackUri} is not a loopback address`);
      return;
    }
    // Sequentially, in documented order, after the response has been sent.
    void (async () => {
      for (const n of c.notifications) {
        const body =
          n.kind === 'http-request' && n.http?.body?.type === 'json'
            ? JSON.stringify(toPlain(n.http.body.json.value))
            : '';
        try {
          await fetch(callbackUri, {
            method: 'POST',
            headers: { 'content-type': 'application/json' },
            body,
            signal: AbortSignal.timeout(5000),
          });
        } catch (error) {
          log(`notification to ${callbackUri} failed: ${(error as Error).message}`);
        }
      }
    })();
  };

  const reply = (
    res: ServerResponse,
    status: number,
    type: string | null,
    body: string,
    extra: Record<string, string> = {},
  ) => {
    res.writeHead(status, { ...(type ? { 'content-type': type } : {}), ...extra });
    res.end(body);
  };

  const soapFault = (res: ServerResponse, reason: string) =>
    reply(
      res,
      500,
      'text/xml; charset=utf-8',
      '<?xml version="1.0" encoding="utf-8"?>\n' +
        '<soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/"><soap:Body><soap:Fault>' +
        '<faultcode>soap:Client</faultcode>' +
        `<faultstring>${reason.replace(/[<&>]/g, (c) => ({ '<': '&lt;', '&': '&amp;', '>': '&gt;' })[c]!)}` +
        '</faultstring></soap:Fault></soap:Body></soap:Envelope>',
    );

  const handle = (req: IncomingMessage, res: ServerResponse, body: string) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const method = (req.method ?? 'GET').toUpperCase();
    const type = (req.headers['content-type'] ?? '').toLowerCase();
    const isSoap =
      method === 'POST' && (type.includes('xml') || 'soapaction' in req.headers) && /<(\w+:)?Envelope\b/.test(body);
    if (isSoap) {
      const doc = parseXmlSample(body);
      // SOAP forbids a DTD in a message (SOAP 1.1 §3, 1.2 part 1 §5); its entities were never expanded either way.
      if (doc.doctype) return soapFault(res, 'a SOAP message must not contain a Document Type Declaration');
      if (doc.issues.some((i) => i.severity === 'error') || !doc.soap?.operation)
        return soapFault(
          res,
          doc.soap
            ? 'the SOAP Body holds no operation'
            : `malformed SOAP envelope: ${doc.issues[0]?.message ?? 'no Envelope'}`,
        );
      const op = doc.soap.operation;
      const match = soap.find(
        (c) =>
          c.request.kind === 'xml' &&
          c.request.xml.soap?.operation?.local === op.local &&
          c.request.xml.soap.operation.ns === op.ns,
      );
      if (!match) {
        const near = nearest(
          soap.map((c) => (c.request.kind === 'xml' ? (c.request.xml.soap?.operation?.local ?? '') : '')),
          op.local,
        );
        return soapFault(
          res,
          `no documented operation ${op.local} in ${op.ns ?? '(no namespace)'}` +
            `${near ? `; nearest documented operation: ${near}` : ''}`,
        );
      }
      const { text } = documentedBody(match.expected);
      const version = match.expected.kind === 'xml' && match.expected.xml.soap?.version === '1.2';
      return reply(
        res,
        match.expected.kind === 'xml' && match.expected.xml.soap?.isFault ? 500 : 200,
        version ? 'application/soap+xml; charset=utf-8' : 'text/xml; charset=utf-8',
        text,
      );
    }
    const segments = url.pathname.split('/').filter(Boolean);
    const candidates = routes.filter(
      (r) =>
        r.method === method &&
        r.segments.length <= segments.length &&
        r.segments.every(
          (s, i) => s === null || s === segments[segments.length - r.segments.length + i]!.toLowerCase(),
        ),
    );
    if (candidates.length === 0) {
      const near = nearest(
        routes.map((r) => `${r.method} /${r.segments.map((s) => s ?? '{id}').join('/')}`),
        `${method} ${url.pathname}`,
      );
      return reply(
        res,
        404,
        'application/json',
        JSON.stringify({
          error: {
            code: 'NotDocumented',
            message: `no documented request matches ${method} ${url.pathname}${near ? `; nearest: ${near}` : ''}`,
          },
        }),
      );
    }
    let live: unknown = null;
    if (body.length > 0 && (type.includes('json') || /^\s*[{[]/.test(body))) {
      const parsed = parseJsonSample(body);
      if (parsed.errors.length > 0 || !parsed.value)
        return reply(
          res,
          400,
          'application/json',
          JSON.stringify({
            error: {
              code: 'BadRequest',
              message: `request body is not valid JSON: ${parsed.errors[0]?.message ?? 'empty'}`,
            },
          }),
        );
      live = toPlain(parsed.value);
    }
    // Longest template first, then the documented request most like the one received: the same
    // path (ids included), query parameters, telling headers (`Prefer`, `ConsistencyLevel`…) and body.
    const path = url.pathname.toLowerCase();
    const likeness = (r: Route) =>
      (r.path === path ? 1 : 0) +
      r.query.reduce((n, [k, v]) => n + (url.searchParams.getAll(k).includes(v) ? 1 : 0), 0) -
      [...url.searchParams.keys()].filter((k) => !r.query.some(([q]) => q === k)).length +
      r.headers.reduce((n, [k, v]) => n + (req.headers[k] === v ? 1 : 0), 0) +
      leafScore(r.body, live);
    const scores = new Map(candidates.length > 1 ? candidates.map((r) => [r, likeness(r)]) : []);
    const best = candidates.sort(
      (a, b) => b.segments.length - a.segments.length || scores.get(b)! - scores.get(a)!,
    )[0]!;
    const response = best.case.expected;
    const status = response.kind === 'http-response' ? response.http.status : 200;
    const { type: contentType, text } = documentedBody(response);
    // The documented headers (`Preference-Applied`, `OData-Version`…) that the matcher checks.
    const extra: Record<string, string> = {};
    if (response.kind === 'http-response') {
      for (const h of response.http.headers) {
        const name = h.name.toLowerCase();
        if (!TRANSPORT_HEADERS.has(name) && !OWN_RESPONSE_HEADERS.has(name) && /^[\t\x20-\x7e]*$/.test(h.value))
          extra[name] = h.value;
      }
    }
    const location = response.kind === 'http-response' ? headerValue(response.http.headers, 'location') : undefined;
    if (location) extra['location'] = `http://${req.headers.host ?? 'localhost'}${pathOf(location)}`;
    reply(res, status, status === 204 ? null : contentType, status === 204 ? '' : text, extra);
    // Register a callback for the resource this request created, and notify as documented.
    const callbackUri =
      live && typeof live === 'object' && typeof (live as Record<string, unknown>)['callbackUri'] === 'string'
        ? (live as Record<string, string>)['callbackUri']
        : undefined;
    let createdId: string | undefined;
    try {
      createdId = (JSON.parse(text) as { id?: string }).id;
    } catch {
      createdId = undefined;
    }
    if (callbackUri && createdId) callbacks.set(createdId, callbackUri);
    const known = segments.map((s) => callbacks.get(decodeSegment(s))).find(Boolean);
    notify(best.case, callbackUri ?? known);
  };

  const server = createServer((req, res) => {
    const started = performance.now();
    const chunks: Buffer[] = [];
    let size = 0;
    let refused = false;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > maxBody && !refused) {
        refused = true;
        reply(res, 413, 'text/plain', `request body over ${maxBody} bytes`);
        req.destroy();
      } else if (!refused) chunks.push(c);
    });
    req.on('end', () => {
      if (refused) return;
      try {
        handle(req, res, Buffer.concat(chunks).toString('utf8'));
      } catch (error) {
        // An answer already sent cannot be replaced by an error: the server lives on either way.
        if (!res.headersSent) reply(res, 500, 'text/plain', `lockstep serve: ${(error as Error).message}`);
      }
      log(`${req.method} ${req.url} ${res.statusCode} ${Math.round(performance.now() - started)}ms`);
    });
  }) as Server & { routes: number };
  server.routes = routes.length + soap.length;
  return server;
}
