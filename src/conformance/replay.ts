/**
 * One run's shared state, and the steps every case and scenario step take with it: fill and plan a
 * request, send it, record a result in its slot.
 */
import type { PageGroup } from '../group/group.js';
import { redact, secretsOf } from '../util/secrets.js';
import { CallbackReceiver } from './callbacks.js';
import type { ConformanceCase } from './cases.js';
import { DEFAULT_LIMITS, exchange, ExchangeError, type ClientLimits } from './client.js';
import { ConformanceOptionError } from './errors.js';
import type { ActualResponse } from './match.js';
import type { ConformanceOptions } from './options.js';
import { planRequest, type OutgoingRequest, type RequestPlan } from './request.js';
import { redactResult, resultOf, type CaseResult } from './result.js';
import type { Scenario, ScenarioStep } from './scenario.js';
import { casePattern } from './select.js';

export interface Replay {
  readonly options: ConformanceOptions;
  readonly limits: ClientLimits;
  /** The loaded page groups: scenario steps may name a sample of any of them. */
  readonly groups: readonly PageGroup[];
  /** Every case in plan order; a case's index is its slot, and its notification cases follow it. */
  readonly ordered: readonly ConformanceCase[];
  /** The results, by slot, as they end. */
  readonly slots: (CaseResult | undefined)[];
  readonly receiver: CallbackReceiver;
  /** The URL services are told to call back; empty when no page needs the receiver. */
  readonly callbackUrl: string;
  readonly secrets: readonly string[];
  /**
   * Responses are compared as they arrived; a message that quotes live text cuts the user's
   * credentials out first (a quote may be cut short, and a cut token could no longer be found).
   */
  readonly present: (text: string) => string;
  /** The `skipCases` patterns: a notification case they name keeps its slot and is reported skipped. */
  readonly skippedBySelection: readonly RegExp[];
  /** The variables of every case without a scenario. */
  readonly freeVars: Record<string, string>;
}

/** The run's state, with the callback receiver listening when `withReceiver`. */
export async function openReplay(
  options: ConformanceOptions,
  groups: readonly PageGroup[],
  ordered: readonly ConformanceCase[],
  withReceiver: boolean,
): Promise<Replay> {
  const secrets = secretsOf(options);
  const receiver = new CallbackReceiver();
  if (withReceiver) await listen(receiver, options.callbackListen);
  const callbackUrl = withReceiver ? (options.callbackUrl ?? receiver.url) : '';
  return {
    options,
    groups,
    ordered,
    receiver,
    callbackUrl,
    secrets,
    limits: { ...DEFAULT_LIMITS, ...options.limits },
    slots: new Array<CaseResult | undefined>(ordered.length),
    present: (text) => (secrets.length > 0 ? redact(text, secrets) : text),
    skippedBySelection: (options.skipCases ?? []).map(casePattern),
    freeVars: { ...options.vars, ...(callbackUrl ? { callbackUrl } : {}) },
  };
}

async function listen(receiver: CallbackReceiver, at: ConformanceOptions['callbackListen']): Promise<void> {
  const { host = '127.0.0.1', port = 0 } = at ?? {};
  await receiver.start(host, port).catch((error: NodeJS.ErrnoException) => {
    const why =
      error.code === 'EADDRINUSE'
        ? 'address already in use'
        : error.code === 'EADDRNOTAVAIL'
          ? 'no such local address'
          : error.message;
    throw new ConformanceOptionError(`--callback-listen ${host}:${port}: ${why}`);
  });
}

/** Put a result in its slot; credentials are cut out before any reporter sees it. */
export function record(replay: Replay, slot: number, r: CaseResult): void {
  if (replay.secrets.length > 0) redactResult(r, replay.secrets);
  replay.slots[slot] = r;
  replay.options.onResult?.(r);
}

/** Skip the notification cases that follow the exchange in `slot`: they cannot come, for the reason `why`. */
export function endNotifications(replay: Replay, slot: number, why: string): void {
  const c = replay.ordered[slot]!;
  c.notifications.forEach((_n, i) => {
    record(replay, slot + 1 + i, resultOf(replay.ordered[slot + 1 + i]!, 'skipped', `skipped: ${why}`, [], 0));
  });
}

/** A scenario's empty value is one still to fill in (`lockstep init` writes them so): it does not hide a --var. */
const filled = (values: Record<string, string> | undefined) =>
  Object.fromEntries(Object.entries(values ?? {}).filter(([, v]) => v !== ''));

/** The variables a request is filled with: the run's, then the scenario's and what its steps captured. */
export function varsFor(
  replay: Replay,
  scenario: Scenario | undefined,
  captured: Record<string, string>,
): Record<string, string> {
  return scenario ? { ...replay.freeVars, ...filled(scenario.vars), ...captured } : replay.freeVars;
}

/** A scenario's substitutions and patch apply to the page's cases; a step sends its own patch only. */
export function planFor(
  replay: Replay,
  sample: ConformanceCase['request'],
  scenario: Scenario | undefined,
  vars: Record<string, string>,
  step?: ScenarioStep,
): RequestPlan {
  const { target, soapPaths, headers, pathMap } = replay.options;
  return planRequest(sample, {
    target,
    soapPaths,
    headers,
    pathMap,
    vars,
    substitute: step ? undefined : scenario?.substitute,
    patch: step ? step.patch : scenario?.patch?.[sample.id],
  });
}

export type Sent = { request: OutgoingRequest; response: ActualResponse } | { problem: string };

/** The response to a request, or why there is none. */
export async function send(request: OutgoingRequest, limits: ClientLimits): Promise<Sent> {
  try {
    return { request, response: await exchange(request, limits) };
  } catch (error) {
    if (error instanceof ExchangeError) return { problem: error.message };
    throw error;
  }
}
