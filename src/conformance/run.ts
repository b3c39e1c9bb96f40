import path from 'node:path';
import { compareJsonWithLive } from '../compare/json.js';
import { shorten } from '../compare/difference.js';
import type { Diagnostic } from '../diagnostics/diagnostic.js';
import { loadPages, type LoadOptions } from '../index.js';
import { parseLiveJson } from '../sample/json.js';
import type { Sample } from '../sample/sample.js';
import { CallbackReceiver } from './callbacks.js';
import { casesOf, type ConformanceCase } from './cases.js';
import { DEFAULT_LIMITS, exchange, ExchangeError, type ClientLimits } from './client.js';
import { describeMismatch, expectationOf, matchResponse, type ActualResponse, type Mismatch } from './match.js';
import { documentedOrigins, planRequest, type OutgoingRequest, type RequestPlan } from './request.js';
import { capture, loadScenarios, type Scenario, type ScenarioStep } from './scenario.js';
import { valueMatcher } from './volatile.js';
import { forEachConcurrently } from '../util/concurrently.js';
import { oncePer } from '../util/memo.js';
import { redact, secretsOf } from '../util/secrets.js';

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
  /** The failed checks, first body difference only. */
  checks: Mismatch[];
  note: string | null;
  /** What was sent, for failed and errored cases; credential headers redacted. */
  request?: { method: string; url: string; headers: [string, string][] };
}

const SECRET_HEADERS = new Set(['authorization', 'cookie', 'proxy-authorization', 'x-api-key', 'set-cookie']);

/** A request as reports show it: credential headers are never printed. */
export function requestDump(request: OutgoingRequest): NonNullable<CaseResult['request']> {
  return { method: request.method, url: request.url, headers: request.headers.map(([n, v]) => [n, SECRET_HEADERS.has(n.toLowerCase()) ? '[REDACTED]' : v]) };
}

export interface ConformanceReport {
  version: 1;
  target: string;
  results: CaseResult[];
  summary: { passed: number; failed: number; skipped: number; errors: number };
  /** Problems reading the docs (missing paths, unreadable files). */
  diagnostics: Diagnostic[];
}

export interface ConformanceOptions extends LoadOptions {
  target: string;
  locale?: string;
  sourceLocale?: string | null;
  vars?: Record<string, string>;
  /** Headers to send with every request (credentials): never printed. */
  headers?: [string, string][];
  soapPaths?: Record<string, string>;
  limits?: Partial<ClientLimits>;
  concurrency?: number;
  /** Folder of scenario files; default `fixtures/scenarios` under the working directory. */
  scenarios?: string | Scenario[];
  notificationTimeoutMs?: number;
  /** Called as each case ends (progress, streaming reporters). */
  onResult?: (result: CaseResult) => void;
  /** Pages already loaded from `inputs` (a caller that also serves them), so they are not read again. */
  loaded?: Awaited<ReturnType<typeof loadPages>>;
}


/** The origins a page's samples name, once per page. */
const originsOf = oncePer((page: ConformanceCase['page']) => documentedOrigins(page.samples));

/** A case's result, built as one object literal (one shape for all results: a replay makes thousands). */
function resultOf(c: ConformanceCase, status: CaseStatus, message: string, checks: Mismatch[], durationMs: number): CaseResult {
  const sample = c.kind === 'exchange' ? c.request : c.expected;
  return { caseId: c.caseId, pageId: c.pageId, sampleId: c.sampleId, file: c.page.file, line: sample.line, locale: c.page.locale, status, message, durationMs, checks, note: c.note };
}

/** Problems reading the docs: the load's own and each page's errors, gathered once per load. */
const readErrors = oncePer((loaded: Awaited<ReturnType<typeof loadPages>>): Diagnostic[] => {
  const found = [...loaded.diagnostics];
  for (const page of loaded.pages) for (const d of page.diagnostics) if (d.severity === 'error') found.push(d);
  return found;
});
const readErrorsOf = (loaded: Awaited<ReturnType<typeof loadPages>>): Diagnostic[] => [...readErrors(loaded)];

/** Compare received notifications with documented ones, in documented order. */
function matchNotification(documented: Sample, received: { body: string } | undefined, origins: string[]): Mismatch[] {
  if (!received) return [{ check: 'body', path: 'notification', expected: 'a notification', actual: '(none arrived in time)' }];
  const body = documented.kind === 'http-request' && documented.http?.body?.type === 'json' ? documented.http.body.json.value : null;
  if (!body) return [];
  const live = parseLiveJson(received.body);
  if (!live.ok) return [{ check: 'body', path: 'notification body', expected: 'JSON', actual: `not JSON (${live.reason}): ${shorten(received.body, 40)}` }];
  const d = compareJsonWithLive(body, live.value, {
    subset: documented.annotation?.['truncated'] === true,
    acceptValue: (e, a) => typeof e === 'string' && typeof a === 'string' && valueMatcher(e, origins).test(a),
  });
  return d ? [{ check: 'body', path: `notification ${d.path}`, expected: d.expected, actual: d.actual }] : [];
}

/**
 * Replay documented requests against an implementation and compare its answers with the
 * documented ones. Pages with a scenario run in order (setup, cases, teardown); the others
 * run with bounded concurrency.
 */
export async function runConformance(inputs: readonly string[], options: ConformanceOptions): Promise<ConformanceReport> {
  const cwd = options.cwd ?? process.cwd();
  const loaded = options.loaded ?? await loadPages(inputs, options);
  const limits: ClientLimits = { ...DEFAULT_LIMITS, ...options.limits };
  const scenarios = Array.isArray(options.scenarios) ? options.scenarios : await loadScenarios(path.resolve(cwd, options.scenarios ?? 'fixtures/scenarios'));
  const byPageId = new Map(loaded.groups.map((g) => [g.pageId, g]));
  const plans = loaded.groups.map((group) => ({ group, cases: casesOf(group, { locale: options.locale, sourceLocale: options.sourceLocale }) })).filter((p) => p.cases.length > 0);
  const results: CaseResult[] = [];
  const record = (r: CaseResult) => { results.push(r); options.onResult?.(r); };
  const receiver = new CallbackReceiver();
  const needsCallbacks = plans.some((p) => scenarios.some((s) => s.page === p.group.pageId) && p.cases.some((c) => c.kind === 'notification'));
  if (needsCallbacks) await receiver.start();

  const secrets = secretsOf(options);
  const vars = (extra: Record<string, string>) => ({ ...options.vars, ...(receiver.url ? { callbackUrl: receiver.url } : {}), ...extra });
  // A scenario's substitutions apply to the page's cases; setup steps run before their captures exist.
  const plan = (sample: Sample, scenario: Scenario | undefined, captured: Record<string, string>, step?: ScenarioStep): RequestPlan => planRequest(sample, {
    target: options.target, soapPaths: options.soapPaths, headers: options.headers,
    vars: vars({ ...scenario?.vars, ...captured }),
    substitute: step ? undefined : scenario?.substitute,
    patch: step ? step.patch : scenario?.patch?.[sample.id],
  });
  /** The response to a request, or why there is none. */
  const send = async (request: OutgoingRequest): Promise<{ request: OutgoingRequest; response: ActualResponse } | { problem: string }> => {
    let response: ActualResponse;
    try {
      response = await exchange(request, limits);
    } catch (error) {
      if (error instanceof ExchangeError) return { problem: error.message };
      throw error;
    }
    // A hostile server may echo credentials back: scrub them before any message is built from the response.
    if (secrets.length > 0) {
      response.body = redact(response.body, secrets);
      for (const k of Object.keys(response.headers)) response.headers[k] = redact(response.headers[k]!, secrets);
    }
    return { request, response };
  };

  const runCase = async (c: ConformanceCase, scenario: Scenario | undefined, captured: Record<string, string>): Promise<void> => {
    const started = performance.now();
    const done = (status: CaseStatus, message: string, checks: Mismatch[] = []) => record(resultOf(c, status, message, checks, Math.round(performance.now() - started)));
    const skip = scenario?.skip?.[c.sampleId];
    if (skip) return done('skipped', `skipped: ${skip}`);
    const origins = originsOf(c.page);
    const expectFailure = scenario?.expectFailure?.[c.sampleId];
    const settle = (checks: Mismatch[], where: string) => {
      const failed = checks.length > 0;
      const detail = checks.map(describeMismatch).join('; ');
      if (expectFailure) return failed ? done('skipped', `expected failure (${expectFailure}): ${detail}`, checks) : done('failed', `expected to fail (${expectFailure}) but passed: remove it from the scenario's expectFailure`);
      return failed ? done('failed', `${detail} (documented at ${where})`, checks) : done('passed', 'conforms');
    };
    if (c.kind === 'notification') return; // judged with its request below
    const expected = expectationOf(c.expected);
    if (!expected) return done('error', `documented response ${c.expected.id} cannot be compared`);
    const from = receiver.count;
    // Most cases that cannot be sent lack a `--var`: they end here, without an exception or an await.
    const planned = plan(c.request, scenario, captured);
    const outcome = planned.problem === undefined ? await send(planned.request) : planned;
    if ('problem' in outcome) {
      done('error', `${outcome.problem} (request documented at ${c.page.file}:${c.request.line})`);
      for (const n of c.notifications) record(resultOf({ ...c, kind: 'notification', expected: n, caseId: `${c.pageId}#${n.id}`, sampleId: n.id }, 'skipped', 'skipped: its request got no response', [], 0));
      return;
    }
    const { request: sent, response } = outcome;
    const before = results.length;
    settle(matchResponse(expected, response, { origins }), `${c.page.file}:${c.expected.line}`);
    const settled = results[before];
    if (settled && settled.status !== 'passed') settled.request = requestDump(sent);
    // The notifications this request triggers, in documented order. Others may arrive in between
    // (a setup request's own notifications): each documented one is the next received that matches.
    let cursor = from;
    for (const n of c.notifications) {
      const nCase: ConformanceCase = { ...c, kind: 'notification', expected: n, caseId: `${c.pageId}#${n.id}`, sampleId: n.id };
      const nStarted = performance.now();
      const nDone = (status: CaseStatus, message: string, checks: Mismatch[] = []) => record(resultOf(nCase, status, message, checks, Math.round(performance.now() - nStarted)));
      if (!scenario) { nDone('skipped', 'skipped: no scenario registers a callback URL ({{callbackUrl}}) for this page'); continue; }
      const nSkip = scenario.skip?.[n.id];
      if (nSkip) { nDone('skipped', `skipped: ${nSkip}`); continue; }
      const deadline = Date.now() + (scenario.notificationTimeoutMs ?? options.notificationTimeoutMs ?? 5000);
      let found = -1;
      let closest: Mismatch[] | null = null;
      for (let seen = cursor; found === -1;) {
        const arrived = receiver.since(0);
        for (; seen < arrived.length; seen++) {
          const checks = matchNotification(n, arrived[seen], origins);
          if (checks.length === 0) { found = seen; break; }
          closest ??= checks;
        }
        if (found !== -1 || !(await receiver.waitFor(seen + 1, deadline - Date.now()))) break;
      }
      if (found === -1) {
        const checks = closest ?? matchNotification(n, undefined, origins);
        nDone('failed', `no matching notification within the timeout; ${checks.map(describeMismatch).join('; ')} (documented at ${c.page.file}:${n.line})`, checks);
      } else {
        cursor = found + 1;
        nDone('passed', 'notification arrived in documented order and shape');
      }
    }
  };

  const runStep = async (step: ScenarioStep, scenario: Scenario, captured: Record<string, string>): Promise<string | null> => {
    const group = step.request.page ? byPageId.get(step.request.page) : byPageId.get(scenario.page);
    const page = group?.pages.find((p) => (options.locale ? p.locale === options.locale : true) && p.samples.some((s) => s.id === step.request.sample)) ?? group?.pages.find((p) => p.samples.some((s) => s.id === step.request.sample));
    const sample = page?.samples.find((s) => s.id === step.request.sample);
    if (!page || !sample) return `${scenario.file}: step ${step.name ?? step.request.sample}: no sample ${step.request.sample} on page ${step.request.page ?? scenario.page} (is that page among the inputs?)`;
    const planned = plan(sample, scenario, captured, step);
    const outcome = planned.problem === undefined ? await send(planned.request) : planned;
    if ('problem' in outcome) return `step ${step.name ?? sample.id}: ${outcome.problem}`;
    const { response } = outcome;
    if (step.expectStatus !== undefined && response.status !== step.expectStatus) return `step ${step.name ?? sample.id}: status ${response.status}, expected ${step.expectStatus}`;
    for (const [name, spec] of Object.entries(step.capture ?? {})) {
      const value = capture(spec, response);
      if (value === null) return `step ${step.name ?? sample.id}: capture ${name} found nothing`;
      captured[name] = value;
    }
    return null;
  };

  try {
    const free = plans.filter((p) => !scenarios.some((s) => s.page === p.group.pageId));
    const scripted = plans.filter((p) => scenarios.some((s) => s.page === p.group.pageId));
    await forEachConcurrently(free.flatMap((p) => p.cases.filter((c) => c.kind === 'exchange')), options.concurrency ?? 4, (c) => runCase(c, undefined, {}));
    for (const plan of scripted) {
      const scenario = scenarios.find((s) => s.page === plan.group.pageId)!;
      const captured: Record<string, string> = {};
      let failure: string | null = null;
      for (const step of scenario.setup ?? []) if (!failure) failure = await runStep(step, scenario, captured);
      if (failure) {
        for (const c of plan.cases) record(resultOf(c, 'error', `scenario setup failed: ${failure}`, [], 0));
      } else {
        for (const c of plan.cases) if (c.kind === 'exchange') await runCase(c, scenario, captured);
      }
      for (const step of scenario.teardown ?? []) await runStep(step, scenario, captured);
    }
  } finally {
    await receiver.stop();
  }

  const order = new Map(plans.flatMap((p) => p.cases).map((c, i) => [c.caseId, i]));
  results.sort((a, b) => (order.get(a.caseId) ?? 0) - (order.get(b.caseId) ?? 0));
  for (const r of results) r.message = redact(r.message, secrets);
  const count = (s: CaseStatus) => results.filter((r) => r.status === s).length;
  return {
    version: 1, target: options.target, results,
    summary: { passed: count('passed'), failed: count('failed'), skipped: count('skipped'), errors: count('error') },
    diagnostics: readErrorsOf(loaded),
  };
}
