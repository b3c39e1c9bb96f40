/* Credentials the user passed (header values): found once, and cut out of every output. */

/** Values that must never reach any output: the user's header values. */
export function secretsOf(options: { headers?: readonly (readonly [string, string])[] }): string[] {
  const out = new Set<string>();
  for (const [, value] of options.headers ?? []) {
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
