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
  /** How the finding can be repaired from its authority, or why it cannot (src/fix reads it). */
  fix?: FixPlan;
}

/**
 * A repair as a rule describes it: where the damage is and what the authority holds there. Positions
 * are the page's lines and columns (1-based, UTF-16); src/fix resolves them against the file's text.
 */
export type PlannedEdit =
  /**
   * Replace `old`, found on `line` at or after `column`, by `text`: in the text, outside tags and link
   * destinations, or with `markup` only inside them (an anchor, a link target).
   */
  | { kind: 'replace'; line: number; column: number; old: string; text: string; markup?: boolean }
  /**
   * The identifier `id` is damaged in the text that starts at `line`:`column` (`text`, as the page
   * shows it); `examples` are the authority's texts at the same place. Only the damaged span is replaced.
   */
  | {
      kind: 'identifier';
      line: number;
      column: number;
      text: string;
      id: string;
      examples: string[];
      /**
       * The text stands in running prose (bold or italic in a sentence, paired with the other
       * locales' by rank): only a split, re-cased or transliterated name is repaired there, never a
       * translated word read by the authority's frame, which may be prose the pairing mistook.
       */
      prose?: boolean;
    }
  /**
   * Lines `line`…`endLine` (inclusive; `endLine` = `line - 1` inserts before `line`) become lines
   * `from.line`…`from.endLine` of the authority's file; `diff` replaces only the lines that differ,
   * each only where it differs.
   */
  | {
      kind: 'lines';
      line: number;
      endLine: number;
      from: { file: string; line: number; endLine: number };
      diff?: boolean;
    }
  /**
   * The HTML comment (an ApiDoctor annotation) that starts on `line` becomes the one that starts on
   * `from.line` of the authority's file; with `line` null, the authority's comment and the lines up to
   * its fence are inserted before this page's fence on line `fence`.
   */
  | { kind: 'comment'; line: number | null; fence: number; from: { file: string; line: number; fence: number } }
  /**
   * Lines of the authority inserted before `line` of this page, at the first of the places whose
   * `blank` lines in the authority hold nothing but blank lines and comments (no translated prose).
   */
  | {
      kind: 'insert';
      places: {
        line: number;
        from: { file: string; line: number; endLine: number };
        blank: { line: number; endLine: number };
      }[];
    }
  /** In lines `line`…`endLine` of a sample, the name `term` (written as a `origin`) becomes `text`. */
  | { kind: 'sample-name'; line: number; endLine: number; term: string; text: string; origin: string };

export interface FixPlan {
  /** Where the repair comes from, as the report says it (`pt-BR, zh-CN`, `en-US (source)`). */
  authority: string;
  edits: PlannedEdit[];
  /**
   * A stale page brought to the source revision (its samples, anchors and link targets, never its
   * prose): written only with `--fix-stale`.
   */
  stale?: boolean;
  /** Set when nothing can be written, and why (the finding then says `not fixed: …`). */
  notFixed?: string;
  /** The edits resolved against the file's text (set by src/fix): what SARIF `fixes` carry and `--fix` writes. */
  resolved?: TextEdit[];
}

/** One replacement in a file's text (1-based lines, UTF-16 columns, end exclusive), as SARIF writes it. */
export interface TextEdit {
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
  text: string;
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
