import { promisify } from 'node:util';
import zlib from 'node:zlib';
import type { Agent, Dispatcher } from 'undici';
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
  if (e.name === 'TimeoutError' || e.code === 'UND_ERR_HEADERS_TIMEOUT' || e.code === 'UND_ERR_BODY_TIMEOUT') {
    return `no complete response within ${limits.timeoutMs} ms (timeout)`;
  }
  // undici wraps a system error (ECONNRESET …) in one of its own: the system code says more.
  const code = e.code?.startsWith('UND_ERR_') && e.cause?.code ? e.cause.code : (e.code ?? e.cause?.code);
  if (code === 'ECONNREFUSED') return `connection refused by ${new URL(url).host}`;
  if (code === 'ECONNRESET' || code === 'UND_ERR_SOCKET' || code === 'EPIPE' || code === 'UND_ERR_CLOSED')
    return 'connection reset by the server';
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') return `cannot resolve ${new URL(url).hostname}`;
  if (code?.startsWith('HPE_') || e.name === 'HTTPParserError') return `invalid HTTP response (${e.message ?? code})`;
  if (code === 'UND_ERR_RES_CONTENT_LENGTH_MISMATCH')
    return 'response body length does not match its Content-Length header';
  return e.cause?.message ?? e.message ?? String(error);
}

const asExchangeError = (error: unknown, url: string, limits: ClientLimits) =>
  error instanceof ExchangeError ? error : new ExchangeError(reasonOf(error, url, limits));

const tooLarge = (limit: number) =>
  new ExchangeError(`response body larger than ${limit} bytes (--max-response-size): cut off`);

/**
 * The content codings fetch undoes by itself; zlib stops at `maxOutputLength`, so a bomb costs no more than the limit.
 */
const DECODERS: Record<string, (buffer: Buffer, options: zlib.ZlibOptions | zlib.BrotliOptions) => Promise<Buffer>> = {
  gzip: promisify(zlib.gunzip),
  'x-gzip': promisify(zlib.gunzip),
  deflate: promisify(zlib.inflate),
  br: promisify(zlib.brotliDecompress),
};

async function decode(body: Buffer, encoding: string | undefined, limit: number): Promise<string> {
  const decoder = encoding ? DECODERS[encoding.trim().toLowerCase()] : undefined;
  if (!decoder) return body.toString('utf8');
  try {
    return (await decoder(body, { maxOutputLength: limit })).toString('utf8');
  } catch (error) {
    if ((error as { code?: string }).code === 'ERR_BUFFER_TOO_LARGE') throw tooLarge(limit);
    throw error;
  }
}

/**
 * Repeated headers joined with `, ` (as fetch's Headers does), in place: undici has parsed the
 * headers into a fresh object with lower-cased names, so there is nothing else to copy.
 */
function joinRepeated(parsed: Record<string, string | string[] | undefined>): Record<string, string> {
  for (const name in parsed) {
    const value = parsed[name];
    if (value === undefined) delete parsed[name];
    else if (Array.isArray(value)) parsed[name] = value.join(', ');
  }
  return parsed as Record<string, string>;
}

interface RawResponse {
  status: number;
  headers: Record<string, string>;
  body: Buffer;
}

/**
 * One request and its whole answer, as an undici dispatch handler: the body's chunks are kept
 * (up to the limit) and joined once, and the handler holds the request's timer. No stream and
 * no AbortSignal per request, as `request()` has: that made a replay about a quarter cheaper
 * in CPU (scripts/bench/conformance.mjs).
 */
class CollectingHandler implements Dispatcher.DispatchHandler {
  private controller: Dispatcher.DispatchController | null = null;
  private status = 0;
  private headers: Record<string, string> | null = null;
  private readonly chunks: Buffer[] = [];
  private size = 0;
  private settled = false;
  /** Set when the request is given up before it reached a socket: aborted as soon as it does. */
  private reason: Error | null = null;
  private readonly timer: NodeJS.Timeout;

  constructor(
    private readonly method: string,
    private readonly limit: number,
    timeoutMs: number,
    private readonly resolve: (response: RawResponse) => void,
    private readonly reject: (error: unknown) => void,
  ) {
    this.timer = setTimeout(() => this.giveUp(new DOMException('no response in time', 'TimeoutError')), timeoutMs);
  }

  /** Abort the request now, or as soon as it is dispatched, and fail with `reason` at once. */
  giveUp(reason: Error): void {
    this.reason = reason;
    this.controller?.abort(reason);
    this.settle(reason);
  }

  onRequestStart(controller: Dispatcher.DispatchController): void {
    this.controller = controller;
    if (this.reason) controller.abort(this.reason);
  }

  onResponseStart(
    _controller: Dispatcher.DispatchController,
    status: number,
    headers: Record<string, string | string[] | undefined>,
  ): void {
    if (status < 200) return; // 1xx informational answers come before the real one
    this.status = status;
    this.headers = joinRepeated(headers);
  }

  onResponseData(controller: Dispatcher.DispatchController, chunk: Buffer): void {
    this.size += chunk.byteLength;
    if (this.size > this.limit) controller.abort(tooLarge(this.limit));
    else this.chunks.push(chunk);
  }

  onResponseEnd(): void {
    const body = this.chunks.length === 1 ? this.chunks[0]! : Buffer.concat(this.chunks);
    this.settle(null, { status: this.status, headers: this.headers ?? {}, body });
  }

  onResponseError(_controller: Dispatcher.DispatchController, error: Error): void {
    // A 204/304 or HEAD answer has no body whatever its Content-Length says (as fetch has it);
    // the header stays, so the empty-body check can still tell a body was announced.
    const bodiless = this.status === 204 || this.status === 304 || this.method === 'HEAD';
    if (this.headers && bodiless && (error as { code?: string }).code === 'UND_ERR_RES_CONTENT_LENGTH_MISMATCH') {
      this.settle(null, { status: this.status, headers: this.headers, body: Buffer.alloc(0) });
    } else {
      this.settle(error);
    }
  }

  private settle(error: unknown, response?: RawResponse): void {
    if (this.settled) return;
    this.settled = true;
    clearTimeout(this.timer);
    if (response) this.resolve(response);
    else this.reject(error);
  }
}

/**
 * lockstep's own connection pool, not undici's global dispatcher: that may be Node's bundled
 * undici (installed by the first `fetch()` in the process), which is older and does not take
 * these handlers. Idle kept-alive sockets do not hold the process open. undici is loaded with the
 * first request: a process that only lints (the library's entry imports this module) does not pay
 * its import (75 ms, a fifth of importing the library).
 */
let agent: Promise<Agent> | null = null;
const connectionPool = (): Promise<Agent> => (agent ??= import('undici').then(({ Agent }) => new Agent()));

/** Send one request, following no redirect, within `timeoutMs`. */
function send(
  pool: Agent,
  url: string,
  method: string,
  headers: string[],
  body: string | null,
  timeoutMs: number,
  limit: number,
): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const { origin, pathname, search } = new URL(url);
    const handler = new CollectingHandler(method, limit, timeoutMs, resolve, reject);
    try {
      pool.dispatch(
        { origin, path: `${pathname}${search}`, method: method as Dispatcher.HttpMethod, headers, body },
        handler,
      );
    } catch (error) {
      handler.giveUp(error as Error); // invalid options: undici throws before dispatching
    }
  });
}

/**
 * Send one request with bounds on time and size. Redirects are followed only within the
 * target's origin; a redirect elsewhere is refused, so credentials never leave the origin.
 */
export async function exchange(
  request: OutgoingRequest,
  limits: ClientLimits = DEFAULT_LIMITS,
): Promise<ActualResponse> {
  // Loaded before the clock starts: importing undici is no part of the exchange's time.
  const pool = await connectionPool();
  // One deadline for the whole exchange, redirects included.
  const deadline = Date.now() + limits.timeoutMs;
  const headers = request.headers.flat();
  let url = request.url;
  let method = request.method;
  let body = request.body;
  const seen = new Set<string>();
  for (let hop = 0; ; hop++) {
    let response: RawResponse;
    try {
      response = await send(
        pool,
        url,
        method,
        headers,
        body,
        Math.max(0, deadline - Date.now()),
        limits.maxResponseBytes,
      );
    } catch (error) {
      throw asExchangeError(error, url, limits);
    }
    const { status } = response;
    const location = response.headers['location'];
    if (status >= 300 && status < 400 && status !== 304 && location) {
      // Quoted without its query, where a token may stand: a quote cut short could not be redacted later.
      if (!URL.canParse(location, url))
        throw new ExchangeError(
          `redirect to an invalid Location (${JSON.stringify(location.split(/[?#]/)[0]!.slice(0, 80))}) not followed`,
        );
      const next = new URL(location, url);
      const origin = new URL(request.url).origin;
      if (next.origin !== origin)
        throw new ExchangeError(
          `redirect to another origin (${next.origin}) not followed: credentials are never sent outside ${origin}`,
        );
      if (seen.has(next.href) || hop >= limits.maxRedirects)
        throw new ExchangeError(`redirect loop: more than ${limits.maxRedirects} redirects, last to ${next.pathname}`);
      seen.add(next.href);
      url = next.href;
      if (status === 303 || ((status === 301 || status === 302) && method === 'POST')) {
        method = 'GET';
        body = null;
      }
      continue;
    }
    try {
      return {
        status,
        headers: response.headers,
        body: await decode(response.body, response.headers['content-encoding'], limits.maxResponseBytes),
      };
    } catch (error) {
      throw asExchangeError(error, url, limits);
    }
  }
}
