import pc from 'picocolors';
import { caseLocation } from '../conformance/location.js';
import type { CaseResult, ConformanceReport } from '../conformance/run.js';
import { diagnosticJson } from './lint-json.js';

/** The `conformance --format json` document (version 1), documented in the README. */
export function conformanceJson(report: ConformanceReport): object {
  return {
    version: 1,
    ...(report.shard ? { shard: { index: report.shard.index + 1, count: report.shard.count } } : {}),
    target: report.target,
    results: report.results.map((r) => ({
      caseId: r.caseId,
      pageId: r.pageId,
      sampleId: r.sampleId,
      file: r.file,
      line: r.line,
      locale: r.locale,
      status: r.status,
      message: r.message,
      durationMs: r.durationMs,
      note: r.note,
      checks: r.checks.map((c) => ({
        check: c.check,
        path: c.path,
        ...(c.what ? { what: c.what } : {}),
        expected: c.expected,
        actual: c.actual,
        ...(c.docLine ? { docLine: c.docLine } : {}),
      })),
      ...(r.request ? { request: r.request } : {}),
    })),
    summary: report.summary,
    diagnostics: report.diagnostics.map(diagnosticJson),
  };
}

const MARK: Record<CaseResult['status'], string> = { passed: '✔', failed: '✘', skipped: '-', error: '!' };

export function formatCaseLine(r: CaseResult, color: boolean): string {
  const c = color ? pc : pc.createColors(false);
  const paint = r.status === 'passed' ? c.green : r.status === 'failed' || r.status === 'error' ? c.red : c.yellow;
  return `${paint(`${MARK[r.status]} ${r.status.padEnd(7)}`)} ${r.caseId}  ${c.dim(`${r.durationMs} ms`)}`;
}

/** Hurl-like text: one line per case, the failed checks under it, then a summary line. */
export function conformanceText(report: ConformanceReport, options: { color: boolean }): string {
  const c = options.color ? pc : pc.createColors(false);
  const out: string[] = [];
  for (const d of report.diagnostics)
    out.push(`${d.file}:${d.line}:${d.column}  ${d.severity}  ${d.message}  ${d.ruleId}`);
  for (const r of report.results) {
    const at = caseLocation(r);
    out.push(formatCaseLine(r, options.color));
    if (r.status !== 'passed') out.push(`    ${at.message}`);
    if (r.request)
      out.push(
        c.dim(
          `    sent: ${r.request.method} ${r.request.url}` +
            `${r.request.headers.length ? ` (${r.request.headers.map(([n, v]) => `${n}: ${v}`).join('; ')})` : ''}`,
        ),
      );
    if (r.status !== 'passed' || r.note) out.push(c.dim(`    ${at.where}${r.note ? ` (${r.note})` : ''}`));
  }
  const s = report.summary;
  const total = s.passed + s.failed + s.skipped + s.errors;
  out.push(
    '',
    `${total} cases: ${s.passed} passed, ${s.failed} failed, ${s.skipped} skipped, ` +
      `${s.errors} errors (target ${report.target})`,
  );
  return `${out.join('\n')}\n`;
}
