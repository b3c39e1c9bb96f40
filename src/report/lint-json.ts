import type { Diagnostic } from '../diagnostics/diagnostic.js';
import type { LintResult } from '../scale/lint-run.js';

/** The `lint --format json` document (version 1), documented in the README. */
export function lintJson(result: LintResult): object {
  return {
    version: 1,
    diagnostics: result.diagnostics.map((d: Diagnostic) => ({
      ruleId: d.ruleId, severity: d.severity, file: d.file, line: d.line, column: d.column,
      locale: d.locale ?? null, pageId: d.pageId ?? null, sampleId: d.sampleId ?? null, message: d.message,
      related: (d.related ?? []).map((r) => ({ file: r.file, line: r.line, locale: r.locale ?? null, ...(r.message ? { message: r.message } : {}) })),
    })),
    summary: result.summary,
  };
}
