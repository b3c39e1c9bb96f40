import type { HttpBody, HttpHeader } from '../formats/http.js';
import { positionAt } from '../util/text.js';
import type { Sample } from '../sample/sample.js';
import { shorten, type Difference } from './difference.js';
import { compareJson } from './json.js';
import { compareXml } from './xml.js';

/** Page line of a sample's HTTP body, or null. */
export function bodyPageLine(s: Sample): number | null {
  if (s.kind === 'http-request') return s.bodyLine;
  if (s.kind === 'http-response' && s.http.body) return s.contentLine + s.http.body.line - 1;
  return null;
}

function placeLines(d: Difference, expectedBase: number, actualBase: number): Difference {
  return {
    ...d,
    expectedLine: d.expectedLine !== undefined ? expectedBase + d.expectedLine - 1 : expectedBase,
    actualLine: d.actualLine !== undefined ? actualBase + d.actualLine - 1 : actualBase,
  };
}

function compareBodies(e: HttpBody | null, a: HttpBody | null, eLine: number, aLine: number): Difference | null {
  if (!e && !a) return null;
  if (!e || !a)
    return {
      path: 'body',
      what: e ? 'missing body' : 'extra body',
      expected: e ? shorten(e.text) : '(none)',
      actual: a ? shorten(a.text) : '(none)',
      expectedLine: eLine,
      actualLine: aLine,
    };
  if (e.type === 'json' && a.type === 'json') {
    if (!e.json.value || !a.json.value) return null; // malformed bodies are sample-malformed's business
    const d = compareJson(e.json.value, a.json.value);
    if (!d) return null;
    return {
      ...d,
      path: `body ${d.path}`,
      expectedLine: eLine + positionAt(e.text, d.expectedOffset ?? 0).line - 1,
      actualLine: aLine + positionAt(a.text, d.actualOffset ?? 0).line - 1,
    };
  }
  if (e.type === 'xml' && a.type === 'xml') {
    const d = compareXml(e.xml, a.xml);
    return d ? placeLines({ ...d, path: `body ${d.path}` }, eLine, aLine) : null;
  }
  if (e.type !== a.type)
    return {
      path: 'body',
      what: 'body type',
      expected: e.type,
      actual: a.type,
      expectedLine: eLine,
      actualLine: aLine,
    };
  const norm = (t: string) => t.replace(/\s+/g, ' ').trim();
  return norm(e.text) === norm(a.text)
    ? null
    : {
        path: 'body',
        what: 'body text',
        expected: shorten(e.text),
        actual: shorten(a.text),
        expectedLine: eLine,
        actualLine: aLine,
      };
}

function compareHeaders(e: HttpHeader[], a: HttpHeader[], eBase: number, aBase: number): Difference | null {
  // Headers may repeat (Set-Cookie): compare the values of each name in order.
  const byName = new Map<string, HttpHeader[]>();
  for (const h of a) byName.set(h.name.toLowerCase(), [...(byName.get(h.name.toLowerCase()) ?? []), h]);
  for (const h of e) {
    const others = byName.get(h.name.toLowerCase());
    const other = others?.shift();
    if (!other)
      return {
        path: `header ${h.name}`,
        what: 'missing header',
        expected: h.value,
        actual: '(absent)',
        expectedLine: eBase + h.line - 1,
        actualLine: aBase,
      };
    if (other.value.trim() !== h.value.trim())
      return {
        path: `header ${h.name}`,
        what: 'header value',
        expected: h.value,
        actual: other.value,
        expectedLine: eBase + h.line - 1,
        actualLine: aBase + other.line - 1,
      };
  }
  const extra = [...byName.values()].flat()[0];
  return extra
    ? {
        path: `header ${extra.name}`,
        what: 'extra header',
        expected: '(absent)',
        actual: extra.value,
        expectedLine: eBase,
        actualLine: aBase + extra.line - 1,
      }
    : null;
}

/**
 * Semantic comparison of two aligned samples (one per locale). Lines in the result are
 * page lines. Text samples (code in other languages) are not compared: translation may
 * legitimately localize their comments.
 */
export function compareSamples(expected: Sample, actual: Sample): Difference | null {
  // The same text is the same parse: what the locales of a group show, mostly (and what compareParsed finds equal).
  if (expected.kind === actual.kind && expected.text === actual.text) return null;
  return compareParsed(expected, actual);
}

/** compareSamples, from the parses alone (exported for the test that holds it to find a sample equal to itself). */
export function compareParsed(expected: Sample, actual: Sample): Difference | null {
  const eBase = expected.contentLine;
  const aBase = actual.contentLine;
  if (expected.kind !== actual.kind)
    return {
      path: '(sample)',
      what: 'kind',
      expected: expected.kind,
      actual: actual.kind,
      expectedLine: expected.line,
      actualLine: actual.line,
    };
  switch (expected.kind) {
    case 'xml': {
      if (actual.kind !== 'xml') return null;
      const d = compareXml(expected.xml, actual.xml);
      return d ? placeLines(d, eBase, aBase) : null;
    }
    case 'json': {
      if (actual.kind !== 'json' || !expected.json.value || !actual.json.value) return null;
      const d = compareJson(expected.json.value, actual.json.value);
      if (!d) return null;
      return {
        ...d,
        expectedLine: eBase + positionAt(expected.text, d.expectedOffset ?? 0).line - 1,
        actualLine: aBase + positionAt(actual.text, d.actualOffset ?? 0).line - 1,
      };
    }
    case 'http-request': {
      if (actual.kind !== 'http-request' || !expected.http || !actual.http) return null;
      const e = expected.http;
      const a = actual.http;
      if (e.method !== a.method)
        return {
          path: 'request line',
          what: 'method',
          expected: e.method,
          actual: a.method,
          expectedLine: expected.line + 1,
          actualLine: actual.line + 1,
        };
      if (e.target !== a.target)
        return {
          path: 'request line',
          what: 'target',
          expected: e.target,
          actual: a.target,
          expectedLine: expected.line + 1,
          actualLine: actual.line + 1,
        };
      return (
        compareHeaders(e.headers, a.headers, eBase, aBase) ??
        compareBodies(e.body, a.body, bodyPageLine(expected) ?? eBase, bodyPageLine(actual) ?? aBase)
      );
    }
    case 'http-response': {
      if (actual.kind !== 'http-response') return null;
      const e = expected.http;
      const a = actual.http;
      if (e.status !== a.status)
        return {
          path: 'status line',
          what: 'status',
          expected: String(e.status),
          actual: String(a.status),
          expectedLine: expected.line + 1,
          actualLine: actual.line + 1,
        };
      return (
        compareHeaders(e.headers, a.headers, eBase, aBase) ??
        compareBodies(e.body, a.body, bodyPageLine(expected) ?? eBase, bodyPageLine(actual) ?? aBase)
      );
    }
    case 'http-request-lines': {
      if (actual.kind !== 'http-request-lines') return null;
      const e = expected.http.alternatives.map((x) => `${x.method} ${x.target}`);
      const a = actual.http.alternatives.map((x) => `${x.method} ${x.target}`);
      for (let i = 0; i < Math.max(e.length, a.length); i++) {
        if (e[i] !== a[i])
          return {
            path: `line ${i + 1}`,
            what: 'request line',
            expected: e[i] ?? '(none)',
            actual: a[i] ?? '(none)',
            expectedLine: eBase + i,
            actualLine: aBase + i,
          };
      }
      return null;
    }
    default:
      return null;
  }
}
