import type { JsonValue } from '../sample/json.js';
import type { Difference } from './difference.js';

export interface JsonCompareOptions {
  /** `expected` may be a subset of `actual` (ApiDoctor's `"truncated": true`). */
  subset?: boolean;
  /** Decide whether differing scalar values are still acceptable (volatile values by shape). */
  acceptValue?: (expected: string | number | boolean | null, actual: string | number | boolean | null, path: string) => boolean;
}

const render = (v: JsonValue): string => {
  switch (v.type) {
    case 'object': return `{${v.members.length} members}`;
    case 'array': return `[${v.items.length} items]`;
    case 'ellipsis': return '...';
    case 'string': return JSON.stringify(v.value);
    default: return String(v.value);
  }
};
const member = (path: string, key: string) => (/^[A-Za-z_$][\w$]*$/.test(key) ? `${path}.${key}` : `${path}[${JSON.stringify(key)}]`);
const isElidedString = (v: JsonValue) => v.type === 'string' && /^(\.\.\.|…)$/.test(String(v.value));

/**
 * Deep comparison of two JSON samples, key order ignored. `...` ellipses (bare or as
 * `"..."` values) on the expected side are wildcards. Returns the first difference, or null.
 * Places are character offsets into each sample's JSON text.
 */
export function compareJson(expected: JsonValue, actual: JsonValue, options: JsonCompareOptions = {}, path = '$'): Difference | null {
  if (expected.type === 'ellipsis' || actual.type === 'ellipsis' || isElidedString(expected)) return null;
  const diff = (what: string, e = render(expected), a = render(actual)): Difference => ({ path, what, expected: e, actual: a, expectedOffset: expected.offset, actualOffset: actual.offset });
  if (expected.type !== actual.type) {
    if (options.acceptValue && expected.type !== 'object' && expected.type !== 'array' && actual.type !== 'object' && actual.type !== 'array'
      && options.acceptValue(expected.value, actual.value, path)) return null;
    return diff('type');
  }
  switch (expected.type) {
    case 'object': {
      if (actual.type !== 'object') return diff('type');
      const actualMembers = new Map(actual.members.map((m) => [m.key, m]));
      for (const m of expected.members) {
        const other = actualMembers.get(m.key);
        if (!other) {
          if (actual.ellipsis) continue;
          return { path: member(path, m.key), what: 'missing member', expected: render(m.value), actual: '(absent)', expectedOffset: m.keyOffset, actualOffset: actual.offset };
        }
        const d = compareJson(m.value, other.value, options, member(path, m.key));
        if (d) return d;
        actualMembers.delete(m.key);
      }
      if (!options.subset && !expected.ellipsis) {
        const extra = [...actualMembers.values()][0];
        if (extra) return { path: member(path, extra.key), what: 'extra member', expected: '(absent)', actual: render(extra.value), expectedOffset: expected.offset, actualOffset: extra.keyOffset };
      }
      return null;
    }
    case 'array': {
      if (actual.type !== 'array') return diff('type');
      const n = Math.min(expected.items.length, actual.items.length);
      for (let i = 0; i < n; i++) {
        const d = compareJson(expected.items[i]!, actual.items[i]!, options, `${path}[${i}]`);
        if (d) return d;
      }
      const elided = expected.ellipsis || actual.ellipsis;
      if (expected.items.length > actual.items.length && !elided) {
        return { path: `${path}[${n}]`, what: 'missing item', expected: render(expected.items[n]!), actual: '(absent)', expectedOffset: expected.items[n]!.offset, actualOffset: actual.offset };
      }
      if (actual.items.length > expected.items.length && !elided && !options.subset) {
        return { path: `${path}[${n}]`, what: 'extra item', expected: '(absent)', actual: render(actual.items[n]!), expectedOffset: expected.offset, actualOffset: actual.items[n]!.offset };
      }
      return null;
    }
    default: {
      const other = actual as typeof expected;
      if (expected.value === other.value) return null;
      if (options.acceptValue?.(expected.value, other.value, path)) return null;
      return diff('value');
    }
  }
}
