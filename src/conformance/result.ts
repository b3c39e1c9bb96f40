/** What a replay produces: a result per case and the run's report (the reporters read these). */
import { compareDiagnostics, type Diagnostic } from '../diagnostics/diagnostic.js';
import type { LoadResult } from '../group/load.js';
import { shardOf, type Shard } from '../run/shard.js';
import { oncePer } from '../util/memo.js';
import { isSecretHeader, redact } from '../util/secrets.js';
import type { ConformanceCase } from './cases.js';
import type { Mismatch } from './match.js';
import type { OutgoingRequest } from './request.js';

export type CaseStatus = 'passed' | 'failed' | 'skipped' | 'error';

export interface CaseResult {
  caseId: string;
  pageId: string;
  sampleId: string;
  file: string;
  line: number;
  locale: string | null;
  status: CaseStatus;
  message: string;
  durationMs: number;
  /** The failed checks: every difference found, up to 20 per case (the message counts the rest). */
  checks: Mismatch[];
  note: string | null;
  /** What was sent, for failed and errored cases; credential headers redacted. */
  request?: { method: string; url: string; headers: [string, string][] };
}

export interface ConformanceReport {
  version: 1;
  target: string;
  results: CaseResult[];
  summary: { passed: number; failed: number; skipped: number; errors: number };
  /** Problems reading the docs (missing paths, unreadable files), in file order. */
  diagnostics: Diagnostic[];
  /** The shard this run replayed (`shard` option), so that `lockstep merge` can tell when one is missing. */
  shard?: Shard;
}

/** A request as reports show it: credential headers are never printed. */
export function requestDump(request: OutgoingRequest): NonNullable<CaseResult['request']> {
  const headers = request.headers.map(([n, v]): [string, string] => [n, isSecretHeader(n, v) ? '[REDACTED]' : v]);
  return { method: request.method, url: request.url, headers };
}

/**
 * Cut the user's credentials out of all a result shows: the request dump holds what was sent (a
 * custom header's value); the rest is a net under the scrubbing of what arrives.
 */
export function redactResult(r: CaseResult, secrets: readonly string[]): void {
  const cut = (text: string) => redact(text, secrets);
  r.message = cut(r.message);
  r.checks = r.checks.map((m) => ({ ...m, path: cut(m.path), expected: cut(m.expected), actual: cut(m.actual) }));
  if (r.request) {
    r.request = { ...r.request, url: cut(r.request.url), headers: r.request.headers.map(([n, v]) => [n, cut(v)]) };
  }
}

/** A case's result, built as one object literal (one shape for all results: a replay makes thousands). */
export function resultOf(
  c: ConformanceCase,
  status: CaseStatus,
  message: string,
  checks: Mismatch[],
  durationMs: number,
): CaseResult {
  const sample = c.kind === 'exchange' ? c.request : c.expected;
  return {
    caseId: c.caseId,
    pageId: c.pageId,
    sampleId: c.sampleId,
    file: c.page.file,
    line: sample.line,
    locale: c.page.locale,
    status,
    message,
    durationMs,
    checks,
    note: c.note,
  };
}

/** The counts of a run's results by status. */
export function summaryOf(results: readonly CaseResult[]): ConformanceReport['summary'] {
  const summary = { passed: 0, failed: 0, skipped: 0, errors: 0 };
  for (const r of results) summary[r.status === 'error' ? 'errors' : r.status]++;
  return summary;
}

/** Problems reading the docs: the load's own and each page's errors, gathered once per load. */
const readErrors = oncePer((loaded: LoadResult): Diagnostic[] => {
  const found = [...loaded.diagnostics];
  for (const page of loaded.pages) for (const d of page.diagnostics) if (d.severity === 'error') found.push(d);
  // In file order, so that the shards of a run merge into the same list the whole run gives.
  return found.sort(compareDiagnostics);
});

/** The problems reading the docs that belong to a shard: a page's go with its group's, the others to the first. */
export function readProblems(loaded: LoadResult, shard: Shard | undefined): Diagnostic[] {
  const shardOfFile = new Map(
    loaded.groups.flatMap((g) => g.pages.map((p) => [p.file, shardOf(g.pageId, shard?.count ?? 1)] as const)),
  );
  const inShard = (d: Diagnostic) => !shard || (shardOfFile.get(d.file) ?? 0) === shard.index;
  return readErrors(loaded).filter(inShard);
}

/** Why a run tested nothing, or null when it tested something: a run that sent nothing is not a pass. */
export function testedNothing(
  results: readonly Pick<CaseResult, 'status' | 'message'>[],
  inputs: readonly string[],
): string | null {
  if (results.length === 0) {
    return `tested nothing: no documented request with a response in ${inputs.join(' ')} (or none selected)`;
  }
  // An expected failure that failed was sent and compared: it is reported skipped, but it was tested.
  const untested = results.filter((r) => r.status === 'skipped' && !r.message.startsWith('expected failure'));
  if (untested.length === results.length) return `tested nothing: all ${results.length} cases were skipped`;
  return null;
}
