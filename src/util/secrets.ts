/* Credentials the user passed (header values): found once, and cut out of every output. */

/** Header names that carry credentials by convention, and any name that says it holds one. */
const CREDENTIAL_HEADERS = new Set(['authorization', 'cookie', 'proxy-authorization', 'x-api-key', 'set-cookie']);
const CREDENTIAL_WORDS = /token|secret|key|passw(?:or)?d|credential|signature|session|auth/i;

/** Whether a header's value is a credential: never printed, always redacted. */
export function isCredentialHeader(name: string): boolean {
  return CREDENTIAL_HEADERS.has(name.toLowerCase()) || CREDENTIAL_WORDS.test(name);
}

/** Headers that carry no secret by their nature: what a client asks for, tracing, preconditions. */
const PLAIN_HEADERS = new RegExp(
  `^(?:${[
    'accept(?:-[\\w-]+)?',
    'content-[\\w-]+',
    'prefer',
    'user-agent',
    'if-[\\w-]+',
    'cache-control',
    'pragma',
    'odata-[\\w-]+',
    'soapaction',
    'x-requested-with',
    '(?:x-ms-)?client-request-id',
    'x-request-id',
    'request-id',
    'x-correlation-id',
    'traceparent',
    'tracestate',
    'range',
    'origin',
    'referer',
    'expect',
  ].join('|')})$`,
  'i',
);
/** A value shaped like a credential: 8 characters or more, no space, letters and digits mixed. */
const SECRET_LIKE = /^(?=\S*\d)(?=\S*[A-Za-z])\S{8,}$/;

/**
 * Whether a header's value is kept out of every output: a credential by name, or by shape under a name not known to be
 * plain.
 */
export function isSecretHeader(name: string, value: string): boolean {
  return isCredentialHeader(name) || (!PLAIN_HEADERS.test(name) && SECRET_LIKE.test(value));
}

/**
 * Values that must never reach any output: the values of the user's credential headers, and values
 * shaped like one under a header name not known to be plain (`X-Access-Code: a1b2c3d4e5`). An ordinary
 * header (`Accept: application/json`, `X-Client-Tag: audio`) is printed as it is: responses are
 * compared before anything is redacted, and redacting it would garble the report for nothing.
 */
export function secretsOf(options: { headers?: readonly (readonly [string, string])[] }): string[] {
  const out = new Set<string>();
  for (const [name, value] of options.headers ?? []) {
    if (!isSecretHeader(name, value)) continue;
    if (value.length >= 4) out.add(value);
    // `Bearer <token>`: the token alone is the secret too.
    const token = value.split(/\s+/).slice(1).join(' ');
    if (token.length >= 8) out.add(token);
  }
  return [...out].sort((a, b) => b.length - a.length);
}

export function redact(text: string, secrets: readonly string[]): string {
  let out = text;
  for (const s of secrets) out = out.split(s).join('[REDACTED]');
  return out;
}
