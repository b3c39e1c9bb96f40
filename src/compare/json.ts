import { toPlain, type JsonMember, type JsonValue } from '../formats/json.js';
import { oncePer } from '../util/memo.js';
import type { Difference, Differences } from './difference.js';

export interface JsonCompareOptions {
  /** `expected` may be a subset of `actual` (ApiDoctor's `"truncated": true`): extra members and items pass. */
  subset?: boolean;
  /** Members the documented object does not show pass (a tolerant reader's rule); items still count. */
  extraMembers?: boolean;
  /** Decide whether differing scalar values are still acceptable (volatile values by shape). */
  acceptValue?: (expected: string | number | boolean | null, actual: string | number | boolean | null) => boolean;
}

const render = (v: JsonValue): string => {
  switch (v.type) {
    case 'object':
      return `{${v.members.length} members}`;
    case 'array':
      return `[${v.items.length} items]`;
    case 'ellipsis':
      return '...';
    case 'string':
      return JSON.stringify(v.value);
    default:
      return String(v.value);
  }
};
const IDENTIFIER = /^[A-Za-z_$][\w$]*$/;
const memberSegment = (key: string) => (IDENTIFIER.test(key) ? `.${key}` : `[${JSON.stringify(key)}]`);
const isElidedString = (v: JsonValue) => v.type === 'string' && (v.value === '...' || v.value === '…');

/**
 * Deep comparison of two JSON samples, key order ignored. `...` ellipses (bare or as
 * `"..."` values) on the expected side are wildcards. Returns the first difference, or null.
 * Places are character offsets into each sample's JSON text.
 */
export function compareJson(
  expected: JsonValue,
  actual: JsonValue,
  options: JsonCompareOptions = {},
): Difference | null {
  const d = firstDifference(expected, actual, options);
  if (d) d.path = `$${d.path}`;
  return d;
}

/**
 * A difference at the nodes compared (its path is filled in on the way up). Not a closure per node: most nodes agree.
 */
function nodeDifference(what: string, expected: JsonValue, actual: JsonValue): Difference {
  return {
    path: '',
    what,
    expected: render(expected),
    actual: render(actual),
    expectedOffset: expected.offset,
    actualOffset: actual.offset,
  };
}

/**
 * The first difference with its path relative to the nodes compared: a replay compares whole
 * bodies that mostly agree, so a path is only built, from the leaf up, once a difference is found.
 */
function firstDifference(expected: JsonValue, actual: JsonValue, options: JsonCompareOptions): Difference | null {
  if (expected.type === 'ellipsis' || actual.type === 'ellipsis' || isElidedString(expected)) return null;
  if (expected.type !== actual.type) {
    if (
      options.acceptValue &&
      expected.type !== 'object' &&
      expected.type !== 'array' &&
      actual.type !== 'object' &&
      actual.type !== 'array' &&
      options.acceptValue(expected.value, actual.value)
    )
      return null;
    return nodeDifference('type', expected, actual);
  }
  switch (expected.type) {
    case 'object': {
      if (actual.type !== 'object') return nodeDifference('type', expected, actual);
      // Members are paired by key, and a key an object repeats by its order (the second `a` of one with the second
      // of the other): paired with the last, a text repeating a key differed from itself, and every locale of a group
      // showing the same sample was blamed for it.
      const actualMembers = new Map<string, JsonMember[]>();
      for (const m of actual.members) {
        const same = actualMembers.get(m.key);
        if (same) same.push(m);
        else actualMembers.set(m.key, [m]);
      }
      for (const m of expected.members) {
        const same = actualMembers.get(m.key);
        const other = same?.shift();
        if (same?.length === 0) actualMembers.delete(m.key);
        if (!other) {
          if (actual.ellipsis) continue;
          return {
            path: memberSegment(m.key),
            what: 'missing member',
            expected: render(m.value),
            actual: '(absent)',
            expectedOffset: m.keyOffset,
            actualOffset: actual.offset,
          };
        }
        const d = firstDifference(m.value, other.value, options);
        if (d) {
          d.path = memberSegment(m.key) + d.path;
          return d;
        }
      }
      if (!options.subset && !options.extraMembers && !expected.ellipsis && actualMembers.size > 0) {
        const extra = actualMembers.values().next().value![0]!;
        return {
          path: memberSegment(extra.key),
          what: 'extra member',
          expected: '(absent)',
          actual: render(extra.value),
          expectedOffset: expected.offset,
          actualOffset: extra.keyOffset,
        };
      }
      return null;
    }
    case 'array': {
      if (actual.type !== 'array') return nodeDifference('type', expected, actual);
      const n = Math.min(expected.items.length, actual.items.length);
      for (let i = 0; i < n; i++) {
        const d = firstDifference(expected.items[i]!, actual.items[i]!, options);
        if (d) {
          d.path = `[${i}]${d.path}`;
          return d;
        }
      }
      const elided = expected.ellipsis || actual.ellipsis;
      if (expected.items.length > actual.items.length && !elided) {
        return {
          path: `[${n}]`,
          what: 'missing item',
          expected: render(expected.items[n]!),
          actual: '(absent)',
          expectedOffset: expected.items[n]!.offset,
          actualOffset: actual.offset,
        };
      }
      if (actual.items.length > expected.items.length && !elided && !options.subset) {
        return {
          path: `[${n}]`,
          what: 'extra item',
          expected: '(absent)',
          actual: render(actual.items[n]!),
          expectedOffset: expected.offset,
          actualOffset: actual.items[n]!.offset,
        };
      }
      return null;
    }
    default: {
      const other = actual as typeof expected;
      if (expected.value === other.value) return null;
      if (options.acceptValue?.(expected.value, other.value)) return null;
      return { ...nodeDifference('value', expected, actual), expectedValue: expected.value };
    }
  }
}

/** A live JSON value as `JSON.parse` returns it. */
type LiveValue = unknown;

const liveType = (v: LiveValue): JsonValue['type'] =>
  v === null ? 'null' : Array.isArray(v) ? 'array' : (typeof v as 'object' | 'string' | 'number' | 'boolean');
const renderLive = (v: LiveValue): string => {
  if (v === null || typeof v !== 'object') return typeof v === 'string' ? JSON.stringify(v) : String(v);
  return Array.isArray(v) ? `[${v.length} items]` : `{${Object.keys(v).length} members}`;
};

/**
 * compareJson for a live answer parsed by `JSON.parse`: the same rules, without building a
 * positioned model of the live body first (a replay compares thousands of bodies). Live values
 * have no places, and no ellipses. One difference: a key the documented object repeats is
 * compared with the live member each time (JSON.parse keeps its last value), where compareJson pairs each
 * occurrence with the same occurrence in the other body, and reports it missing where that body has fewer.
 * test/json.test.ts holds the two equal on the bodies of docs/ and the corpus excerpts.
 */
export function compareJsonWithLive(
  expected: JsonValue,
  live: LiveValue,
  options: JsonCompareOptions = {},
): Difference | null {
  return jsonDifferencesWithLive(expected, live, options, 1).differences[0] ?? null;
}

/**
 * All the differences between a documented body and a live one, so that a second defect does not
 * hide behind the first: each documented member is compared even after one differed.
 */
export function jsonDifferencesWithLive(
  expected: JsonValue,
  live: LiveValue,
  options: JsonCompareOptions = {},
  limit = 20,
): Differences {
  // Most live bodies conform: decide that first, without placing a difference. (A documented body
  // with elisions or a repeated key goes straight to the full comparison: 9 of 6,560 on Graph pt-BR.)
  const plain = plainOf(expected);
  if (plain !== NOT_PLAIN && plainAgrees(plain, live, options)) return { differences: [], more: 0 };
  const found: Differences = { differences: [], more: 0 };
  liveDifferences(expected, live, options, '$', found, limit);
  return found;
}

/**
 * How many different keys an object has: documented objects rarely repeat one, and are small, so no Set unless large.
 */
function distinctKeys(members: readonly JsonMember[]): number {
  if (members.length > 16) return new Set(members.map((m) => m.key)).size;
  let count = 0;
  for (let i = 0; i < members.length; i++) {
    let repeated = false;
    for (let j = 0; j < i && !repeated; j++) repeated = members[j]!.key === members[i]!.key;
    if (!repeated) count++;
  }
  return count;
}

const NOT_PLAIN = Symbol('not plain JSON');

/** Whether a documented value says nothing plain JSON cannot: no ellipsis, no elided string, no key repeated. */
function isPlain(v: JsonValue): boolean {
  switch (v.type) {
    case 'ellipsis':
      return false;
    case 'string':
      return !isElidedString(v);
    case 'number':
      return Number.isFinite(v.value); // JSON.stringify writes 1e400 (Infinity) as null
    case 'array':
      return !v.ellipsis && v.items.every(isPlain);
    case 'object':
      return !v.ellipsis && distinctKeys(v.members) === v.members.length && v.members.every((m) => isPlain(m.value));
    default:
      return true;
  }
}

/**
 * A plain documented value as `JSON.parse` gives it, made once per documented value: compact
 * objects with the live bodies' shapes, where the positioned model spends several objects per
 * member. Comparing with it touched a fifth of the memory, which is what a replay's comparing
 * was waiting on (scripts/bench/conformance.mjs).
 */
const plainOf = oncePer((expected: JsonValue): unknown =>
  isPlain(expected) ? (JSON.parse(JSON.stringify(toPlain(expected))) as unknown) : NOT_PLAIN,
);

/**
 * Whether a documented key is missing from a live object (`value` is `object[key]`, cheaper than
 * `Object.hasOwn` for the keys it has). A missing key can still read as inherited: `toString` as a
 * function (a parsed body holds none, and `acceptValue` must not be asked about one), `__proto__`
 * as the prototype.
 */
const lacks = (object: Record<string, unknown>, key: string, value: unknown): boolean =>
  value === undefined || typeof value === 'function' || (key === '__proto__' && !Object.hasOwn(object, key));

/** Whether firstLiveDifference would find nothing, for a plain documented value (isPlain), decided faster. */
function plainAgrees(documented: unknown, live: LiveValue, options: JsonCompareOptions): boolean {
  if (documented === live) return true;
  const container = typeof documented === 'object' && documented !== null;
  const liveContainer = typeof live === 'object' && live !== null;
  if (!container || !liveContainer) {
    return (
      !container &&
      !liveContainer &&
      options.acceptValue !== undefined &&
      options.acceptValue(documented as string | number | boolean | null, live as string | number | boolean | null)
    );
  }
  if (Array.isArray(documented)) {
    if (!Array.isArray(live)) return false;
    if (live.length < documented.length || (live.length > documented.length && !options.subset)) return false;
    for (let i = 0; i < documented.length; i++) if (!plainAgrees(documented[i], live[i], options)) return false;
    return true;
  }
  if (Array.isArray(live)) return false;
  const doc = documented as Record<string, unknown>;
  const members = live as Record<string, LiveValue>;
  let documentedKeys = 0;
  for (const key in doc) {
    documentedKeys++;
    const value = members[key];
    if (lacks(members, key, value) || !plainAgrees(doc[key], value, options)) return false;
  }
  if (options.subset || options.extraMembers) return true;
  let liveKeys = 0;
  for (const _key in members) liveKeys++;
  return liveKeys === documentedKeys; // every documented key is live: any other live key is extra
}

function liveNodeDifference(path: string, what: string, expected: JsonValue, live: LiveValue): Difference {
  return {
    path,
    what,
    expected: render(expected),
    actual: renderLive(live),
    expectedOffset: expected.offset,
    actualOffset: -1,
  };
}

/** Record a difference, or count it once the limit is reached; false when the walk may stop. */
function note(found: Differences, limit: number, d: Difference): boolean {
  if (found.differences.length < limit) found.differences.push(d);
  else found.more++;
  // One difference is all a verdict needs: compareJsonWithLive stops at it.
  return limit > 1;
}

/** Walk a documented value and a live one together, recording each difference under `path`; false to stop. */
function liveDifferences(
  expected: JsonValue,
  live: LiveValue,
  options: JsonCompareOptions,
  path: string,
  found: Differences,
  limit: number,
): boolean {
  if (expected.type === 'ellipsis' || isElidedString(expected)) return true;
  const type = liveType(live);
  if (expected.type !== type) {
    if (
      options.acceptValue &&
      expected.type !== 'object' &&
      expected.type !== 'array' &&
      type !== 'object' &&
      type !== 'array' &&
      options.acceptValue(expected.value, live as string | number | boolean | null)
    )
      return true;
    return note(found, limit, liveNodeDifference(path, 'type', expected, live));
  }
  switch (expected.type) {
    case 'object': {
      const members = live as Record<string, LiveValue>;
      for (const m of expected.members) {
        const at = path + memberSegment(m.key);
        const go = Object.hasOwn(members, m.key)
          ? liveDifferences(m.value, members[m.key], options, at, found, limit)
          : note(found, limit, {
              path: at,
              what: 'missing member',
              expected: render(m.value),
              actual: '(absent)',
              expectedOffset: m.keyOffset,
              actualOffset: -1,
            });
        if (!go) return false;
      }
      // Every documented key has been looked at: another live key is extra (a repeated documented key counts once).
      if (!options.subset && !options.extraMembers && !expected.ellipsis) {
        const keys = Object.keys(members);
        if (keys.length > distinctKeys(expected.members)) {
          const documented = new Set(expected.members.map((m) => m.key));
          for (const extra of keys) {
            if (documented.has(extra)) continue;
            const d: Difference = {
              path: path + memberSegment(extra),
              what: 'extra member',
              expected: '(absent)',
              actual: renderLive(members[extra]),
              expectedOffset: expected.offset,
              actualOffset: -1,
            };
            if (!note(found, limit, d)) return false;
          }
        }
      }
      return true;
    }
    case 'array': {
      const items = live as LiveValue[];
      const n = Math.min(expected.items.length, items.length);
      for (let i = 0; i < n; i++)
        if (!liveDifferences(expected.items[i]!, items[i], options, `${path}[${i}]`, found, limit)) return false;
      if (expected.items.length > items.length && !expected.ellipsis) {
        return note(found, limit, {
          path: `${path}[${n}]`,
          what: 'missing item',
          expected: render(expected.items[n]!),
          actual: '(absent)',
          expectedOffset: expected.items[n]!.offset,
          actualOffset: -1,
        });
      }
      if (items.length > expected.items.length && !expected.ellipsis && !options.subset) {
        return note(found, limit, {
          path: `${path}[${n}]`,
          what: 'extra item',
          expected: '(absent)',
          actual: renderLive(items[n]),
          expectedOffset: expected.offset,
          actualOffset: -1,
        });
      }
      return true;
    }
    default: {
      if (expected.value === live) return true;
      if (options.acceptValue?.(expected.value, live as string | number | boolean | null)) return true;
      return note(found, limit, {
        ...liveNodeDifference(path, 'value', expected, live),
        expectedValue: expected.value,
      });
    }
  }
}
