import { headerValue, type HttpHeader, type HttpRequestMessage } from '../formats/http.js';
import type { Sample } from '../sample/sample.js';
import { SOAP_NAMESPACES } from '../formats/xml.js';
import { toPlain } from '../formats/json.js';
import { oncePer } from '../util/memo.js';

/** A request ready to send. */
export interface OutgoingRequest {
  method: string;
  url: string;
  headers: [string, string][];
  body: string | null;
}

export interface RequestOptions {
  /** The implementation's base URL: scheme, host, port and an optional base path. */
  target: string;
  /** Path SOAP envelopes are POSTed to, per envelope namespace (`*` for any). */
  soapPaths?: Record<string, string>;
  /** Values for `{name}` placeholders and `{{name}}` templates. */
  vars?: Record<string, string>;
  /** Literal text in the docs to replace before sending (an id written in the docs → a captured one). */
  substitute?: Record<string, string>;
  /** Headers given by the user (`--header`): credentials come only from here. */
  headers?: [string, string][];
  /** Extra JSON members to set in the request body (a scenario's `patch`). */
  patch?: Record<string, unknown>;
  /** Documented path prefixes → the implementation's (`{ "/beta": "/" }`). */
  pathMap?: Record<string, string>;
}

/**
 * Whether `path` starts with the prefix `from` at a segment boundary (`/beta` starts `/beta/x` and `/beta?q`, not
 * `/betamax`).
 */
export const startsWithSegment = (path: string, from: string): boolean => {
  const prefix = from.replace(/\/+$/, '');
  return (
    prefix === '' ||
    (path.startsWith(prefix) && (path.length === prefix.length || '/?#'.includes(path[prefix.length]!)))
  );
};

/** A documented path rebased by the longest matching `--path-map` prefix. */
export function mapPath(path: string, pathMap: Record<string, string> | undefined): string {
  if (!pathMap) return path;
  let best: string | null = null;
  for (const from of Object.keys(pathMap))
    if (startsWithSegment(path, from) && (best === null || from.length > best.length)) best = from;
  if (best === null) return path;
  const rest = path.slice(best.replace(/\/+$/, '').length);
  const mapped = `${pathMap[best]!.replace(/\/+$/, '')}${rest}`;
  return mapped.startsWith('/') ? mapped : `/${mapped}`;
}

export const DEFAULT_SOAP_PATH = '/EWS/Exchange.asmx';

/** Credentials in docs are placeholders (`Bearer {token}`); they are never sent as written. */
const CREDENTIAL_HEADERS = new Set(['authorization', 'cookie', 'proxy-authorization', 'x-api-key']);
/** Set by the client for the actual connection. */
const TRANSPORT_HEADERS = new Set([
  'host',
  'content-length',
  'connection',
  'transfer-encoding',
  'accept-encoding',
  'expect',
]);

/** Whether a documented request header is sent as written (credentials and transport headers are not). */
export function sentAsDocumented(name: string): boolean {
  const lower = name.toLowerCase();
  return !CREDENTIAL_HEADERS.has(lower) && !TRANSPORT_HEADERS.has(lower);
}

/** A sample that cannot be sent as written (a placeholder with no value), as buildRequest throws it. */
export class TemplateError extends Error {}

/**
 * The same, inside this module: not an Error, so nothing captures a stack. planRequest turns it
 * into a value; a replay of a large doc set meets one per case that needs a `--var`, and making
 * an Error for each took 3–5% of the replay.
 */
class Unfillable {
  constructor(readonly message: string) {}
}

/** A `{{name}}` template, filled from variables and captures. */
export const TEMPLATE = /\{\{\s*([\w.-]+)\s*\}\}/g;

/** Fill `{{name}}` templates; an unknown name is an error naming it. */
function fill(text: string, vars: Record<string, string>, where: string): string {
  if (!text.includes('{{')) return text; // most headers and bodies have none: no regex pass
  return text.replace(TEMPLATE, (_m, name: string) => {
    if (!Object.hasOwn(vars, name))
      throw new Unfillable(`${where}: no value for {{${name}}} (give it with --var ${name}=… or a scenario capture)`);
    return vars[name]!;
  });
}

/** A `{name}` path placeholder, filled from `--var`. */
export const PLACEHOLDER = /\{([\w.-]+)\}/g;

/** The `{name}` path placeholders of a request target, in order. */
function placeholdersIn(target: string): string[] {
  return target.includes('{') ? [...target.matchAll(PLACEHOLDER)].map((m) => m[1]!) : [];
}

/** Fill `{name}` path placeholders (every one has a value by now), encoded as path segments. */
function fillPlaceholders(target: string, vars: Record<string, string>): string {
  return target.replace(PLACEHOLDER, (_whole, name: string) => encodeURIComponent(vars[name]!));
}

/** The path and query a documented URL asks for (an absolute URL's origin is the docs' server, not the target's). */
function pathAndQueryOf(documented: string): string | Unfillable {
  if (!/^https?:\/\//i.test(documented)) return documented.startsWith('/') ? documented : `/${documented}`;
  try {
    const u = new URL(documented);
    return `${u.pathname}${u.search}`;
  } catch {
    return new Unfillable(`request target ${documented} is not a valid URL`);
  }
}

/**
 * The target's origin and base path, which a request's documented path and query are put after (a run uses one target,
 * so the last is kept).
 */
let lastBase: { target: string; base: string } | null = null;
function baseOf(target: string): string {
  if (lastBase?.target !== target) {
    const url = new URL(target);
    lastBase = { target, base: `${url.origin}${url.pathname.replace(/\/+$/, '')}` };
  }
  return lastBase.base;
}

/** A documented HTTP request as lockstep sends it, before values are filled in. */
interface RequestTemplate {
  target: string;
  /** The target's `{name}` placeholders, in order. */
  placeholders: readonly string[];
  /** Path and query, when the target has no placeholder to fill first; or why the target is no URL. */
  path: string | Unfillable | null;
  /** The headers sent as written (not credentials, not transport headers). */
  headers: readonly (readonly [string, string])[];
  headersTemplated: boolean;
  body: string | null;
  bodyTemplated: boolean;
}

function templateFrom(
  target: string,
  documentedHeaders: readonly { name: string; value: string }[],
  body: string | null,
): RequestTemplate {
  const placeholders = placeholdersIn(target);
  const headers = documentedHeaders
    .filter((h) => sentAsDocumented(h.name))
    .map((h): [string, string] => [h.name, h.value]);
  return {
    target,
    placeholders,
    path: placeholders.length === 0 ? pathAndQueryOf(target) : null,
    headers,
    headersTemplated: headers.some(([, v]) => v.includes('{{')),
    body,
    bodyTemplated: body?.includes('{{') ?? false,
  };
}

/**
 * The body sent: a documented JSON body with a recoverable defect (a trailing comma) is sent as the well-formed value
 * it describes.
 */
const documentedBody = (http: HttpRequestMessage): string | null =>
  http.body?.type === 'json' && http.body.json.errors.length > 0 && http.body.json.value
    ? JSON.stringify(toPlain(http.body.json.value), null, 2)
    : (http.body?.text ?? null);

/** A documented request's template: a sample never changes, so it is worked out once, as its expected response is. */
const templateOf = oncePer((http: HttpRequestMessage) => templateFrom(http.target, http.headers, documentedBody(http)));

const NO_SUBSTITUTES: Record<string, string> = Object.freeze({});

/** A scenario's substitutions change the text, so its template is made for the occasion. */
function substitutedTemplate(
  http: HttpRequestMessage,
  sub: Record<string, string>,
  vars: Record<string, string>,
): RequestTemplate {
  const body = documentedBody(http);
  return templateFrom(
    substitute(http.target, sub, vars),
    (http.headers as HttpHeader[]).map((h) => ({ name: h.name, value: substitute(h.value, sub, vars) })),
    body === null ? null : substitute(body, sub, vars),
  );
}

/** A scenario's substitutions as sent (literal → filled text), leaving out those with a template no value fills yet. */
export function filledSubstitutions(map: Record<string, string>, vars: Record<string, string>): [string, string][] {
  return Object.entries(map).flatMap(([from, to]) => {
    try {
      return [[from, fill(to, vars, `substitute ${from}`)] as [string, string]];
    } catch (error) {
      if (error instanceof Unfillable) return [];
      throw error;
    }
  });
}

function substitute(text: string, map: Record<string, string>, vars: Record<string, string>): string {
  if (map === NO_SUBSTITUTES) return text; // most requests: no scenario, nothing to replace
  let out = text;
  for (const [from, to] of Object.entries(map)) out = out.split(from).join(fill(to, vars, `substitute ${from}`));
  return out;
}

/**
 * The request a sample describes, or why it cannot be sent: a value, not an exception, for the many cases a replay
 * cannot send.
 */
export type RequestPlan = { request: OutgoingRequest; problem?: undefined } | { request?: undefined; problem: string };

export function planRequest(sample: Sample, options: RequestOptions): RequestPlan {
  try {
    const built = build(sample, options);
    return built instanceof Unfillable ? { problem: built.message } : { request: built };
  } catch (error) {
    if (error instanceof Unfillable) return { problem: error.message };
    throw error;
  }
}

/**
 * Build the request a documented sample describes, for the given target; TemplateError when it cannot be sent as
 * written.
 */
export function buildRequest(sample: Sample, options: RequestOptions): OutgoingRequest {
  const plan = planRequest(sample, options);
  if (plan.problem !== undefined) throw new TemplateError(plan.problem);
  return plan.request;
}

/**
 * The request, or why it cannot be sent: returned for a missing path placeholder (the common case), thrown from deeper
 * fills.
 */
function build(sample: Sample, options: RequestOptions): OutgoingRequest | Unfillable {
  const vars = options.vars ?? {};
  const sub = options.substitute ?? NO_SUBSTITUTES;
  const userHeaders = options.headers ?? [];
  if (sample.kind === 'http-request' && sample.http) {
    const http = sample.http;
    const t = sub === NO_SUBSTITUTES ? templateOf(http) : substitutedTemplate(http, sub, vars);
    // Checked before anything is built, and returned, not thrown: in a Graph doc set most
    // requests have an `{id}` nobody gave, and throwing for each cost more than sending.
    for (const name of t.placeholders) {
      if (!Object.hasOwn(vars, name))
        return new Unfillable(
          `request target ${t.target}: no value for placeholder {${name}} (give it with --var ${name}=…)`,
        );
    }
    const documentedPath = t.path ?? pathAndQueryOf(fillPlaceholders(t.target, vars));
    if (documentedPath instanceof Unfillable) return documentedPath;
    const path = mapPath(documentedPath, options.pathMap);
    // Fresh pairs: the template's own are shared by every request built from it.
    const headers = t.headers.map(([n, v]): [string, string] => [
      n,
      t.headersTemplated ? fill(v, vars, `header ${n}`) : v,
    ]);
    let body = t.body !== null && t.bodyTemplated ? fill(t.body, vars, 'request body') : t.body;
    if (options.patch && body !== null) body = patchJson(body, options.patch, vars);
    return {
      method: http.method,
      url: `${baseOf(options.target)}${path}`,
      headers: mergeHeaders(headers, userHeaders),
      body,
    };
  }
  if (sample.kind === 'xml' && sample.xml.soap) {
    const soap = sample.xml.soap;
    const ns = soap.operation?.ns ?? '';
    // `--soap-path` (the `*` entry) wins; else the namespace's path from config; else EWS's.
    const path = options.soapPaths?.['*'] ?? options.soapPaths?.[ns] ?? DEFAULT_SOAP_PATH;
    const action = `${ns.replace(/\/+$/, '')}/${soap.operation?.local ?? ''}`;
    const headers: [string, string][] =
      soap.version === '1.2'
        ? [['Content-Type', `application/soap+xml; charset=utf-8; action="${action}"`]]
        : [
            ['Content-Type', 'text/xml; charset=utf-8'],
            ['SOAPAction', `"${action}"`],
          ];
    const pathAndQuery = pathAndQueryOf(path);
    if (pathAndQuery instanceof Unfillable) return pathAndQuery;
    return {
      method: 'POST',
      url: `${baseOf(options.target)}${pathAndQuery}`,
      headers: mergeHeaders(headers, userHeaders),
      body: fill(substitute(sample.text, sub, vars), vars, 'SOAP envelope'),
    };
  }
  return new Unfillable(`sample ${sample.id} is not a request lockstep can send (${sample.kind})`);
}

/** User headers replace documented ones of the same name. */
function mergeHeaders(documented: [string, string][], user: [string, string][]): [string, string][] {
  if (user.length === 0) return documented;
  const overridden = new Set(user.map(([n]) => n.toLowerCase()));
  return [...documented.filter(([n]) => !overridden.has(n.toLowerCase())), ...user];
}

function patchJson(body: string, patch: Record<string, unknown>, vars: Record<string, string>): string {
  let value: Record<string, unknown>;
  try {
    value = JSON.parse(body) as Record<string, unknown>;
  } catch {
    throw new Unfillable('scenario patch: the documented body is not plain JSON, so it cannot be patched');
  }
  const filled = JSON.parse(fill(JSON.stringify(patch), vars, 'scenario patch')) as Record<string, unknown>;
  return JSON.stringify({ ...value, ...filled }, null, 2);
}

/** The documented origins of a page's samples (`https://graph.microsoft.com`), for matching bodies that echo them. */
export function documentedOrigins(samples: readonly Sample[]): string[] {
  const origins = new Set<string>();
  for (const s of samples) {
    const target = s.kind === 'http-request' ? s.http?.target : undefined;
    if (target && /^https?:\/\//i.test(target) && URL.canParse(target)) origins.add(new URL(target).origin);
    if (s.kind === 'http-response') {
      const location = headerValue(s.http.headers, 'location');
      if (location && /^https?:\/\//i.test(location) && URL.canParse(location)) origins.add(new URL(location).origin);
    }
  }
  return [...origins];
}

export { SOAP_NAMESPACES };
