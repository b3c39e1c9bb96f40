import { toPlain } from '../formats/json.js';
import type { Sample } from '../sample/sample.js';
import { oncePer } from '../util/memo.js';
import type { OutgoingRequest } from './request.js';
import { NO_PINS, valueMatcher, type Pin, type Pins } from './volatile.js';

const ECHO = 'echoes the request';

/** The GUIDs and tokens of a documented string: the values a response that echoes it must repeat. */
function tokensOf(text: string): string[] {
  return valueMatcher(text)
    .bind(text)
    .map(([documented]) => documented);
}

/** Pair the string members of a documented JSON body with what was sent at the same place. */
function pairStrings(documented: unknown, sent: unknown, visit: (documented: string, sent: string) => void): void {
  if (typeof documented === 'string') {
    if (typeof sent === 'string') visit(documented, sent);
    return;
  }
  if (Array.isArray(documented)) {
    if (Array.isArray(sent)) documented.forEach((item, i) => pairStrings(item, sent[i], visit));
    return;
  }
  if (documented && typeof documented === 'object' && sent && typeof sent === 'object' && !Array.isArray(sent)) {
    for (const [key, value] of Object.entries(documented))
      if (Object.hasOwn(sent, key)) pairStrings(value, (sent as Record<string, unknown>)[key], visit);
  }
}

interface DocumentedRequest {
  /** The documented JSON body as plain JSON, or null. */
  body: unknown;
  /** The body text lockstep sends when nothing is filled in or patched. */
  bodyText: string | null;
  /** Ids in the documented target (`/calls/57dab8b1-…`). */
  targetTokens: string[];
  /** The pins when the request goes out as documented: its ids must come back as they are. */
  asDocumented: Pins;
}

/** What a request's pins are made from; a sample never changes, so it is worked out once. */
const documentedRequest = oncePer((request: Sample): DocumentedRequest => {
  const json =
    request.kind === 'http-request' && request.http?.body?.type === 'json' ? request.http.body.json.value : null;
  const body = json ? toPlain(json) : null;
  const target = request.kind === 'http-request' ? request.http?.target : undefined;
  const targetTokens = target ? tokensOf(target) : [];
  const within = new Map<string, Pin>();
  pairStrings(body, body, (documented) => {
    for (const token of tokensOf(documented)) within.set(token, { value: token, why: ECHO });
  });
  for (const token of targetTokens) within.set(token, { value: token, why: ECHO });
  return {
    body,
    bodyText: request.kind === 'http-request' ? (request.http?.body?.text ?? null) : null,
    targetTokens,
    asDocumented: within.size > 0 ? { exact: new Map(), within } : NO_PINS,
  };
});

/**
 * What a response that echoes its request must repeat: a documented response value equal to a
 * value of the documented request must equal what was actually sent (after `--var`, substitutions,
 * patches and captures), ids included, where matching by shape alone would let any id pass.
 * `substituted` holds a scenario's literal → filled text, which stands in the responses as well.
 */
export function echoPins(
  request: Sample,
  sent: OutgoingRequest,
  substituted: readonly (readonly [string, string])[],
): Pins {
  const documented = documentedRequest(request);
  // Most requests go out as documented: their pins are the documented ids, worked out once.
  if (substituted.length === 0 && (sent.body === documented.bodyText || documented.body === null))
    return documented.asDocumented;
  const exact = new Map<string, Pin>();
  const within = new Map<string, Pin>();
  for (const [literal, value] of substituted)
    within.set(literal, { value, why: 'stands for the value sent in its place' });
  if (documented.body !== null && sent.body !== null) {
    let sentBody: unknown;
    try {
      sentBody = JSON.parse(sent.body);
    } catch {
      sentBody = undefined;
    }
    const unchanged = new Set<string>();
    pairStrings(documented.body, sentBody, (value, actual) => {
      if (value !== actual) exact.set(value, { value: actual, why: `${ECHO}, sent as` });
      else {
        unchanged.add(value);
        for (const token of tokensOf(value)) if (!within.has(token)) within.set(token, { value: token, why: ECHO });
      }
    });
    // A value sent changed in one place and as documented in another: an echo of it may be either.
    for (const value of unchanged) exact.delete(value);
  }
  for (const token of documented.targetTokens)
    if (!within.has(token) && sent.url.includes(token)) within.set(token, { value: token, why: ECHO });
  return { exact, within };
}

/** Pins for what follows a response: the ids it bound (documented → live) name the resource it created. */
export function createdPins(base: Pins, bound: ReadonlyMap<string, string>): Pins {
  if (bound.size === 0) return base;
  const within = new Map(base.within);
  for (const [documented, live] of bound)
    if (!within.has(documented)) within.set(documented, { value: live, why: 'names what the response created' });
  return { exact: base.exact, within };
}
