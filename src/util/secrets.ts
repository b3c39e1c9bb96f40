/* Credentials the user passed (header values): found once, and cut out of every output. */

/** Header names that carry credentials by convention, and any name that says it holds one. */
const CREDENTIAL_HEADERS = new Set(['authorization', 'cookie', 'proxy-authorization', 'x-api-key', 'set-cookie']);
const CREDENTIAL_WORDS = /token|secret|key|passw(?:or)?d|credential|signature|session|auth/i;

/** Whether a header's value is a credential: never printed, always redacted. */
export function isCredentialHeader(name: string): boolean {
  return CREDENTIAL_HEADERS.has(name.toLowerCase()) || CREDENTIAL_WORDS.test(name);
}

/**
 * Values that must never reach any output: the values of the user's credential headers. An
 * ordinary header (`Accept: application/json`) is not one: redacting it would rewrite the very
 * responses it asks for, and redacting must never change a verdict.
 */
export function secretsOf(options: { headers?: readonly (readonly [string, string])[] }): string[] {
  const out = new Set<string>();
  for (const [name, value] of options.headers ?? []) {
    if (!isCredentialHeader(name)) continue;
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
