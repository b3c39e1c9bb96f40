import { XMLBuilder } from 'fast-xml-parser';
import pc from 'picocolors';
import type { CaseResult, ConformanceReport } from '../conformance/run.js';

/** The `conformance --format json` document (version 1), documented in the README. */
export function conformanceJson(report: ConformanceReport): object {
  return {
    version: 1,
    target: report.target,
    results: report.results.map((r) => ({
      caseId: r.caseId, pageId: r.pageId, sampleId: r.sampleId, file: r.file, line: r.line, locale: r.locale,
      status: r.status, message: r.message, durationMs: r.durationMs, note: r.note,
      checks: r.checks.map((c) => ({ check: c.check, path: c.path, expected: c.expected, actual: c.actual, ...(c.docLine ? { docLine: c.docLine } : {}) })),
      ...(r.request ? { request: r.request } : {}),
    })),
    summary: report.summary,
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
  for (const d of report.diagnostics) out.push(`${d.file}:${d.line}:${d.column}  ${d.severity}  ${d.message}  ${d.ruleId}`);
  for (const r of report.results) {
    out.push(formatCaseLine(r, options.color));
    if (r.status !== 'passed') out.push(`    ${r.message}`);
    if (r.request) out.push(c.dim(`    sent: ${r.request.method} ${r.request.url}${r.request.headers.length ? ` (${r.request.headers.map(([n, v]) => `${n}: ${v}`).join('; ')})` : ''}`));
    if (r.status !== 'passed' || r.note) out.push(c.dim(`    ${r.file}:${r.line}${r.note ? ` (${r.note})` : ''}`));
  }
  const s = report.summary;
  const total = s.passed + s.failed + s.skipped + s.errors;
  out.push('', `${total} cases: ${s.passed} passed, ${s.failed} failed, ${s.skipped} skipped, ${s.errors} errors (target ${report.target})`);
  return `${out.join('\n')}\n`;
}

/** JUnit XML as CI servers read it: one testsuite per page, one testcase per case. */
export function conformanceJunit(report: ConformanceReport): string {
  const byPage = new Map<string, CaseResult[]>();
  for (const r of report.results) byPage.set(r.pageId, [...(byPage.get(r.pageId) ?? []), r]);
  const seconds = (ms: number) => (ms / 1000).toFixed(3);
  const suites = [...byPage.entries()].map(([pageId, results]) => ({
    '@_name': pageId,
    '@_tests': results.length,
    '@_failures': results.filter((r) => r.status === 'failed').length,
    '@_errors': results.filter((r) => r.status === 'error').length,
    '@_skipped': results.filter((r) => r.status === 'skipped').length,
    '@_time': seconds(results.reduce((n, r) => n + r.durationMs, 0)),
    testcase: results.map((r) => ({
      '@_name': r.sampleId,
      '@_classname': pageId,
      '@_file': r.file,
      '@_line': r.line,
      '@_time': seconds(r.durationMs),
      ...(r.status === 'failed' ? { failure: { '@_message': r.message, '@_type': r.checks[0]?.check ?? 'conformance', '#text': `${r.message}\n${r.file}:${r.line}` } } : {}),
      ...(r.status === 'error' ? { error: { '@_message': r.message, '@_type': 'exchange', '#text': `${r.message}\n${r.file}:${r.line}` } } : {}),
      ...(r.status === 'skipped' ? { skipped: { '@_message': r.message } } : {}),
    })),
  }));
  const s = report.summary;
  const builder = new XMLBuilder({ ignoreAttributes: false, format: true, suppressEmptyNode: true, processEntities: true });
  const xml = builder.build({
    testsuites: {
      '@_name': `lockstep conformance ${report.target}`,
      '@_tests': report.results.length,
      '@_failures': s.failed,
      '@_errors': s.errors,
      '@_skipped': s.skipped,
      '@_time': seconds(report.results.reduce((n, r) => n + r.durationMs, 0)),
      testsuite: suites,
    },
  }) as string;
  return `<?xml version="1.0" encoding="UTF-8"?>\n${xml}`;
}
