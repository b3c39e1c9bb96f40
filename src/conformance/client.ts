import type { Readable, Transform } from 'node:stream';
import zlib from 'node:zlib';
import { request as undiciRequest, type Dispatcher } from 'undici';
import type { ActualResponse } from './match.js';
import type { OutgoingRequest } from './request.js';

export interface ClientLimits {
  /** Whole exchange, headers and body, per request. */
  timeoutMs: number;
  /** Decoded body bytes; past this the response is cut off and the case errors. */
  maxResponseBytes: number;
  maxRedirects: number;
}

export const DEFAULT_LIMITS: ClientLimits = { timeoutMs: 10_000, maxResponseBytes: 5 * 1024 * 1024, maxRedirects: 5 };

/** A request that got no usable response: the case errors with this reason. */
export class ExchangeError extends Error {}

function reasonOf(error: unknown, url: string, limits: ClientLimits): string {
  const e = error as { name?: string; message?: string; code?: string; cause?: { code?: string; message?: string } };
  if (e.name === 'TimeoutError' || e.name === 'AbortError' || e.code === 'UND_ERR_ABORTED' || e.code === 'UND_ERR_HEADERS_TIMEOUT' || e.code === 'UND_ERR_BODY_TIMEOUT') {
    return `no complete response within ${limits.timeoutMs} ms (timeout)`;
  }
  // undici wraps a system error (ECONNRESET …) in one of its own: the system code says more.
  const code = e.code?.startsWith('UND_ERR_') && e.cause?.code ? e.cause.code : e.code ?? e.cause?.code;
  if (code === 'ECONNREFUSED') return `connection refused by ${new URL(url).host}`;
  if (code === 'ECONNRESET' || code === 'UND_ERR_SOCKET' || code === 'EPIPE' || code === 'UND_ERR_CLOSED') return 'connection reset by the server';
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') return `cannot resolve ${new URL(url).hostname}`;
  if (code?.startsWith('HPE_') || e.name === 'HTTPParserError') return `invalid HTTP response (${e.message ?? code})`;
  if (code === 'UND_ERR_RES_CONTENT_LENGTH_MISMATCH') return 'response body length does not match its Content-Length header';
  return e.cause?.message ?? e.message ?? String(error);
}

/** A decoder for the content codings fetch undoes by itself (request() leaves them to us). */
function decoderFor(encoding: string | undefined): Transform | null {
  switch (encoding?.trim().toLowerCase()) {
    case 'gzip': case 'x-gzip': return zlib.createGunzip();
    case 'deflate': return zlib.createInflate();
    case 'br': return zlib.createBrotliDecompress();
    default: return null;
  }
}

/** The body as UTF-8 text, refused past `limit` decoded bytes. Events rather than an async iterator: cheaper per chunk. */
function readBounded(body: Dispatcher.ResponseData['body'], encoding: string | undefined, limit: number): Promise<string> {
  const decoder = decoderFor(encoding);
  const stream: Readable = decoder ? body.pipe(decoder) : body;
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const fail = (error: unknown) => { body.destroy(); decoder?.destroy(); reject(error); };
    if (decoder) body.once('error', fail);
    stream.on('data', (chunk: Buffer) => {
      size += chunk.byteLength;
      if (size > limit) fail(new ExchangeError(`response body larger than ${limit} bytes (--max-response-size): cut off`));
      else chunks.push(chunk);
    });
    stream.once('error', fail);
    stream.once('end', () => resolve(chunks.length === 1 ? chunks[0]!.toString('utf8') : Buffer.concat(chunks).toString('utf8')));
  });
}

/** Header names lower-cased; repeated headers joined with `, ` (as fetch's Headers does). */
function headersOf(raw: Dispatcher.ResponseData['headers']): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(raw)) {
    if (value === undefined) continue;
    headers[name.toLowerCase()] = Array.isArray(value) ? value.join(', ') : value;
  }
  return headers;
}

/**
 * Send one request with bounds on time and size. Redirects are followed only within the
 * target's origin; a redirect elsewhere is refused, so credentials never leave the origin.
 * undici's `request()` rather than `fetch`: no WHATWG streams or Headers objects per
 * exchange, which made replays about 40% slower (scripts/bench/conformance.mjs).
 */
export async function exchange(request: OutgoingRequest, limits: ClientLimits = DEFAULT_LIMITS): Promise<ActualResponse> {
  // One timer for the whole exchange, cleared when it ends. Not AbortSignal.timeout: that costs
  // 7–8 µs per request, and its timer stays pending for the whole timeout after the exchange.
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(new DOMException(`no response within ${limits.timeoutMs} ms`, 'TimeoutError')), limits.timeoutMs);
  try {
    return await exchangeWithin(request, limits, controller.signal);
  } finally {
    clearTimeout(timer);
  }
}

async function exchangeWithin(request: OutgoingRequest, limits: ClientLimits, signal: AbortSignal): Promise<ActualResponse> {
  let url = request.url;
  let method = request.method;
  let body = request.body;
  const seen = new Set<string>();
  for (let hop = 0; ; hop++) {
    let response: Dispatcher.ResponseData;
    try {
      response = await undiciRequest(url, { method: method as Dispatcher.HttpMethod, headers: request.headers.flat(), body: body ?? undefined, signal });
    } catch (error) {
      throw new ExchangeError(reasonOf(error, url, limits));
    }
    const headers = headersOf(response.headers);
    const status = response.statusCode;
    const location = headers['location'];
    if (status >= 300 && status < 400 && status !== 304 && location) {
      await response.body.dump().catch(() => {});
      const next = new URL(location, url);
      const origin = new URL(request.url).origin;
      if (next.origin !== origin) throw new ExchangeError(`redirect to another origin (${next.origin}) not followed: credentials are never sent outside ${origin}`);
      if (seen.has(next.href) || hop >= limits.maxRedirects) throw new ExchangeError(`redirect loop: more than ${limits.maxRedirects} redirects, last to ${next.pathname}`);
      seen.add(next.href);
      url = next.href;
      if (status === 303 || ((status === 301 || status === 302) && method === 'POST')) { method = 'GET'; body = null; }
      continue;
    }
    let text: string;
    try {
      text = await readBounded(response.body, headers['content-encoding'], limits.maxResponseBytes);
    } catch (error) {
      if (error instanceof ExchangeError) throw error;
      // A 204/304 or HEAD answer has no body whatever its Content-Length says (as fetch has it);
      // the header stays, so the empty-body check can still tell a body was announced.
      if ((error as { code?: string }).code === 'UND_ERR_RES_CONTENT_LENGTH_MISMATCH' && (status === 204 || status === 304 || method === 'HEAD')) return { status, headers, body: '' };
      throw new ExchangeError(reasonOf(error, url, limits));
    }
    return { status, headers, body: text };
  }
}
