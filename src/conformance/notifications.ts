import type { Sample } from '../sample/sample.js';
import type { CallbackReceiver, ReceivedNotification } from './callbacks.js';
import {
  compareJsonBody,
  describeAll,
  isTruncated,
  type MatchOptions,
  type MatchResult,
  type Mismatch,
} from './match.js';

/** How one documented notification ended. */
export interface NotificationVerdict {
  status: 'passed' | 'failed';
  message: string;
  checks: Mismatch[];
}

/** Members that tell notifications apart: a difference there weighs more when picking the closest arrival. */
const TELLING = /(?:changeType|resourceUrl|resource|state|"@odata\.type"\])$/;
const SOURCE = 'the notification';

/** Compare one arrived notification with a documented one: every difference, up to the limit. */
export function compareNotification(
  documented: Sample,
  received: ReceivedNotification,
  options: MatchOptions,
): MatchResult {
  const result: MatchResult = { mismatches: [], more: 0, bound: new Map() };
  const body =
    documented.kind === 'http-request' && documented.http?.body?.type === 'json' ? documented.http.body : null;
  if (!body?.json.value) return result;
  const place = {
    text: body.text,
    line: (documented.kind === 'http-request' ? documented.bodyLine : null) ?? documented.contentLine,
    truncated: isTruncated(documented),
    prefix: 'notification',
  };
  compareJsonBody(body.json.value, received.body, place, options, result);
  return result;
}

const distance = (r: MatchResult) =>
  r.mismatches.length + r.more + 5 * r.mismatches.filter((m) => TELLING.test(m.path)).length;

/**
 * Wait for the documented notifications of one request, all at once: each is matched with the
 * first arrival (from index `from` on) that has no difference, in documented order. When time runs
 * out, one still unmatched is diffed against the arrival most like it (change type, resource and
 * state weigh most), not the first that came. A match that came before the match of a notification
 * documented earlier is out of order, and says so.
 */
export async function awaitNotifications(
  documented: readonly Sample[],
  receiver: CallbackReceiver,
  from: number,
  timeoutMs: number,
  options: MatchOptions,
): Promise<NotificationVerdict[]> {
  const deadline = Date.now() + timeoutMs;
  const compared = documented.map(() => [] as MatchResult[]); // [documented][arrival - from]
  let assigned: number[] = [];
  for (;;) {
    const arrived = receiver.since(from);
    for (const [i, n] of documented.entries()) {
      for (let j = compared[i]!.length; j < arrived.length; j++)
        compared[i]!.push(compareNotification(n, arrived[j]!, options));
    }
    assigned = [];
    const taken = new Set<number>();
    // Each takes the first matching arrival after the previous one's match; only when there is none, an
    // earlier one (out of order), so an unrelated early arrival is not mistaken for a late notification.
    let previous = -1;
    for (const row of compared) {
      const fits = (r: MatchResult, k: number) => !taken.has(k) && r.mismatches.length === 0 && r.more === 0;
      let j = row.findIndex((r, k) => k > previous && fits(r, k));
      if (j === -1) j = row.findIndex(fits);
      assigned.push(j);
      if (j !== -1) {
        taken.add(j);
        previous = j;
      }
    }
    if (!assigned.includes(-1) || !(await receiver.waitFor(from + arrived.length + 1, deadline - Date.now()))) break;
  }
  const arrivedCount = compared[0]?.length ?? 0; // arrivals compared; any later one came past the deadline
  const unmatched = new Set(Array.from({ length: arrivedCount }, (_, k) => k).filter((k) => !assigned.includes(k)));
  return documented.map((n, i): NotificationVerdict => {
    const j = assigned[i]!;
    if (j !== -1) {
      const earlier = documented.findIndex((_, k) => k < i && assigned[k]! > j);
      if (earlier === -1)
        return { status: 'passed', message: 'notification arrived in documented order and shape', checks: [] };
      return {
        status: 'failed',
        checks: [],
        message: `arrived out of documented order: before ${documented[earlier]!.id}, which is documented before it`,
      };
    }
    if (arrivedCount === 0) {
      const none: Mismatch = {
        check: 'body',
        path: 'notification',
        what: 'missing',
        expected: 'a notification',
        actual: `none within ${timeoutMs} ms`,
      };
      return { status: 'failed', checks: [none], message: `no notification arrived within ${timeoutMs} ms` };
    }
    // The closest arrival not taken by another documented notification; any arrival when all are taken.
    const pool = unmatched.size > 0 ? [...unmatched] : [...Array(arrivedCount).keys()];
    const closest = pool.reduce((best, k) => (distance(compared[i]![k]!) < distance(compared[i]![best]!) ? k : best));
    const r = compared[i]![closest]!;
    const message =
      `no matching notification within ${timeoutMs} ms; ` +
      `the closest (arrival ${closest + 1} of ${arrivedCount}): ${describeAll(r.mismatches, r.more, SOURCE)}`;
    return { status: 'failed', checks: r.mismatches, message };
  });
}
