import { XMLBuilder } from 'fast-xml-parser';
import { caseLocation, describeCheck } from '../conformance/location.js';
import type { CaseResult, ConformanceReport } from '../conformance/run.js';
import { describeRule } from '../lint/catalogue.js';
import type { Diagnostic } from '../diagnostics/diagnostic.js';
import type { LintResult } from '../run/lint-run.js';
import type { RuleFamily } from '../lint/rule.js';
import type { RunReport } from './model.js';

/**
 * JUnit XML as CI servers read it, valid against the Jenkins JUnit schema (the one most CI
 * importers accept; `fixtures/schemas/junit-jenkins.xsd`): `testsuites > testsuite > testcase`,
 * no attributes that schema does not know (so the docs location goes into the failure text).
 * Lint: one testsuite per page group, one testcase per rule family; it fails on errors,
 * warnings are listed in its system-out. Conformance: one testsuite per page, one testcase per case.
 */
export function renderJunit(report: RunReport): string {
  const suites = [
    ...(report.lint ? lintSuites(report.lint) : []),
    ...(report.conformance ? conformanceSuites(report.conformance) : []),
  ];
  const sum = (key: keyof Suite) => suites.reduce((n, s) => n + Number(s[key]), 0);
  const builder = new XMLBuilder({
    ignoreAttributes: false,
    format: true,
    suppressEmptyNode: true,
    processEntities: true,
  });
  const parts = [
    report.lint ? 'lint' : null,
    report.conformance ? `conformance ${report.conformance.target}` : null,
  ].filter(Boolean);
  const xml = builder.build({
    testsuites: {
      '@_name': `lockstep ${parts.join(' + ')}`,
      '@_tests': sum('@_tests'),
      '@_failures': sum('@_failures'),
      '@_errors': sum('@_errors'),
      '@_time': seconds(suites.reduce((n, s) => n + Number(s['@_time']) * 1000, 0)),
      testsuite: suites,
    },
  }) as string;
  return `<?xml version="1.0" encoding="UTF-8"?>\n${xml}`;
}

interface TestCase {
  '@_name': string;
  '@_classname': string;
  '@_time': string;
  skipped?: string;
  error?: { '@_message': string; '@_type': string; '#text': string };
  failure?: { '@_message': string; '@_type': string; '#text': string };
  'system-out'?: string;
}

interface Suite {
  '@_name': string;
  '@_tests': number;
  '@_failures': number;
  '@_errors': number;
  '@_skipped': number;
  '@_time': string;
  testcase: TestCase[];
}

const seconds = (ms: number) => (ms / 1000).toFixed(3);

/** XML 1.0 cannot carry most control characters or lone surrogates, whatever the escaping. */
const xmlSafe = (text: string) => text.replace(/[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu, '\uFFFD');

const FAMILIES: readonly RuleFamily[] = ['input', 'metadata', 'samples', 'links', 'identifiers'];

const findingLine = (d: Diagnostic) => `${d.file}:${d.line}:${d.column}  ${d.severity}  ${d.message}  [${d.ruleId}]`;

function suite(name: string, testcase: TestCase[]): Suite {
  return {
    '@_name': xmlSafe(name),
    '@_tests': testcase.length,
    '@_failures': testcase.filter((t) => t.failure).length,
    '@_errors': testcase.filter((t) => t.error).length,
    '@_skipped': testcase.filter((t) => t.skipped !== undefined).length,
    '@_time': seconds(testcase.reduce((n, t) => n + Number(t['@_time']) * 1000, 0)),
    testcase,
  };
}

function lintSuites(lint: LintResult): Suite[] {
  const byGroup = new Map<string, Diagnostic[]>();
  const orphans: Diagnostic[] = [];
  const known = new Set(lint.pageGroups.map((g) => g.pageId));
  for (const d of lint.diagnostics) {
    if (d.pageId && known.has(d.pageId)) byGroup.set(d.pageId, [...(byGroup.get(d.pageId) ?? []), d]);
    else orphans.push(d);
  }
  const suites = lint.pageGroups.map((group) => {
    const found = byGroup.get(group.pageId) ?? [];
    return suite(
      `lint ${group.pageId}`,
      FAMILIES.map((family) =>
        familyCase(
          group.pageId,
          family,
          found.filter((d) => describeRule(d.ruleId).family === family),
        ),
      ),
    );
  });
  // Problems with the inputs themselves (a missing path) belong to no page group.
  if (orphans.length > 0) {
    const byFile = new Map<string, Diagnostic[]>();
    for (const d of orphans) byFile.set(d.file, [...(byFile.get(d.file) ?? []), d]);
    suites.push(
      suite(
        'lint inputs',
        [...byFile.entries()].map(([file, found]) => ({
          ...familyCase(file, 'input', found),
          '@_classname': 'inputs',
        })),
      ),
    );
  }
  return suites;
}

function familyCase(pageId: string, family: RuleFamily, found: readonly Diagnostic[]): TestCase {
  const errors = found.filter((d) => d.severity === 'error');
  const others = found.filter((d) => d.severity !== 'error');
  return {
    '@_name': family,
    '@_classname': xmlSafe(pageId),
    '@_time': '0.000',
    ...(errors.length > 0
      ? {
          failure: {
            '@_message': xmlSafe(`${errors.length} error${errors.length === 1 ? '' : 's'}: ${errors[0]!.message}`),
            '@_type': errors[0]!.ruleId,
            '#text': xmlSafe(errors.map(findingLine).join('\n')),
          },
        }
      : {}),
    ...(others.length > 0 ? { 'system-out': xmlSafe(others.map(findingLine).join('\n')) } : {}),
  };
}

function conformanceSuites(report: ConformanceReport): Suite[] {
  const byPage = new Map<string, CaseResult[]>();
  for (const r of report.results) byPage.set(r.pageId, [...(byPage.get(r.pageId) ?? []), r]);
  return [...byPage.entries()].map(([pageId, results]) =>
    suite(
      `conformance ${pageId}`,
      results.map((r) => caseOf(pageId, r)),
    ),
  );
}

/** The failure text says where the docs promise it and what differed, as the text report does. */
function caseDetails(r: CaseResult): string {
  const at = caseLocation(r);
  return [
    at.message,
    ...r.checks.map((c) => `  ${describeCheck(c)}${c.docLine ? ` (documented at line ${c.docLine})` : ''}`),
    ...(r.request
      ? [`sent: ${r.request.method} ${r.request.url}${r.request.headers.map(([n, v]) => `\n  ${n}: ${v}`).join('')}`]
      : []),
    `${at.where}${r.note ? ` (${r.note})` : ''}`,
  ].join('\n');
}

function caseOf(pageId: string, r: CaseResult): TestCase {
  const at = caseLocation(r);
  const problem = (type: string) => ({
    '@_message': xmlSafe(at.message),
    '@_type': type,
    '#text': xmlSafe(caseDetails(r)),
  });
  return {
    '@_name': xmlSafe(r.sampleId),
    '@_classname': xmlSafe(pageId),
    '@_time': seconds(r.durationMs),
    ...(r.status === 'skipped' ? { skipped: xmlSafe(r.message || 'skipped') } : {}),
    ...(r.status === 'error' ? { error: problem('exchange') } : {}),
    ...(r.status === 'failed' ? { failure: problem(at.first?.check ?? 'conformance') } : {}),
    'system-out': xmlSafe(at.where),
  };
}
