/**
 * `lockstep merge`: the JSON reports of the shards of a run (`lint --shard i/n -f json`,
 * `conformance --shard i/n -f json`, or any runs over disjoint page groups) read back into one
 * RunReport, which every reporter then renders as if one run had made it. The JSON documents carry
 * every field a reporter reads, and the pieces are put back in the order a whole run gives them
 * (findings in file order, page groups and cases by page id), so the merged report of a run's
 * shards is the whole run's report, byte for byte (test/merge.test.ts).
 */
import {
  compareDiagnostics,
  countBySeverity,
  type Diagnostic,
  type RelatedLocation,
  type Severity,
} from '../diagnostics/diagnostic.js';
import type { CaseResult, ConformanceReport } from '../conformance/run.js';
import type { LintResult } from '../run/lint-run.js';
import type { Shard } from '../run/shard.js';

/** A report that cannot be merged: not a lockstep JSON report, or one that does not fit the others. */
export class MergeError extends Error {}

/** One input of a merge: what a JSON report held, and the name it is known by in messages. */
export interface ReportPart {
  name: string;
  lint?: LintResult;
  conformance?: ConformanceReport;
}

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
const SEVERITIES: readonly Severity[] = ['error', 'warning', 'info'];

/** Read a finding back; `null` in the JSON is an absent field in the model. */
function diagnosticOf(value: unknown, where: () => string): Diagnostic {
  if (
    !isObject(value) ||
    typeof value['ruleId'] !== 'string' ||
    typeof value['file'] !== 'string' ||
    typeof value['message'] !== 'string' ||
    typeof value['line'] !== 'number' ||
    typeof value['column'] !== 'number' ||
    !SEVERITIES.includes(value['severity'] as Severity)
  ) {
    throw new MergeError(`${where()}: not a finding (ruleId, severity, file, line, column, message)`);
  }
  const d: Diagnostic = {
    ruleId: value['ruleId'],
    severity: value['severity'] as Severity,
    message: value['message'],
    file: value['file'],
    line: value['line'],
    column: value['column'],
  };
  if (typeof value['endLine'] === 'number') d.endLine = value['endLine'];
  if (typeof value['endColumn'] === 'number') d.endColumn = value['endColumn'];
  if (typeof value['locale'] === 'string') d.locale = value['locale'];
  if (typeof value['pageId'] === 'string') d.pageId = value['pageId'];
  if (typeof value['sampleId'] === 'string') d.sampleId = value['sampleId'];
  if (Array.isArray(value['related'])) {
    d.related = value['related'].filter(isObject).map((r): RelatedLocation => ({
      file: String(r['file']),
      line: Number(r['line']),
      ...(typeof r['column'] === 'number' ? { column: r['column'] } : {}),
      ...(typeof r['locale'] === 'string' ? { locale: r['locale'] } : {}),
      ...(typeof r['message'] === 'string' ? { message: r['message'] } : {}),
    }));
  }
  const fix = value['fix'];
  if (isObject(fix) && typeof fix['authority'] === 'string' && Array.isArray(fix['edits'])) {
    const edits = fix['edits'].filter(isObject).map((e) => ({
      line: Number(e['line']),
      column: Number(e['column']),
      endLine: Number(e['endLine']),
      endColumn: Number(e['endColumn']),
      text: String(e['text'] ?? ''),
    }));
    d.fix = { authority: fix['authority'], edits: [], resolved: edits };
  }
  return d;
}

function shardOfJson(value: unknown, name: string): Shard | undefined {
  if (value === undefined) return undefined;
  if (!isObject(value) || !Number.isInteger(value['index']) || !Number.isInteger(value['count']))
    throw new MergeError(`${name}: \`shard\` is not {index, count}`);
  return { index: (value['index'] as number) - 1, count: value['count'] as number };
}

function lintOf(doc: Json, name: string): LintResult {
  const list = (key: string) => {
    const v = doc[key];
    if (v === undefined) return [];
    if (!Array.isArray(v)) throw new MergeError(`${name}: \`${key}\` is not a list`);
    return v.map((d, i) => diagnosticOf(d, () => `${name}: ${key}[${i}]`));
  };
  const summary = doc['summary'];
  if (!Array.isArray(doc['pageGroups'])) {
    throw new MergeError(
      `${name}: a lint report without pageGroups (written by lockstep before merge existed): run lint again`,
    );
  }
  if (!isObject(summary) || !Array.isArray(summary['locales']))
    throw new MergeError(`${name}: a lint report without its summary`);
  const result: LintResult = {
    diagnostics: list('diagnostics'),
    pageGroups: doc['pageGroups'] as LintResult['pageGroups'],
    summary: summary as unknown as LintResult['summary'],
  };
  if (doc['baselined'] !== undefined) result.baselined = list('baselined');
  const shard = shardOfJson(doc['shard'], name);
  if (shard) result.shard = shard;
  return result;
}

function conformanceOf(doc: Json, name: string): ConformanceReport {
  if (typeof doc['target'] !== 'string' || !Array.isArray(doc['results']) || !isObject(doc['summary'])) {
    throw new MergeError(`${name}: a conformance report without target, results or summary`);
  }
  const diagnostics = Array.isArray(doc['diagnostics'])
    ? doc['diagnostics'].map((d, i) => diagnosticOf(d, () => `${name}: diagnostics[${i}]`))
    : [];
  const report: ConformanceReport = {
    version: 1,
    target: doc['target'],
    results: doc['results'] as CaseResult[],
    summary: doc['summary'] as ConformanceReport['summary'],
    diagnostics,
  };
  const shard = shardOfJson(doc['shard'], name);
  if (shard) report.shard = shard;
  return report;
}

/** Read one JSON report (lint, conformance, or the two nested as `demo` writes them). */
export function parseReport(text: string, name: string): ReportPart {
  let doc: unknown;
  try {
    doc = JSON.parse(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text);
  } catch (error) {
    throw new MergeError(`${name}: not JSON (${(error as Error).message}); merge reads the reports of -f json`);
  }
  if (!isObject(doc) || doc['version'] !== 1)
    throw new MergeError(`${name}: not a lockstep JSON report (version 1); merge reads the reports of -f json`);
  if (isObject(doc['lint']) || isObject(doc['conformance'])) {
    return {
      name,
      ...(isObject(doc['lint']) ? { lint: lintOf(doc['lint'], name) } : {}),
      ...(isObject(doc['conformance']) ? { conformance: conformanceOf(doc['conformance'], name) } : {}),
    };
  }
  if ('results' in doc) return { name, conformance: conformanceOf(doc, name) };
  if ('diagnostics' in doc && 'summary' in doc && !('pages' in doc)) return { name, lint: lintOf(doc, name) };
  throw new MergeError(`${name}: not a lint or conformance report (an extract report cannot be merged)`);
}

const byPageId = <T extends { pageId: string }>(a: T, b: T) => (a.pageId < b.pageId ? -1 : a.pageId > b.pageId ? 1 : 0);

/**
 * When the parts say which shards they are, all of one split and each once: a missing shard would
 * make a partial report look like a whole one (and a gate pass that should fail).
 */
function checkShards(parts: readonly { name: string; shard?: Shard }[], what: string): void {
  const sharded = parts.filter((p) => p.shard);
  if (sharded.length === 0) return;
  const count = sharded[0]!.shard!.count;
  const other = sharded.find((p) => p.shard!.count !== count);
  if (other)
    throw new MergeError(
      `${other.name}: ${what} shard ${other.shard!.index + 1}/${other.shard!.count}, ` +
        `but ${sharded[0]!.name} is one of ${count}: shards of different splits`,
    );
  const seen = new Map<number, string>();
  for (const p of sharded) {
    const before = seen.get(p.shard!.index);
    if (before) throw new MergeError(`${p.name}: ${what} shard ${p.shard!.index + 1}/${count} again (also ${before})`);
    seen.set(p.shard!.index, p.name);
  }
  const missing = Array.from({ length: count }, (_, i) => i).filter((i) => !seen.has(i));
  if (missing.length > 0) {
    throw new MergeError(
      `${what} shard${missing.length === 1 ? '' : 's'} ` +
        `${missing.map((i) => `${i + 1}/${count}`).join(', ')} missing: ` +
        'the merged report would cover only part of the doc set',
    );
  }
}

export function mergeLint(parts: readonly { name: string; lint: LintResult }[]): LintResult {
  checkShards(
    parts.map((p) => ({ name: p.name, shard: p.lint.shard })),
    'lint',
  );
  const owner = new Map<string, string>();
  for (const { name, lint } of parts) {
    for (const g of lint.pageGroups) {
      const before = owner.get(g.pageId);
      if (before)
        throw new MergeError(`${name}: page group ${g.pageId} is also in ${before}: the same pages checked twice`);
      owner.set(g.pageId, name);
    }
  }
  // A stable sort of the concatenation: findings that tie (same file and place) come from one
  // page group, whose own order every shard keeps.
  const diagnostics = parts.flatMap((p) => p.lint.diagnostics).sort(compareDiagnostics);
  const pageGroups = parts.flatMap((p) => p.lint.pageGroups).sort(byPageId);
  const counts = countBySeverity(diagnostics);
  const sum = (key: 'pages' | 'pageGroups' | 'samples') => parts.reduce((n, p) => n + p.lint.summary[key], 0);
  const withBaseline = parts.filter((p) => p.lint.baselined !== undefined || p.lint.summary.baselined !== undefined);
  const result: LintResult = {
    diagnostics,
    pageGroups,
    summary: {
      pages: sum('pages'),
      pageGroups: sum('pageGroups'),
      locales: [...new Set(parts.flatMap((p) => p.lint.summary.locales))].sort(),
      samples: sum('samples'),
      errors: counts.error,
      warnings: counts.warning,
      infos: counts.info,
    },
  };
  if (withBaseline.length > 0) {
    result.baselined = parts.flatMap((p) => p.lint.baselined ?? []).sort(compareDiagnostics);
    result.summary.baselined = parts.reduce((n, p) => n + (p.lint.summary.baselined ?? 0), 0);
  }
  return result;
}

export function mergeConformance(
  parts: readonly { name: string; conformance: ConformanceReport }[],
): ConformanceReport {
  checkShards(
    parts.map((p) => ({ name: p.name, shard: p.conformance.shard })),
    'conformance',
  );
  const targets = [...new Set(parts.map((p) => p.conformance.target))];
  if (targets.length > 1)
    throw new MergeError(`conformance reports replayed against different targets (${targets.join(', ')}): not one run`);
  const owner = new Map<string, string>();
  for (const { name, conformance } of parts) {
    for (const r of conformance.results) {
      const before = owner.get(r.caseId);
      if (before && before !== name)
        throw new MergeError(`${name}: case ${r.caseId} is also in ${before}: the same cases replayed twice`);
      owner.set(r.caseId, name);
    }
  }
  // A whole run reports its cases page group by page group, in page-id order; a stable sort keeps
  // each group's own order (an exchange, then the notifications it triggers).
  const results = parts.flatMap((p) => p.conformance.results).sort(byPageId);
  const summary = { passed: 0, failed: 0, skipped: 0, errors: 0 };
  for (const r of results) summary[r.status === 'error' ? 'errors' : r.status]++;
  return {
    version: 1,
    target: targets[0]!,
    results,
    summary,
    diagnostics: parts.flatMap((p) => p.conformance.diagnostics).sort(compareDiagnostics),
  };
}

/** Join the parts: lint with lint, conformance with conformance. */
export function mergeReports(parts: readonly ReportPart[]): { lint?: LintResult; conformance?: ConformanceReport } {
  if (parts.length === 0) throw new MergeError('no report to merge');
  const lints = parts.filter((p): p is ReportPart & { lint: LintResult } => p.lint !== undefined);
  const replays = parts.filter(
    (p): p is ReportPart & { conformance: ConformanceReport } => p.conformance !== undefined,
  );
  return {
    ...(lints.length > 0 ? { lint: mergeLint(lints) } : {}),
    ...(replays.length > 0 ? { conformance: mergeConformance(replays) } : {}),
  };
}
