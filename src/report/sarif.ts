import { pathToFileURL } from 'node:url';
import { caseLocation } from '../conformance/location.js';
import type { CaseResult, ConformanceReport } from '../conformance/run.js';
import { ALL_RULES, describeRule } from '../lint/catalogue.js';
import type { Diagnostic, RelatedLocation, Severity } from '../diagnostics/diagnostic.js';
import type { LintResult } from '../run/lint-run.js';
import { RULES } from '../lint/rules/index.js';
import { diagnosticFingerprints, fingerprintsOf } from '../diagnostics/fingerprint.js';
import type { RunReport } from './model.js';

/**
 * SARIF 2.1.0 for GitHub code scanning and other SARIF viewers: one run per tool part (lint,
 * conformance), rules with help and default levels, results at their physical location in the
 * localized page (UTF-16 columns, as lockstep counts them), the other locales as related
 * locations, and fingerprints that survive line shifts so a finding keeps its identity across runs.
 */
export function renderSarif(report: RunReport): object {
  const runs: object[] = [];
  if (report.lint) runs.push(lintRun(report, report.lint));
  if (report.conformance) runs.push(conformanceRun(report, report.conformance));
  return {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs,
  };
}

const LEVEL: Record<Severity, 'error' | 'warning' | 'note'> = { error: 'error', warning: 'warning', info: 'note' };
const SRCROOT = '%SRCROOT%';

/** A relative, forward-slashed, percent-encoded URI for a path as findings name it. */
export function artifactUri(file: string): string {
  return file.split(/[\\/]/).map(encodeURIComponent).join('/');
}

function driver(report: RunReport, name: string, rules: object[]) {
  return { name, version: report.tool.version, semanticVersion: report.tool.version, rules };
}

function runBase(report: RunReport) {
  return {
    originalUriBaseIds: { [SRCROOT]: { uri: `${pathToFileURL(report.cwd).href.replace(/\/?$/, '/')}` } },
    columnKind: 'utf16CodeUnits',
  };
}

function physical(file: string, line: number, column?: number, endLine?: number, endColumn?: number) {
  return {
    artifactLocation: { uri: artifactUri(file), uriBaseId: SRCROOT },
    region: {
      startLine: Math.max(1, line),
      ...(column ? { startColumn: Math.max(1, column) } : {}),
      ...(endLine ? { endLine } : {}),
      ...(endColumn ? { endColumn } : {}),
    },
  };
}

function lintRun(report: RunReport, lint: LintResult): object {
  const ids = [...new Set(lint.diagnostics.map((d) => d.ruleId))];
  // Every rule that ran, so that a viewer can show "no results for rule X", then any other id seen.
  const ruleIds = [...new Set([...ALL_RULES.map((r) => r.id), ...ids])];
  const index = new Map(ruleIds.map((id, i) => [id, i]));
  const prints = diagnosticFingerprints(lint.diagnostics);
  return {
    tool: { driver: driver(report, 'lockstep lint', ruleIds.map(ruleDescriptor)) },
    ...runBase(report),
    invocations: [{ executionSuccessful: true }],
    results: lint.diagnostics.map((d, i) => ({
      ruleId: d.ruleId,
      ruleIndex: index.get(d.ruleId),
      level: LEVEL[d.severity],
      message: { text: d.message },
      locations: [{ physicalLocation: physical(d.file, d.line, d.column, d.endLine, d.endColumn) }],
      ...(d.related?.length ? { relatedLocations: d.related.map(relatedLocation) } : {}),
      partialFingerprints: { 'lockstepFinding/v1': prints[i] },
      properties: { locale: d.locale ?? null, pageId: d.pageId ?? null, sampleId: d.sampleId ?? null },
      ...(d.fix?.resolved && !d.fix.notFixed ? { fixes: [sarifFix(d)] } : {}),
    })),
  };
}

/** The repair `lint --fix` would write, as a SARIF fix: replacements of regions of the finding's file. */
function sarifFix(d: Diagnostic): object {
  return {
    description: { text: `Restore from ${d.fix!.authority}` },
    artifactChanges: [
      {
        artifactLocation: { uri: artifactUri(d.file), uriBaseId: SRCROOT },
        replacements: d.fix!.resolved!.map((e) => ({
          deletedRegion: { startLine: e.line, startColumn: e.column, endLine: e.endLine, endColumn: e.endColumn },
          insertedContent: { text: e.text },
        })),
      },
    ],
  };
}

function relatedLocation(r: RelatedLocation, id: number) {
  return {
    id,
    physicalLocation: physical(r.file, r.line, r.column),
    message: { text: [r.locale, r.message].filter(Boolean).join(': ') || r.file },
  };
}

function ruleDescriptor(id: string): object {
  const rule = describeRule(id);
  const first = rule.description.split(/(?<=\.)\s/)[0]!;
  // A lint rule's doc (rules/<id>.md) ships in the package, but `helpUri` must be an absolute URI and
  // lockstep names no repository or site to point at: the help names the doc, and carries its Why.
  const doc = RULES.find((r) => r.meta.id === id)?.meta.docs;
  const help = doc
    ? {
        text: `${rule.description} (family: ${rule.family}; see ${doc.path} in the lockstep package.)`,
        markdown: `${doc.description}\n\n${doc.why}\n\nExamples: \`${doc.path}\` in the lockstep package.`,
      }
    : { text: `${rule.description} (family: ${rule.family}; see the README's rule table.)` };
  return {
    id,
    name: id.replace(/-(.)/g, (_, c: string) => c.toUpperCase()).replace(/^./, (c) => c.toUpperCase()),
    shortDescription: { text: first },
    fullDescription: { text: rule.description },
    help,
    defaultConfiguration: { level: LEVEL[rule.severity] },
    properties: { family: rule.family, tags: ['localization', rule.family] },
  };
}

/** Conformance findings are the cases that did not pass, under a rule per kind of failed check. */
const CONFORMANCE_RULES: Record<string, string> = {
  'conformance/status': 'The status code differs from the documented response.',
  'conformance/header': 'A documented response header is missing or differs.',
  'conformance/content-type': 'The media type differs from the documented response.',
  'conformance/body': 'The response body differs from the documented one (first differing node, expected vs actual).',
  'conformance/empty-body': 'A body where the docs document none (e.g. on 204), or none where they document one.',
  'conformance/failed':
    'The case failed for another reason (a scenario step, a missing notification, an expected failure that passed).',
  'conformance/exchange':
    'The exchange itself failed: connection refused or reset, timeout, oversized or invalid response, ' +
    'a refused redirect.',
};

function conformanceRuleOf(r: CaseResult): string {
  if (r.status === 'error') return 'conformance/exchange';
  const check = caseLocation(r).first?.check;
  return check ? `conformance/${check}` : 'conformance/failed';
}

function conformanceRun(report: RunReport, conformance: ConformanceReport): object {
  const ruleIds = Object.keys(CONFORMANCE_RULES);
  const index = new Map(ruleIds.map((id, i) => [id, i]));
  const failing = conformance.results.filter((r) => r.status === 'failed' || r.status === 'error');
  const prints = fingerprintsOf(failing, (r) =>
    [conformanceRuleOf(r), r.caseId, caseLocation(r).first?.path ?? ''].join('\u0000'),
  );
  const inputProblems: Diagnostic[] = conformance.diagnostics;
  return {
    tool: {
      driver: driver(report, 'lockstep conformance', [
        ...ruleIds.map((id) => ({
          id,
          name: id.split('/')[1],
          shortDescription: { text: CONFORMANCE_RULES[id] },
          help: { text: CONFORMANCE_RULES[id] },
          defaultConfiguration: { level: 'error' },
        })),
      ]),
    },
    ...runBase(report),
    invocations: [{ executionSuccessful: true, properties: { target: conformance.target } }],
    results: [
      ...failing.map((r, i) => {
        const ruleId = conformanceRuleOf(r);
        const at = caseLocation(r);
        return {
          ruleId,
          ruleIndex: index.get(ruleId),
          level: 'error',
          message: { text: `${r.caseId}: ${at.message}` },
          locations: [{ physicalLocation: physical(at.file, at.docLine) }],
          partialFingerprints: { 'lockstepCase/v1': prints[i] },
          properties: {
            caseId: r.caseId,
            status: r.status,
            locale: r.locale,
            target: conformance.target,
            checks: r.checks.map((c) => ({ check: c.check, path: c.path, expected: c.expected, actual: c.actual })),
            ...(r.request ? { request: r.request } : {}),
          },
        };
      }),
      // Docs that could not be read are results too: the suite is incomplete without them.
      ...inputProblems.map((d) => ({
        ruleId: d.ruleId,
        level: LEVEL[d.severity],
        message: { text: d.message },
        locations: [{ physicalLocation: physical(d.file, d.line, d.column) }],
      })),
    ],
  };
}
