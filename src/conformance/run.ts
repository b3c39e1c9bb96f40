import path from 'node:path';
import { compareDiagnostics, type Diagnostic } from '../diagnostics/diagnostic.js';
import { loadPages, type LoadOptions } from '../group/load.js';
import type { Page } from '../page/page.js';
import type { Sample } from '../sample/sample.js';
import { CallbackReceiver } from './callbacks.js';
import { casesOf, type ConformanceCase } from './cases.js';
import { ConformanceOptionError } from './errors.js';
import { DEFAULT_LIMITS, exchange, ExchangeError, type ClientLimits } from './client.js';
import { createdPins, echoPins } from './echo.js';
import { describeAll, matchResponse, type ActualResponse, type Mismatch } from './match.js';
import { awaitNotifications } from './notifications.js';
import { casePattern, matchesAny, selectCases } from './select.js';
import { filledSubstitutions, planRequest, type OutgoingRequest, type RequestPlan } from './request.js';
import { capture, findScenarioFolders, loadScenarios, type Scenario, type ScenarioStep } from './scenario.js';
import { forEachConcurrently } from '../util/concurrently.js';
import { oncePer } from '../util/memo.js';
import { isSecretHeader, redact, secretsOf } from '../util/secrets.js';
import { shardOf, type Shard } from '../scale/shard.js';

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

/** A request as reports show it: credential headers are never printed. */
export function requestDump(request: OutgoingRequest): NonNullable<CaseResult['request']> {
  return { method: request.method, url: request.url, headers: request.headers.map(([n, v]) => [n, isSecretHeader(n, v) ? '[REDACTED]' : v]) };
}

/** Cut the user's credentials out of all a result shows: the request dump holds what was sent (a custom header's value); the rest is a net under the scrubbing of what arrives. */
function redactResult(r: CaseResult, secrets: readonly string[]): void {
  r.message = redact(r.message, secrets);
  r.checks = r.checks.map((m) => ({ ...m, path: redact(m.path, secrets), expected: redact(m.expected, secrets), actual: redact(m.actual, secrets) }));
  if (r.request) r.request = { ...r.request, url: redact(r.request.url, secrets), headers: r.request.headers.map(([n, v]) => [n, redact(v, secrets)]) };
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
  /** Folder of scenario files, or the scenarios; default: the `.lockstep/scenarios` folder of the docs (found from each input upwards). */
  scenarios?: string | Scenario[];
  notificationTimeoutMs?: number;
  /** JSON members the docs do not show fail the case (default: they pass, as a tolerant client reads them). */
  strict?: boolean;
  /** Documented path prefixes → the implementation's (`{ "/beta": "/" }`). */
  pathMap?: Record<string, string>;
  /** Only the cases whose id (or page id) matches one of these ids or globs. */
  cases?: readonly string[];
  /** Leave out the cases whose id (or page id) matches one of these. */
  skipCases?: readonly string[];
  /** Where the callback receiver listens (default 127.0.0.1, a free port). */
  callbackListen?: { host: string; port: number };
  /** The URL a service is told to call back (default: the receiver's own): a public URL that forwards to it. */
  callbackUrl?: string;
  /**
   * Replay only the page groups of this shard (0-based index; the split lint's `--shard` makes, by
   * a hash of the page id), so a CI matrix covers each case once; problems reading the inputs
   * themselves go to the first shard.
   */
  shard?: Shard;
  /** Called once, before the first request, with the number of cases planned (progress shows done/total). */
  onPlanned?: (total: number) => void;
  /** Called as each case ends (progress, streaming reporters). */
  onResult?: (result: CaseResult) => void;
  /** Pages already loaded from `inputs` (a caller that also serves them), so they are not read again. */
  loaded?: Awaited<ReturnType<typeof loadPages>>;
}


/** Why a scenario skips a sample: its id as a key, or a glob key (`"join-*": "not yet"`) that matches it. */
function scenarioSkip(scenario: Scenario, sampleId: string): string | undefined {
  const skip = scenario.skip;
  if (!skip) return undefined;
  if (Object.hasOwn(skip, sampleId)) return skip[sampleId];
  const key = Object.keys(skip).find((k) => /[*?]/.test(k) && casePattern(k).test(sampleId));
  return key === undefined ? undefined : skip[key];
}

/** A case's result, built as one object literal (one shape for all results: a replay makes thousands). */
function resultOf(c: ConformanceCase, status: CaseStatus, message: string, checks: Mismatch[], durationMs: number): CaseResult {
  const sample = c.kind === 'exchange' ? c.request : c.expected;
  return { caseId: c.caseId, pageId: c.pageId, sampleId: c.sampleId, file: c.page.file, line: sample.line, locale: c.page.locale, status, message, durationMs, checks, note: c.note };
}

/** Problems reading the docs: the load's own and each page's errors, gathered once per load. */
const readErrors = oncePer((loaded: Awaited<ReturnType<typeof loadPages>>): Diagnostic[] => {
  const found = [...loaded.diagnostics];
  for (const page of loaded.pages) for (const d of page.diagnostics) if (d.severity === 'error') found.push(d);
  // In file order, so that the shards of a run merge into the same list the whole run gives.
  return found.sort(compareDiagnostics);
});
const readErrorsOf = (loaded: Awaited<ReturnType<typeof loadPages>>): Diagnostic[] => [...readErrors(loaded)];

/**
 * Replay documented requests against an implementation and compare its answers with the
 * documented ones. Pages with a scenario run in order (setup, cases, teardown); the others
 * run with bounded concurrency.
 */
export async function runConformance(inputs: readonly string[], options: ConformanceOptions): Promise<ConformanceReport> {
  const cwd = options.cwd ?? process.cwd();
  const loaded = options.loaded ?? await loadPages(inputs, options);
  const limits: ClientLimits = { ...DEFAULT_LIMITS, ...options.limits };
  const scenarios = Array.isArray(options.scenarios) ? options.scenarios
    : options.scenarios !== undefined ? await loadScenarios(path.resolve(cwd, options.scenarios))
      : (await Promise.all((await findScenarioFolders(inputs, cwd)).map(loadScenarios))).flat();
  const caseOptions = { locale: options.locale, sourceLocale: options.sourceLocale };
  const selection = { cases: options.cases, skip: options.skipCases };
  const { shard } = options;
  const plans = loaded.groups
    .filter((group) => !shard || shardOf(group.pageId, shard.count) === shard.index)
    .map((group) => ({ group, cases: selectCases(casesOf(group, caseOptions), selection) })).filter((p) => p.cases.length > 0);
  // Every case has a slot, in plan order (an exchange, then the notifications it triggers): results
  // land in their slots as they end, so the report comes out in plan order without a sort.
  const ordered: ConformanceCase[] = [];
  for (const p of plans) ordered.push(...p.cases);
  const slots: (CaseResult | undefined)[] = new Array(ordered.length);
  options.onPlanned?.(ordered.length);
  const secrets = secretsOf(options);
  const record = (slot: number, r: CaseResult) => {
    if (secrets.length > 0) redactResult(r, secrets); // before any reporter sees it
    slots[slot] = r;
    options.onResult?.(r);
  };
  // Responses are compared as they arrived; a message that quotes live text cuts the user's
  // credentials out first (a quote may be cut short, and a cut token could no longer be found).
  const present = (text: string) => (secrets.length > 0 ? redact(text, secrets) : text);
  const receiver = new CallbackReceiver();
  // The receiver is started for a page with a scenario whose cases await notifications, or whose steps
  // and patches name {{callbackUrl}} (a selection may hold no notification case and still register it).
  const namesCallback = (s: Scenario) => /\{\{\s*callbackUrl\s*\}\}/.test(JSON.stringify(s));
  const needsCallbacks = plans.some((p) => scenarios.some((s) => s.page === p.group.pageId && (namesCallback(s) || p.cases.some((c) => c.kind === 'notification'))));
  const skippedBySelection = (options.skipCases ?? []).map(casePattern);
  if (needsCallbacks) {
    const { host = '127.0.0.1', port = 0 } = options.callbackListen ?? {};
    await receiver.start(host, port).catch((error: NodeJS.ErrnoException) => {
      throw new ConformanceOptionError(`--callback-listen ${host}:${port}: ${error.code === 'EADDRINUSE' ? 'address already in use' : error.code === 'EADDRNOTAVAIL' ? 'no such local address' : error.message}`);
    });
  }
  const callbackUrl = needsCallbacks ? options.callbackUrl ?? receiver.url : '';

  // A scenario's empty value is one still to fill in (`lockstep init` writes them so): it does not hide a --var.
  const filled = (values: Record<string, string> | undefined) => Object.fromEntries(Object.entries(values ?? {}).filter(([, v]) => v !== ''));
  const vars = (extra: Record<string, string>) => ({ ...options.vars, ...(callbackUrl ? { callbackUrl } : {}), ...extra });
  const freeVars = vars({}); // the same for every case without a scenario
  // A scenario's substitutions apply to the page's cases; setup steps run before their captures exist.
  const plan = (sample: Sample, scenario: Scenario | undefined, captured: Record<string, string>, step?: ScenarioStep): RequestPlan => planRequest(sample, {
    target: options.target, soapPaths: options.soapPaths, headers: options.headers, pathMap: options.pathMap,
    vars: scenario ? vars({ ...filled(scenario.vars), ...captured }) : freeVars,
    substitute: step ? undefined : scenario?.substitute,
    patch: step ? step.patch : scenario?.patch?.[sample.id],
  });
  /** The response to a request, or why there is none. */
  const send = async (request: OutgoingRequest): Promise<{ request: OutgoingRequest; response: ActualResponse } | { problem: string }> => {
    try {
      return { request, response: await exchange(request, limits) };
    } catch (error) {
      if (error instanceof ExchangeError) return { problem: error.message };
      throw error;
    }
  };

  /** Run the exchange case in `slot` (its notification cases follow it). */
  const runCase = async (slot: number, scenario: Scenario | undefined, captured: Record<string, string>): Promise<void> => {
    const c = ordered[slot]!;
    const started = performance.now();
    /** `sent`: the request, shown with a case that did not pass. */
    const done = (status: CaseStatus, message: string, checks: Mismatch[] = [], sent?: OutgoingRequest) => {
      const result = resultOf(c, status, message, checks, Math.round(performance.now() - started));
      if (sent && status !== 'passed') result.request = requestDump(sent);
      record(slot, result);
    };
    /** A request not sent, not answered or answered with another status ends the notifications it triggers at once. */
    const endNotifications = (why: string) => c.notifications.forEach((_n, i) => record(slot + 1 + i, resultOf(ordered[slot + 1 + i]!, 'skipped', `skipped: ${why}`, [], 0)));
    const skip = scenario ? scenarioSkip(scenario, c.sampleId) : undefined;
    if (skip) {
      done('skipped', `skipped: ${skip}`);
      return endNotifications('its request is skipped');
    }
    const expectFailure = scenario?.expectFailure?.[c.sampleId];
    const settle = (checks: Mismatch[], more: number, sent: OutgoingRequest) => {
      const failed = checks.length > 0;
      const detail = describeAll(checks, more);
      if (expectFailure && failed) return done('skipped', `expected failure (${expectFailure}): ${detail}`, checks, sent);
      if (expectFailure) {
        return done('failed', `expected to fail (${expectFailure}) but passed: remove it from the scenario's expectFailure`, [], sent);
      }
      if (failed) return done('failed', `${detail} (documented at ${c.page.file}:${c.expected.line})`, checks, sent);
      return done('passed', 'conforms');
    };
    const expected = c.expectation;
    if (!expected) {
      done('error', `documented response ${c.expected.id} cannot be compared`);
      return endNotifications('its request was not sent');
    }
    const from = receiver.count;
    // Most cases that cannot be sent lack a `--var`: they end here, without an exception or an await.
    const planned = plan(c.request, scenario, captured);
    const outcome = planned.problem === undefined ? await send(planned.request) : planned;
    if ('problem' in outcome) {
      done('error', `${outcome.problem} (request documented at ${c.page.file}:${c.request.line})`);
      return endNotifications('its request got no response');
    }
    const { request: sent, response } = outcome;
    const substituted = scenario?.substitute ? filledSubstitutions(scenario.substitute, vars({ ...filled(scenario.vars), ...captured })) : [];
    const pins = echoPins(c.request, sent, substituted);
    const matched = matchResponse(expected, response, { origins: c.origins, pins, strict: options.strict, present, pathMap: options.pathMap });
    settle(matched.mismatches, matched.more, sent);
    if (c.notifications.length === 0) return;
    if (!scenario) return endNotifications('no scenario registers a callback URL ({{callbackUrl}}) for this page');
    // A service that refused the request sends no notification for it; one that answered with a wrong 2xx may.
    if (response.status >= 400) return endNotifications(`its request failed (status ${response.status}, documented ${expected.status})`);
    const skipOf = (sc: Scenario, nc: ConformanceCase) => scenarioSkip(sc, nc.sampleId) ?? (matchesAny(skippedBySelection, nc) ? 'left out by --skip' : undefined);
    const awaited = c.notifications.filter((_n, i) => !skipOf(scenario, ordered[slot + 1 + i]!));
    const timeout = scenario.notificationTimeoutMs ?? options.notificationTimeoutMs ?? 5000;
    const nStarted = performance.now();
    const verdicts = await awaitNotifications(awaited, receiver, from, timeout, { origins: c.origins, pins: createdPins(pins, matched.bound), strict: options.strict, present, pathMap: options.pathMap });
    for (const [i, n] of c.notifications.entries()) {
      const nSlot = slot + 1 + i;
      const nSkip = skipOf(scenario, ordered[nSlot]!);
      const v = nSkip ? null : verdicts[awaited.indexOf(n)]!;
      const message = v === null ? `skipped: ${nSkip}` : v.status === 'passed' ? v.message : `${v.message} (documented at ${c.page.file}:${n.line})`;
      record(nSlot, resultOf(ordered[nSlot]!, v?.status ?? 'skipped', message, v?.checks ?? [], Math.round(performance.now() - nStarted)));
    }
  };

  const runStep = async (step: ScenarioStep, scenario: Scenario, captured: Record<string, string>): Promise<string | null> => {
    const pageId = step.request.page || scenario.page;
    const group = loaded.groups.find((g) => g.pageId === pageId);
    const holds = (p: Page) => p.samples.some((s) => s.id === step.request.sample);
    const page = group?.pages.find((p) => (options.locale ? p.locale === options.locale : true) && holds(p)) ?? group?.pages.find(holds);
    const sample = page?.samples.find((s) => s.id === step.request.sample);
    if (!page || !sample) return `${scenario.file}: step ${step.name ?? step.request.sample}: no sample ${step.request.sample} on page ${pageId} (is that page among the inputs?)`;
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
    // Each plan's cases take the slots from `first` on.
    const free: number[] = [];
    const scripted: { first: number; cases: readonly ConformanceCase[]; scenario: Scenario }[] = [];
    let first = 0;
    for (const p of plans) {
      const scenario = scenarios.find((s) => s.page === p.group.pageId);
      if (scenario) scripted.push({ first, cases: p.cases, scenario });
      else p.cases.forEach((c, i) => { if (c.kind === 'exchange') free.push(first + i); });
      first += p.cases.length;
    }
    await forEachConcurrently(free, options.concurrency ?? 4, (slot) => runCase(slot, undefined, {}));
    for (const { first, cases, scenario } of scripted) {
      const captured: Record<string, string> = {};
      let failure: string | null = null;
      for (const step of scenario.setup ?? []) if (!failure) failure = await runStep(step, scenario, captured);
      if (failure) {
        cases.forEach((c, i) => record(first + i, resultOf(c, 'error', `scenario setup failed: ${failure}`, [], 0)));
      } else {
        for (const [i, c] of cases.entries()) if (c.kind === 'exchange') await runCase(first + i, scenario, captured);
      }
      for (const step of scenario.teardown ?? []) await runStep(step, scenario, captured);
    }
  } finally {
    await receiver.stop();
  }

  const results = slots.filter((r) => r !== undefined);
  const summary = { passed: 0, failed: 0, skipped: 0, errors: 0 };
  for (const r of results) summary[r.status === 'error' ? 'errors' : r.status]++;
  // A page's problems go with its group's shard; those of inputs that are no page, to the first.
  const shardOfFile = new Map(loaded.groups.flatMap((g) => g.pages.map((p) => [p.file, shardOf(g.pageId, shard?.count ?? 1)] as const)));
  const inShard = (d: Diagnostic) => !shard || (shardOfFile.get(d.file) ?? 0) === shard.index;
  const diagnostics = readErrorsOf(loaded).filter(inShard);
  return { version: 1, target: options.target, results, summary, diagnostics, ...(shard ? { shard: { ...shard } } : {}) };
}

/** Why a run tested nothing, or null when it tested something: a run that sent nothing is not a pass. */
export function testedNothing(results: readonly Pick<CaseResult, 'status' | 'message'>[], inputs: readonly string[]): string | null {
  if (results.length === 0) return `tested nothing: no documented request with a response in ${inputs.join(' ')} (or none selected)`;
  // An expected failure that failed was sent and compared: it is reported skipped, but it was tested.
  const untested = results.filter((r) => r.status === 'skipped' && !r.message.startsWith('expected failure'));
  if (untested.length === results.length) return `tested nothing: all ${results.length} cases were skipped`;
  return null;
}
