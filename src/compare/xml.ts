import { childElements, elementText, type XmlDocument, type XmlElement } from '../sample/xml.js';
import type { Difference } from './difference.js';

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
export function compareXml(expected: XmlDocument, actual: XmlDocument, options: XmlCompareOptions = {}): Difference | null {
  return compareChildren(expected.roots, actual.roots, '', options);
}

function compareChildren(expected: XmlElement[], actual: XmlElement[], path: string, options: XmlCompareOptions): Difference | null {
  let j = 0;
  for (let i = 0; i < expected.length; i++) {
    const e = expected[i]!;
    const a = actual[j];
    if (!a) {
      return { path: `${path}/${e.name}`, what: 'missing element', expected: `<${e.name}>`, actual: '(nothing)', expectedLine: e.line, actualLine: actual.at(-1)?.line };
    }
    if (key(e) !== key(a)) {
      if (options.allowExtra) {
        const found = actual.findIndex((x, k) => k > j && key(x) === key(e));
        if (found !== -1) { j = found; i--; continue; }
      }
      const what = e.local === a.local ? 'namespace' : 'element';
      return {
        path: `${path}/${e.name}`, what,
        expected: what === 'namespace' ? `${e.local} in ${e.ns ?? '(no namespace)'}` : `<${e.name}>`,
        actual: what === 'namespace' ? `${a.local} in ${a.ns ?? '(no namespace)'}` : `<${a.name}>`,
        expectedLine: e.line, actualLine: a.line,
      };
    }
    const d = compareElement(e, a, `${path}/${e.name}`, options);
    if (d) return d;
    j++;
  }
  if (j < actual.length && !options.allowExtra) {
    const extra = actual[j]!;
    return { path: `${path}/${extra.name}`, what: 'extra element', expected: '(nothing)', actual: `<${extra.name}>`, expectedLine: expected.at(-1)?.line, actualLine: extra.line };
  }
  return null;
}

function compareElement(e: XmlElement, a: XmlElement, path: string, options: XmlCompareOptions): Difference | null {
  const attrKey = (x: { ns: string | null; local: string; prefix: string | null }) => `{${x.ns ?? (x.prefix ? `${x.prefix}:` : '')}}${x.local}`;
  const actualAttrs = new Map(a.attributes.map((x) => [attrKey(x), x]));
  for (const attr of e.attributes) {
    const other = actualAttrs.get(attrKey(attr));
    if (!other) return { path: `${path}/@${attr.name}`, what: 'missing attribute', expected: attr.value, actual: '(absent)', expectedLine: e.line, actualLine: a.line };
    if (options.text !== false && attr.value !== other.value && !isEllipsis(attr.value) && !options.acceptText?.(attr.value, other.value)) {
      return { path: `${path}/@${attr.name}`, what: 'attribute value', expected: attr.value, actual: other.value, expectedLine: e.line, actualLine: a.line };
    }
    actualAttrs.delete(attrKey(attr));
  }
  if (!options.allowExtra) {
    const extra = [...actualAttrs.values()][0];
    if (extra) return { path: `${path}/@${extra.name}`, what: 'extra attribute', expected: '(absent)', actual: extra.value, expectedLine: e.line, actualLine: a.line };
  }
  const eKids = childElements(e);
  const aKids = childElements(a);
  if (options.text !== false) {
    const et = collapse(elementText(e));
    const at = collapse(elementText(a));
    const elided = isEllipsis(et) || (eKids.length > 0 && et.replace(/\.\.\.|…/g, '').trim() === '');
    if (et !== at && !elided && !options.acceptText?.(et, at)) {
      return { path, what: 'text', expected: et, actual: at, expectedLine: e.line, actualLine: a.line };
    }
  }
  const elidedChildren = /\.\.\.|…/.test(elementText(e));
  return compareChildren(eKids, aKids, path, elidedChildren ? { ...options, allowExtra: true } : options);
}
