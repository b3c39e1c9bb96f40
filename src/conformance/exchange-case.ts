/** An exchange case: plan its request, send it, match the answer, then await the notifications it triggers. */
import type { ConformanceCase } from './cases.js';
import { echoPins } from './echo.js';
import { describeAll, matchResponse, type MatchResult, type Mismatch } from './match.js';
import { replayNotifications } from './notification-cases.js';
import { endNotifications, planFor, record, send, varsFor, type Replay } from './replay.js';
import { filledSubstitutions, type OutgoingRequest } from './request.js';
import { requestDump, resultOf, type CaseStatus } from './result.js';
import { scenarioSkip, type Scenario } from './scenario.js';

/** How a case ended, before it is timed and recorded. */
export interface Verdict {
  status: CaseStatus;
  message: string;
  checks?: Mismatch[];
}

/** Run the exchange case in `slot` (its notification cases follow it). */
export async function runCase(
  replay: Replay,
  slot: number,
  scenario: Scenario | undefined,
  captured: Record<string, string>,
): Promise<void> {
  const c = replay.ordered[slot]!;
  const started = performance.now();
  const skip = scenario ? scenarioSkip(scenario, c.sampleId) : undefined;
  if (skip) {
    finish(replay, slot, started, { status: 'skipped', message: `skipped: ${skip}` });
    return endNotifications(replay, slot, 'its request is skipped');
  }
  const expected = c.expectation;
  if (!expected) {
    const message = `documented response ${c.expected.id} cannot be compared`;
    finish(replay, slot, started, { status: 'error', message });
    return endNotifications(replay, slot, 'its request was not sent');
  }
  const from = replay.receiver.count;
  const vars = varsFor(replay, scenario, captured);
  // Most cases that cannot be sent lack a `--var`: they end here, without an exception or an await.
  const planned = planFor(replay, c.request, scenario, vars);
  const outcome = planned.problem === undefined ? await send(planned.request, replay.limits) : planned;
  if ('problem' in outcome) {
    const message = `${outcome.problem} (request documented at ${c.page.file}:${c.request.line})`;
    finish(replay, slot, started, { status: 'error', message });
    return endNotifications(replay, slot, 'its request got no response');
  }
  const { request: sent, response } = outcome;
  const pins = echoPins(c.request, sent, scenario?.substitute ? filledSubstitutions(scenario.substitute, vars) : []);
  const { strict, pathMap } = replay.options;
  const { present } = replay;
  const matched = matchResponse(expected, response, { origins: c.origins, pins, strict, present, pathMap });
  finish(replay, slot, started, verdictOf(c, matched, scenario?.expectFailure?.[c.sampleId]), sent);
  if (c.notifications.length === 0) return;
  const answered = { status: response.status, documentedStatus: expected.status, pins, bound: matched.bound, from };
  await replayNotifications(replay, slot, scenario, answered);
}

/**
 * The match step's verdict: the differences found, unless the scenario expects this case to fail
 * (then a failure is reported skipped, and a pass fails, so that the scenario is brought up to date).
 */
export function verdictOf(c: ConformanceCase, matched: MatchResult, expectFailure: string | undefined): Verdict {
  const checks = matched.mismatches;
  const detail = describeAll(checks, matched.more);
  if (expectFailure && checks.length > 0) {
    return { status: 'skipped', message: `expected failure (${expectFailure}): ${detail}`, checks };
  }
  if (expectFailure) {
    const message = `expected to fail (${expectFailure}) but passed: remove it from the scenario's expectFailure`;
    return { status: 'failed', message };
  }
  if (checks.length > 0) {
    return { status: 'failed', message: `${detail} (documented at ${c.page.file}:${c.expected.line})`, checks };
  }
  return { status: 'passed', message: 'conforms' };
}

/** Time and record the case in `slot`; one that did not pass shows the request `sent`. */
function finish(replay: Replay, slot: number, started: number, v: Verdict, sent?: OutgoingRequest): void {
  const durationMs = Math.round(performance.now() - started);
  const result = resultOf(replay.ordered[slot]!, v.status, v.message, v.checks ?? [], durationMs);
  if (sent && v.status !== 'passed') result.request = requestDump(sent);
  record(replay, slot, result);
}
