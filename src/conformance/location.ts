/**
 * A case result as a finding: where reports place a case that did not pass and what they say of it.
 * Every reporter (text, JUnit, SARIF, GitHub, HTML, the excerpts they show, the vitest entry) reads a
 * result through this one adapter, so that they agree on the place and on which check names the failure.
 */
import type { Mismatch } from './match.js';
import type { CaseResult } from './result.js';

export interface CaseLocation {
  file: string;
  /** The documented sample the case replays: its request, or a notification case's notification. */
  line: number;
  /** `file:line`, as reports print the place. */
  where: string;
  /** Where an annotation points: the documented line of the first difference, else `line`. */
  docLine: number;
  /** The first failed check: it names the kind of failure (status, header, body…); null when there is none. */
  first: Mismatch | null;
  message: string;
}

export function caseLocation(r: CaseResult): CaseLocation {
  const first = r.checks[0] ?? null;
  const { file, line, message } = r;
  return { file, line, where: `${file}:${line}`, docLine: first?.docLine ?? line, first, message };
}

/** One failed check on a line: `status status: expected 201, actual 200`. */
export function describeCheck(c: Mismatch): string {
  return `${c.check} ${c.path}: expected ${c.expected}, actual ${c.actual}`;
}
