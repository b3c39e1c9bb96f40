/**
 * Property-based fuzzing of every parser (fast-check): no exception escapes, every diagnostic
 * position lies inside the input, and parsing is deterministic. Inputs include mutations of
 * the real pages in docs/. A failure's seed and input go to fixtures/fuzz/ as a regression case.
 */
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { fc, test } from '@fast-check/vitest';
import { describe, expect } from 'vitest';
import { parseFrontMatter } from '../src/page/frontmatter.js';
import { buildPage } from '../src/page/page.js';
import { decodeSource } from '../src/page/read.js';
import { parseHttpSample } from '../src/formats/http.js';
import { parseJsonSample } from '../src/formats/json.js';
import { parseXmlSample } from '../src/formats/xml.js';
import { docsDir, repoRoot } from './helpers/paths.js';

const RUNS = 10_000;
const file = { absPath: '/virtual/docs/pt-BR/page.md', displayPath: 'docs/pt-BR/page.md', root: '/virtual/docs' };

const realPages = readdirSync(docsDir, { recursive: true })
  .filter((f) => String(f).endsWith('.md'))
  .map((f) => readFileSync(path.join(docsDir, String(f)), 'utf8'));
/** Real pages cut into windows of at most 150 lines (front matter kept), so 10,000 runs stay quick. */
const pageWindows = realPages.flatMap((page) => {
  const lines = page.split('\n');
  const fmEnd = lines.indexOf('---', 1) + 1;
  const out: string[] = [];
  for (let i = fmEnd; i < lines.length; i += 150)
    out.push([...lines.slice(0, fmEnd), ...lines.slice(i, i + 150)].join('\n'));
  return out;
});
const regressions = (() => {
  try {
    return readdirSync(path.join(repoRoot, 'fixtures/fuzz')).map((n) =>
      readFileSync(path.join(repoRoot, 'fixtures/fuzz', n), 'utf8'),
    );
  } catch {
    return [];
  }
})();

/** Mutations of real pages: cut, duplicate, splice in hostile fragments, at random places. */
const FRAGMENTS = [
  '```',
  '```xml\n',
  '~~~',
  '---\n',
  '<!-- {',
  '} -->',
  '<a name="x">',
  '<span data-ttu-id="a">',
  '</span>',
  '[!INCLUDE [x](../../../../etc/passwd)]',
  '&quot;',
  '\u0000',
  '\uFEFF',
  '\r\n',
  '\t',
  '> **Note:** ',
  '# [Go](#tab/go)',
  '| a | b |\n|---|---|\n',
  '<!DOCTYPE x [<!ENTITY a "b">]>',
  '...',
  '{',
  '}',
  ':',
  '：',
  '"',
  '\\',
  '\ud800',
  '𝕏',
  'ITBasicCallControl::D isconnect',
];
const mutatedPage = fc
  .record({
    page: fc.constantFrom(...pageWindows),
    edits: fc.array(
      fc.record({
        at: fc.nat(),
        cut: fc.nat({ max: 200 }),
        insert: fc.oneof(fc.constantFrom(...FRAGMENTS), fc.string({ maxLength: 20 })),
      }),
      { maxLength: 6 },
    ),
  })
  .map(({ page, edits }) => {
    let text = page;
    for (const e of edits) {
      const at = e.at % (text.length + 1);
      text = text.slice(0, at) + e.insert + text.slice(Math.min(text.length, at + e.cut));
    }
    return text;
  });

function lineCount(text: string): number {
  return text.split('\n').length;
}

function positionsInside(diagnostics: { line: number; column: number }[], text: string): void {
  const lines = text.split('\n');
  for (const d of diagnostics) {
    expect(d.line, JSON.stringify(d)).toBeGreaterThanOrEqual(1);
    expect(d.line, JSON.stringify(d)).toBeLessThanOrEqual(lines.length);
    expect(d.column, JSON.stringify(d)).toBeGreaterThanOrEqual(1);
    expect(d.column, JSON.stringify(d)).toBeLessThanOrEqual((lines[d.line - 1]?.length ?? 0) + 1);
  }
}

const json = (v: unknown) => JSON.stringify(v, (_k, x) => (typeof x === 'symbol' ? String(x) : x));

describe('fuzzing', () => {
  test.prop(
    [
      fc.oneof(
        mutatedPage,
        fc.string({ maxLength: 400 }),
        fc.constantFrom(...(regressions.length ? regressions : ['# x'])),
      ),
    ],
    { numRuns: RUNS },
  )(
    'markdown pages',
    (text) => {
      const page = buildPage(file, text, [], text.length);
      positionsInside(page.diagnostics, text);
      for (const s of page.samples) {
        expect(s.line).toBeGreaterThanOrEqual(1);
        expect(s.endLine).toBeLessThanOrEqual(lineCount(text));
      }
      expect(json(buildPage(file, text, [], text.length))).toBe(json(page));
    },
    300_000,
  );

  test.prop(
    [
      fc.oneof(
        fc.string({ maxLength: 300 }),
        fc
          .constantFrom(...realPages)
          .map((p) => p.slice(0, p.indexOf('\n---', 4) + 5))
          .chain((fm) => fc.nat({ max: fm.length }).map((n) => fm.slice(0, n) + fm.slice(n + 1))),
      ),
    ],
    { numRuns: RUNS },
  )('front matter', (text) => {
    const r = parseFrontMatter(text, 'f.md');
    positionsInside(r.diagnostics, text);
    expect(r.bodyOffset).toBeLessThanOrEqual(text.length);
    expect(json(parseFrontMatter(text, 'f.md'))).toBe(json(r));
  });

  const xmlish = fc.stringMatching(/^[<>/a-z:= "'&;!?\-\[\]\n.…xmlns]{0,120}$/);
  test.prop([fc.oneof(xmlish, fc.string({ maxLength: 200 }))], { numRuns: RUNS })('XML samples', (text) => {
    const doc = parseXmlSample(text);
    positionsInside(doc.issues, text);
    expect(json(parseXmlSample(text))).toBe(json(doc));
  });

  const httpish = fc
    .tuple(
      fc.constantFrom('GET', 'POST', 'HTTP/1.1', 'DELETE', 'PATCH', ''),
      fc.string({ maxLength: 40 }),
      fc.array(fc.string({ maxLength: 30 }), { maxLength: 5 }),
      fc.string({ maxLength: 80 }),
    )
    .map(([m, t, hs, b]) => `${m} ${t}\n${hs.join('\n')}\n\n${b}`);
  test.prop([fc.oneof(httpish, fc.string({ maxLength: 200 }))], { numRuns: RUNS })('HTTP messages', (text) => {
    const r = parseHttpSample(text);
    positionsInside(r.issues, text);
    expect(json(parseHttpSample(text))).toBe(json(r));
  });

  const jsonish = fc.oneof(
    fc.json().map((j) => j.replace(/,/, ', ..., ')),
    fc.stringMatching(/^[{}[\]":,. 0-9a-z\-\n/*…]{0,120}$/),
    fc.string({ maxLength: 120 }),
  );
  test.prop([jsonish], { numRuns: RUNS })('JSON with ellipses', (text) => {
    const doc = parseJsonSample(text);
    for (const e of doc.errors) {
      expect(e.offset).toBeGreaterThanOrEqual(0);
      expect(e.offset).toBeLessThanOrEqual(text.length);
    }
    expect(json(parseJsonSample(text))).toBe(json(doc));
  });

  test.prop([fc.uint8Array({ maxLength: 300 })], { numRuns: RUNS })('byte decoding', (bytes) => {
    const r = decodeSource('f.md', bytes);
    if (r.text !== null)
      positionsInside(
        r.diagnostics.filter((d) => d.ruleId !== 'file-binary'),
        r.text,
      );
    expect(json(decodeSource('f.md', bytes))).toBe(json(r));
  });
});
