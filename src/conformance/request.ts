import type { HttpHeader } from '../sample/http.js';
import { headerValue } from '../sample/http.js';
import type { Sample } from '../sample/sample.js';
import { SOAP_NAMESPACES } from '../sample/xml.js';
import { toPlain } from '../sample/json.js';

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
}

export const DEFAULT_SOAP_PATH = '/EWS/Exchange.asmx';

/** Credentials in docs are placeholders (`Bearer {token}`); they are never sent as written. */
const CREDENTIAL_HEADERS = new Set(['authorization', 'cookie', 'proxy-authorization', 'x-api-key']);
/** Set by the client for the actual connection. */
const TRANSPORT_HEADERS = new Set(['host', 'content-length', 'connection', 'transfer-encoding', 'accept-encoding', 'expect']);

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

/** Fill `{{name}}` templates; an unknown name is an error naming it. */
function fill(text: string, vars: Record<string, string>, where: string): string {
  if (!text.includes('{{')) return text; // most headers and bodies have none: no regex pass
  return text.replace(/\{\{\s*([\w.-]+)\s*\}\}/g, (_m, name: string) => {
    if (!(name in vars)) throw new Unfillable(`${where}: no value for {{${name}}} (give it with --var ${name}=… or a scenario capture)`);
    return vars[name]!;
  });
}

/** Fill `{name}` path placeholders, encoded as path segments. */
function fillPlaceholders(target: string, vars: Record<string, string>): string {
  if (!target.includes('{')) return target;
  return target.replace(/\{([\w.-]+)\}/g, (_whole, name: string) => {
    if (!(name in vars)) throw new Unfillable(`request target ${target}: no value for placeholder {${name}} (give it with --var ${name}=…)`);
    return encodeURIComponent(vars[name]!);
  });
}

/** Rebase a documented URL onto the target: keep path and query, take scheme, host, port and base path from the target. */
export function rebase(documented: string, target: string): string {
  const { origin, basePath } = baseOf(target);
  let pathAndQuery: string;
  if (/^https?:\/\//i.test(documented)) {
    const u = new URL(documented);
    pathAndQuery = `${u.pathname}${u.search}`;
  } else {
    pathAndQuery = documented.startsWith('/') ? documented : `/${documented}`;
  }
  return `${origin}${basePath}${pathAndQuery}`;
}

/** The target's origin and base path; a run rebases every request onto the same target, so the last one is kept. */
let lastBase: { target: string; origin: string; basePath: string } | null = null;
function baseOf(target: string): { origin: string; basePath: string } {
  if (lastBase?.target !== target) {
    const url = new URL(target);
    lastBase = { target, origin: url.origin, basePath: url.pathname.replace(/\/+$/, '') };
  }
  return lastBase;
}

function substitute(text: string, map: Record<string, string>, vars: Record<string, string>): string {
  let out = text;
  for (const [from, to] of Object.entries(map)) out = out.split(from).join(fill(to, vars, `substitute ${from}`));
  return out;
}

/** The request a sample describes, or why it cannot be sent: a value, not an exception, for the many cases a replay cannot send. */
export type RequestPlan = { request: OutgoingRequest; problem?: undefined } | { request?: undefined; problem: string };

export function planRequest(sample: Sample, options: RequestOptions): RequestPlan {
  try {
    return { request: build(sample, options) };
  } catch (error) {
    if (error instanceof Unfillable) return { problem: error.message };
    throw error;
  }
}

/** Build the request a documented sample describes, for the given target; TemplateError when it cannot be sent as written. */
export function buildRequest(sample: Sample, options: RequestOptions): OutgoingRequest {
  const plan = planRequest(sample, options);
  if (plan.problem !== undefined) throw new TemplateError(plan.problem);
  return plan.request;
}

function build(sample: Sample, options: RequestOptions): OutgoingRequest {
  const vars = options.vars ?? {};
  const sub = options.substitute ?? {};
  const userHeaders = options.headers ?? [];
  if (sample.kind === 'http-request' && sample.http) {
    const http = sample.http;
    const target = fillPlaceholders(substitute(http.target, sub, vars), vars);
    const headers: [string, string][] = [];
    for (const h of http.headers as HttpHeader[]) {
      if (!sentAsDocumented(h.name)) continue;
      headers.push([h.name, fill(substitute(h.value, sub, vars), vars, `header ${h.name}`)]);
    }
    // A documented JSON body with a recoverable defect (a trailing comma) is sent as the well-formed value it describes.
    const bodyText = http.body?.type === 'json' && http.body.json.errors.length > 0 && http.body.json.value ? JSON.stringify(toPlain(http.body.json.value), null, 2) : http.body?.text;
    let body = bodyText !== undefined ? fill(substitute(bodyText, sub, vars), vars, 'request body') : null;
    if (options.patch && body !== null) body = patchJson(body, options.patch, vars);
    return { method: http.method, url: rebase(target, options.target), headers: mergeHeaders(headers, userHeaders), body };
  }
  if (sample.kind === 'xml' && sample.xml.soap) {
    const soap = sample.xml.soap;
    const ns = soap.operation?.ns ?? '';
    // `--soap-path` (the `*` entry) wins; else the namespace's path from config; else EWS's.
    const path = options.soapPaths?.['*'] ?? options.soapPaths?.[ns] ?? DEFAULT_SOAP_PATH;
    const action = `${ns.replace(/\/+$/, '')}/${soap.operation?.local ?? ''}`;
    const headers: [string, string][] = soap.version === '1.2'
      ? [['Content-Type', `application/soap+xml; charset=utf-8; action="${action}"`]]
      : [['Content-Type', 'text/xml; charset=utf-8'], ['SOAPAction', `"${action}"`]];
    return { method: 'POST', url: rebase(path, options.target), headers: mergeHeaders(headers, userHeaders), body: fill(substitute(sample.text, sub, vars), vars, 'SOAP envelope') };
  }
  throw new Unfillable(`sample ${sample.id} is not a request lockstep can send (${sample.kind})`);
}

/** User headers replace documented ones of the same name. */
function mergeHeaders(documented: [string, string][], user: [string, string][]): [string, string][] {
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
    if (target && /^https?:\/\//i.test(target)) origins.add(new URL(target).origin);
    if (s.kind === 'http-response') {
      const location = headerValue(s.http.headers, 'location');
      if (location && /^https?:\/\//i.test(location)) origins.add(new URL(location).origin);
    }
  }
  return [...origins];
}

export { SOAP_NAMESPACES };
