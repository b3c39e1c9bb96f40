import type { Diagnostic } from '../diagnostics/diagnostic.js';
import type { LintResult } from '../run/lint-run.js';

/** A finding as the JSON documents write it: every field a reporter reads, so `lockstep merge` loses nothing. */
export function diagnosticJson(d: Diagnostic): object {
  return {
    ruleId: d.ruleId,
    severity: d.severity,
    file: d.file,
    line: d.line,
    column: d.column,
    ...(d.endLine !== undefined ? { endLine: d.endLine } : {}),
    ...(d.endColumn !== undefined ? { endColumn: d.endColumn } : {}),
    locale: d.locale ?? null,
    pageId: d.pageId ?? null,
    sampleId: d.sampleId ?? null,
    message: d.message,
    related: (d.related ?? []).map((r) => ({
      file: r.file,
      line: r.line,
      ...(r.column !== undefined ? { column: r.column } : {}),
      locale: r.locale ?? null,
      ...(r.message ? { message: r.message } : {}),
    })),
    // The repair `lint --fix` would write (SARIF's `fixes`), so that `lockstep merge` keeps it.
    ...(d.fix?.resolved && !d.fix.notFixed ? { fix: { authority: d.fix.authority, edits: d.fix.resolved } } : {}),
  };
}

/** The `lint --format json` document (version 1), documented in the README. */
export function lintJson(result: LintResult): object {
  return {
    version: 1,
    // 1-based, as `--shard i/n` is written.
    ...(result.shard ? { shard: { index: result.shard.index + 1, count: result.shard.count } } : {}),
    diagnostics: result.diagnostics.map(diagnosticJson),
    ...(result.baselined ? { baselined: result.baselined.map(diagnosticJson) } : {}),
    pageGroups: result.pageGroups,
    summary: result.summary,
  };
}
