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
  const e = error as { name?: string; message?: string; cause?: { code?: string; message?: string } };
  if (e.name === 'TimeoutError' || e.name === 'AbortError') return `no complete response within ${limits.timeoutMs} ms (timeout)`;
  const code = e.cause?.code;
  if (code === 'ECONNREFUSED') return `connection refused by ${new URL(url).host}`;
  if (code === 'ECONNRESET' || code === 'UND_ERR_SOCKET' || code === 'EPIPE') return 'connection reset by the server';
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') return `cannot resolve ${new URL(url).hostname}`;
  if (code?.startsWith('HPE_')) return `invalid HTTP response (${e.cause?.message ?? code})`;
  return e.cause?.message ?? e.message ?? String(error);
}

async function readBounded(response: Response, limit: number, signal: AbortSignal): Promise<string> {
  if (!response.body) return '';
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    if (signal.aborted) throw signal.reason;
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > limit) {
      await reader.cancel().catch(() => {});
      throw new ExchangeError(`response body larger than ${limit} bytes (--max-response-size): cut off`);
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks).toString('utf8');
}

/**
 * Send one request with bounds on time and size. Redirects are followed only within the
 * target's origin; a redirect elsewhere is refused, so credentials never leave the origin.
 */
export async function exchange(request: OutgoingRequest, limits: ClientLimits = DEFAULT_LIMITS): Promise<ActualResponse> {
  const signal = AbortSignal.timeout(limits.timeoutMs);
  const origin = new URL(request.url).origin;
  let url = request.url;
  let method = request.method;
  let body = request.body;
  const seen = new Set<string>();
  for (let hop = 0; ; hop++) {
    let response: Response;
    try {
      response = await fetch(url, { method, headers: request.headers, body: body ?? undefined, redirect: 'manual', signal });
    } catch (error) {
      throw new ExchangeError(reasonOf(error, url, limits));
    }
    const location = response.headers.get('location');
    if (response.status >= 300 && response.status < 400 && response.status !== 304 && location) {
      await response.body?.cancel().catch(() => {});
      const next = new URL(location, url);
      if (next.origin !== origin) throw new ExchangeError(`redirect to another origin (${next.origin}) not followed: credentials are never sent outside ${origin}`);
      if (seen.has(next.href) || hop >= limits.maxRedirects) throw new ExchangeError(`redirect loop: more than ${limits.maxRedirects} redirects, last to ${next.pathname}`);
      seen.add(next.href);
      url = next.href;
      if (response.status === 303 || ((response.status === 301 || response.status === 302) && method === 'POST')) { method = 'GET'; body = null; }
      continue;
    }
    let text: string;
    try {
      text = await readBounded(response, limits.maxResponseBytes, signal);
    } catch (error) {
      if (error instanceof ExchangeError) throw error;
      throw new ExchangeError(reasonOf(error, url, limits));
    }
    const headers: Record<string, string> = {};
    response.headers.forEach((value, name) => { headers[name.toLowerCase()] = headers[name.toLowerCase()] ? `${headers[name.toLowerCase()]}, ${value}` : value; });
    return { status: response.status, headers, body: text };
  }
}
