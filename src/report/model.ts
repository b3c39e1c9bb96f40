import type { ConformanceReport } from '../conformance/run.js';
import type { LintResult } from '../run/lint-run.js';

/**
 * The one result model every reporter reads (text, json, sarif, junit, github, html are
 * siblings over it, as Hurl's reports are): what a command found, nothing about how to print it.
 * `lint` fills `lint`, `conformance` fills `conformance`, `demo` fills both.
 */
export interface RunReport {
  tool: { name: 'lockstep'; version: string };
  /** The directory the files in findings are relative to. */
  cwd: string;
  lint?: LintResult;
  conformance?: ConformanceReport;
  /**
   * Lines of the pages around each location a finding names (its own and its related ones), read
   * at the edge by `collectExcerpts` for reporters that show samples side by side (html).
   * Keyed by `file:line` as the finding names them.
   */
  excerpts?: Record<string, ExcerptWindow>;
  /** What `lint --fix` repaired (set on runs with --fix), for the text report's summary. */
  fix?: FixSummary;
}

/** The outcome of `lint --fix`: findings repaired (and files written), and findings left with a reason. */
export interface FixSummary {
  fixed: number;
  files: number;
  notFixed: number;
  /** With --fix-stale: the stale pages brought to the source revision, whose prose still needs translators. */
  stale?: string[];
}

/** A window of a page's lines: `lines[0]` is line `startLine`. */
export interface ExcerptWindow {
  startLine: number;
  lines: string[];
}

export const excerptKey = (file: string, line: number): string => `${file}:${line}`;
