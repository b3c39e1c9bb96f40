/**
 * A positioned message, shaped after vfile-message: every stage of lockstep
 * (reading, parsing, extracting, checking, replaying) reports through this one
 * type so that any reporter can print any finding.
 */
export type Severity = 'error' | 'warning' | 'info';

export interface Position {
  /** 1-based line in the file. */
  line: number;
  /** 1-based column, counted in UTF-16 code units (as editors and SARIF do). */
  column: number;
}

export interface RelatedLocation {
  file: string;
  line: number;
  column?: number;
  locale?: string;
  message?: string;
}

export interface Diagnostic extends Position {
  /** Stable rule id, e.g. `xml-malformed`. */
  ruleId: string;
  severity: Severity;
  message: string;
  /** Path as the user named it (relative to the working directory when possible). */
  file: string;
  endLine?: number;
  endColumn?: number;
  locale?: string;
  pageId?: string;
  sampleId?: string | null;
  related?: RelatedLocation[];
}

/** Sort by file, then position, then rule id: reporters print in this order. */
export function compareDiagnostics(a: Diagnostic, b: Diagnostic): number {
  if (a.file !== b.file) return a.file < b.file ? -1 : 1;
  return a.line - b.line || a.column - b.column || (a.ruleId < b.ruleId ? -1 : a.ruleId > b.ruleId ? 1 : 0);
}

export function countBySeverity(diagnostics: readonly Diagnostic[]): Record<Severity, number> {
  const counts: Record<Severity, number> = { error: 0, warning: 0, info: 0 };
  for (const d of diagnostics) counts[d.severity]++;
  return counts;
}
