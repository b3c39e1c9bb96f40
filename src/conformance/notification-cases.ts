/** The await-notifications step: the notification cases an answered exchange triggers, each in its slot. */
import type { ConformanceCase } from './cases.js';
import { createdPins } from './echo.js';
import { awaitNotifications, type NotificationVerdict } from './notifications.js';
import { endNotifications, record, type Replay } from './replay.js';
import { resultOf, type CaseResult } from './result.js';
import { scenarioSkip, type Scenario } from './scenario.js';
import { matchesAny } from './select.js';
import type { Pins } from './volatile.js';

/** What the exchange's answer tells the notifications: its status, and the values they must repeat. */
export interface Answered {
  status: number;
  documentedStatus: number;
  pins: Pins;
  /** Documented volatile tokens → the live ones the answer bound them to (a created call's id). */
  bound: ReadonlyMap<string, string>;
  /** The receiver's count before the request was sent: later arrivals may be its notifications. */
  from: number;
}

/** Wait for the notifications the exchange in `slot` triggers and record each one's result. */
export async function replayNotifications(
  replay: Replay,
  slot: number,
  scenario: Scenario | undefined,
  answered: Answered,
): Promise<void> {
  const c = replay.ordered[slot]!;
  if (!scenario) {
    return endNotifications(replay, slot, 'no scenario registers a callback URL ({{callbackUrl}}) for this page');
  }
  // A service that refused the request sends no notification for it; one that answered with a wrong 2xx may.
  if (answered.status >= 400) {
    const why = `its request failed (status ${answered.status}, documented ${answered.documentedStatus})`;
    return endNotifications(replay, slot, why);
  }
  const skips = c.notifications.map((_n, i) => notificationSkip(replay, scenario, replay.ordered[slot + 1 + i]!));
  const awaited = c.notifications.filter((_n, i) => !skips[i]);
  const timeout = scenario.notificationTimeoutMs ?? replay.options.notificationTimeoutMs ?? 5000;
  const started = performance.now();
  const { strict, pathMap } = replay.options;
  const pins = createdPins(answered.pins, answered.bound);
  const options = { origins: c.origins, pins, strict, present: replay.present, pathMap };
  const verdicts = await awaitNotifications(awaited, replay.receiver, answered.from, timeout, options);
  for (const [i, n] of c.notifications.entries()) {
    const skip = skips[i];
    const v = skip ? null : verdicts[awaited.indexOf(n)]!;
    const nc = replay.ordered[slot + 1 + i]!;
    record(replay, slot + 1 + i, notificationResult(nc, v, skip, Math.round(performance.now() - started)));
  }
}

/** Why a notification case is not awaited: its scenario skips it, or `skipCases` names it. */
function notificationSkip(replay: Replay, scenario: Scenario, nc: ConformanceCase): string | undefined {
  const bySelection = matchesAny(replay.skippedBySelection, nc) ? 'left out by --skip' : undefined;
  return scenarioSkip(scenario, nc.sampleId) ?? bySelection;
}

function notificationResult(
  nc: ConformanceCase,
  v: NotificationVerdict | null,
  skip: string | undefined,
  durationMs: number,
): CaseResult {
  if (v === null) return resultOf(nc, 'skipped', `skipped: ${skip}`, [], durationMs);
  const where = `(documented at ${nc.page.file}:${nc.expected.line})`;
  return resultOf(nc, v.status, v.status === 'passed' ? v.message : `${v.message} ${where}`, v.checks, durationMs);
}
