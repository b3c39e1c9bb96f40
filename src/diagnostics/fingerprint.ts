import { createHash } from 'node:crypto';
import type { Diagnostic } from './diagnostic.js';

/**
 * Stable identities for findings, so that a finding is recognised across runs (SARIF
 * `partialFingerprints`, lint baselines): what it is about (rule, page, locale, sample) and what it
 * says with numbers left out, since line numbers move when text is added above. An ordinal keeps
 * twins apart, so a baseline with two identical findings still catches a third.
 */
export function fingerprintsOf<T>(items: readonly T[], keyOf: (item: T) => string): string[] {
  const seen = new Map<string, number>();
  return items.map((item) => {
    const key = keyOf(item);
    const n = seen.get(key) ?? 0;
    seen.set(key, n + 1);
    return createHash('sha256').update(`${key}\u0000${n}`).digest('hex').slice(0, 32);
  });
}

export const diagnosticFingerprints = (diagnostics: readonly Diagnostic[]): string[] =>
  fingerprintsOf(diagnostics, (d) =>
    [d.ruleId, d.pageId ?? d.file, d.locale ?? '', d.sampleId ?? '', d.message.replace(/\d+/g, '#')].join('\u0000'),
  );
