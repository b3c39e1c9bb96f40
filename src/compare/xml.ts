import { childElements, elementText, type XmlDocument, type XmlElement } from '../formats/xml.js';
import type { Difference, Differences } from './difference.js';

export interface XmlCompareOptions {
  /** Compare text values; off compares structure only. */
  text?: boolean;
  /** When a text value differs, decide whether it is still acceptable (volatile values by shape). */
  acceptText?: (expected: string, actual: string) => boolean;
  /** Extra elements in `actual` are allowed (the documented sample is truncated). */
  allowExtra?: boolean;
}

const key = (e: XmlElement) => `{${e.ns ?? ''}}${e.local}`;
const collapse = (s: string) => s.replace(/\s+/g, ' ').trim();
const isEllipsis = (s: string) => /^(\.\.\.|…)$/.test(s);

/**
 * Compare two XML samples as trees: element and attribute names with their namespace
 * URIs, text values and element order. Whitespace between elements, attribute order and
 * the choice of prefixes do not count. Returns the first difference, or null.
 */
export function compareXml(
  expected: XmlDocument,
  actual: XmlDocument,
  options: XmlCompareOptions = {},
): Difference | null {
  return compareChildren(expected.roots, actual.roots, '', options);
}

function compareChildren(
  expected: XmlElement[],
  actual: XmlElement[],
  path: string,
  options: XmlCompareOptions,
): Difference | null {
  let j = 0;
  for (let i = 0; i < expected.length; i++) {
    const e = expected[i]!;
    const a = actual[j];
    if (!a) {
      return {
        path: `${path}/${e.name}`,
        what: 'missing element',
        expected: `<${e.name}>`,
        actual: '(nothing)',
        expectedLine: e.line,
        actualLine: actual.at(-1)?.line,
      };
    }
    if (key(e) !== key(a)) {
      if (options.allowExtra) {
        const found = actual.findIndex((x, k) => k > j && key(x) === key(e));
        if (found !== -1) {
          j = found;
          i--;
          continue;
        }
      }
      const what = e.local === a.local ? 'namespace' : 'element';
      return {
        path: `${path}/${e.name}`,
        what,
        expected: what === 'namespace' ? `${e.local} in ${e.ns ?? '(no namespace)'}` : `<${e.name}>`,
        actual: what === 'namespace' ? `${a.local} in ${a.ns ?? '(no namespace)'}` : `<${a.name}>`,
        expectedLine: e.line,
        actualLine: a.line,
      };
    }
    const d = compareElement(e, a, `${path}/${e.name}`, options);
    if (d) return d;
    j++;
  }
  if (j < actual.length && !options.allowExtra) {
    const extra = actual[j]!;
    return {
      path: `${path}/${extra.name}`,
      what: 'extra element',
      expected: '(nothing)',
      actual: `<${extra.name}>`,
      expectedLine: expected.at(-1)?.line,
      actualLine: extra.line,
    };
  }
  return null;
}

function compareElement(e: XmlElement, a: XmlElement, path: string, options: XmlCompareOptions): Difference | null {
  const own = ownDifferences(e, a, path, options);
  if (own.length > 0) return own[0]!;
  const elidedChildren = /\.\.\.|…/.test(elementText(e));
  return compareChildren(
    childElements(e),
    childElements(a),
    path,
    elidedChildren ? { ...options, allowExtra: true } : options,
  );
}

const attrKey = (x: { ns: string | null; local: string; prefix: string | null }) =>
  `{${x.ns ?? (x.prefix ? `${x.prefix}:` : '')}}${x.local}`;

/** An element's own differences, children aside: its attributes in documented order, extra ones, then its text. */
function ownDifferences(e: XmlElement, a: XmlElement, path: string, options: XmlCompareOptions): Difference[] {
  const out: Difference[] = [];
  const actualAttrs = new Map(a.attributes.map((x) => [attrKey(x), x]));
  for (const attr of e.attributes) {
    const other = actualAttrs.get(attrKey(attr));
    actualAttrs.delete(attrKey(attr));
    if (!other)
      out.push({
        path: `${path}/@${attr.name}`,
        what: 'missing attribute',
        expected: attr.value,
        actual: '(absent)',
        expectedLine: e.line,
        actualLine: a.line,
      });
    else if (
      options.text !== false &&
      attr.value !== other.value &&
      !isEllipsis(attr.value) &&
      !options.acceptText?.(attr.value, other.value)
    ) {
      out.push({
        path: `${path}/@${attr.name}`,
        what: 'attribute value',
        expected: attr.value,
        actual: other.value,
        expectedLine: e.line,
        actualLine: a.line,
      });
    }
  }
  if (!options.allowExtra) {
    for (const extra of actualAttrs.values()) {
      out.push({
        path: `${path}/@${extra.name}`,
        what: 'extra attribute',
        expected: '(absent)',
        actual: extra.value,
        expectedLine: e.line,
        actualLine: a.line,
      });
    }
  }
  if (options.text !== false) {
    const et = collapse(elementText(e));
    const at = collapse(elementText(a));
    const elided = isEllipsis(et) || (childElements(e).length > 0 && et.replace(/\.\.\.|…/g, '').trim() === '');
    if (et !== at && !elided && !options.acceptText?.(et, at))
      out.push({ path, what: 'text', expected: et, actual: at, expectedLine: e.line, actualLine: a.line });
  }
  return out;
}

export interface XmlDifferenceOptions extends XmlCompareOptions {
  /** Live elements that may stand where the docs show none (a SOAP Header): skipped unless documented. */
  optional?: (element: XmlElement) => boolean;
}

/**
 * Every difference between a documented XML body and a live one, for conformance reports: where
 * compareXml stops at the first, this lines children up (an extra element, a missing one and a
 * renamed one are told apart) and goes on, so a second defect does not hide behind the first.
 */
export function xmlDifferences(
  expected: XmlDocument,
  actual: XmlDocument,
  options: XmlDifferenceOptions = {},
  limit = 20,
): Differences {
  const found: Differences = { differences: [], more: 0 };
  const add = (d: Difference) => {
    if (found.differences.length < limit) found.differences.push(d);
    else found.more++;
  };
  allChildren(expected.roots, actual.roots, '', options, add);
  return found;
}

type Add = (d: Difference) => void;

function allChildren(
  expected: XmlElement[],
  actualAll: XmlElement[],
  path: string,
  options: XmlDifferenceOptions,
  add: Add,
): void {
  const documentedKeys = new Set(expected.map(key));
  const actual = options.optional
    ? actualAll.filter((a) => documentedKeys.has(key(a)) || !options.optional!(a))
    : actualAll;
  const extra = (a: XmlElement) => {
    if (!options.allowExtra)
      add({
        path: `${path}/${a.name}`,
        what: 'extra element',
        expected: '(nothing)',
        actual: `<${a.name}>`,
        actualLine: a.line,
      });
  };
  let j = 0;
  for (let i = 0; i < expected.length; i++) {
    const e = expected[i]!;
    const a = actual[j];
    if (!a) {
      add({
        path: `${path}/${e.name}`,
        what: 'missing element',
        expected: `<${e.name}>`,
        actual: '(nothing)',
        expectedLine: e.line,
      });
      continue;
    }
    if (key(e) === key(a)) {
      allElement(e, a, `${path}/${e.name}`, options, add);
      j++;
      continue;
    }
    const later = actual.findIndex((x, k) => k > j && key(x) === key(e));
    const awaited = expected.some((x, k) => k > i && key(x) === key(a));
    if (later !== -1) {
      // Live elements before the documented one are extra.
      for (; j < later; j++) extra(actual[j]!);
      i--;
    } else if (awaited) {
      add({
        path: `${path}/${e.name}`,
        what: 'missing element',
        expected: `<${e.name}>`,
        actual: '(nothing)',
        expectedLine: e.line,
      });
    } else {
      // Neither is found further on: one stands where the other is documented (renamed, or in another namespace).
      const what = e.local === a.local ? 'namespace' : 'element';
      add({
        path: `${path}/${e.name}`,
        what,
        expected: what === 'namespace' ? `${e.local} in ${e.ns ?? '(no namespace)'}` : `<${e.name}>`,
        actual: what === 'namespace' ? `${a.local} in ${a.ns ?? '(no namespace)'}` : `<${a.name}>`,
        expectedLine: e.line,
        actualLine: a.line,
      });
      j++;
    }
  }
  for (; j < actual.length; j++) extra(actual[j]!);
}

function allElement(e: XmlElement, a: XmlElement, path: string, options: XmlDifferenceOptions, add: Add): void {
  for (const d of ownDifferences(e, a, path, options)) add(d);
  const eKids = childElements(e);
  const aKids = childElements(a);
  const elidedChildren = /\.\.\.|…/.test(elementText(e));
  allChildren(eKids, aKids, path, elidedChildren ? { ...options, allowExtra: true } : options, add);
}
