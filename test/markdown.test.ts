import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseFrontMatter } from '../src/page/frontmatter.js';
import { parseMarkdown } from '../src/page/markdown.js';
import { buildPage } from '../src/page/page.js';
import { docsDir, repoRoot } from './helpers/paths.js';

const file = { absPath: '/virtual/docs/pt-BR/page.md', displayPath: 'docs/pt-BR/page.md', root: '/virtual/docs' };
const build = (text: string) => buildPage(file, text, [], text.length);

describe('DocFX structure', () => {
  it('applies an ApiDoctor annotation across blank lines, keeping every key', () => {
    const p = build('# T\n\n<!-- {\n  "blockType": "request",\n  "name": "get-x",\n  "sampleKeys": ["a"]\n}-->\n\n```http\nGET /x\n```\n');
    expect(p.samples[0]).toMatchObject({ id: 'get-x/request', role: 'request', annotation: { blockType: 'request', name: 'get-x', sampleKeys: ['a'] } });
    expect(p.annotations[0]!.codeLine).toBe(9);
  });

  it('reports an unterminated fence at its opening line and keeps the page', () => {
    const p = build('# T\n\n## <a name="a"></a>A\n\n```xml\n<a/>\n\nmore text\n');
    expect(p.diagnostics).toEqual([expect.objectContaining({ ruleId: 'fence-unterminated', severity: 'error', line: 5, column: 1 })]);
    expect(p.samples).toHaveLength(1);
  });

  it('maps XML errors inside an indented fence to the page line and column', () => {
    const p = build('# T\n\n- item\n\n  ```xml\n  <a>\n    <b></c>\n  </a>\n  ```\n');
    const d = p.diagnostics.find((x) => x.ruleId === 'xml-malformed')!;
    expect(d.line).toBe(7);
    expect(d.column).toBeGreaterThan(2);
  });

  it('does not let a bilingual span alone on its line swallow the markdown after it', () => {
    const p = build('# T\n\n<span data-ttu-id="x-1">请求</span><span class="sxs-lookup"><span data-stu-id="x-1">Request</span></span>\n## <a name="req"></a>B\n\n```http\nGET /x\n```\n');
    expect(p.headings.map((h) => h.anchor)).toEqual(['t', 'req']);
    expect(p.bilingual).toEqual([expect.objectContaining({ translation: '请求', source: 'Request', line: 3 })]);
    expect(p.samples[0]!.section).toEqual(['req']);
  });

  it('keeps tabs out of the section path and closes them at ---', () => {
    const p = build('# T\n\n## <a name="ex"></a>Ex\n\n# [HTTP](#tab/http)\n```http\nGET /x\n```\n# [C#](#tab/csharp)\n[!INCLUDE [sample-code](../x.md)]\n\n---\n\n```json\n{}\n```\n');
    expect(p.samples.map((s) => [s.section, s.tab])).toEqual([[['ex'], 'http'], [['ex'], null]]);
    expect(p.includes).toEqual([{ name: 'sample-code', path: '../x.md', line: 10, column: 1 }]);
    expect(p.links.filter((l) => l.kind === 'tab').map((l) => l.url)).toEqual(['#tab/http', '#tab/csharp']);
  });

  it('slugs headings without an <a name> as DocFX does', () => {
    const p = build('# Disconnect operation\n\n## Disconnect request example\n\n```xml\n<a/>\n```\n');
    expect(p.headings.map((h) => [h.anchor, h.anchorSource])).toEqual([['disconnect-operation', 'slug'], ['disconnect-request-example', 'slug']]);
  });

  it('records lockstep-disable directives on the next sample', () => {
    const p = build('# T\n\n<!-- lockstep-disable sample-mismatch -->\n```json\n{}\n```\n');
    expect(p.samples[0]!.disabledRules).toEqual(['sample-mismatch']);
  });

  it('reports an annotation that is not valid JSON and still applies it', () => {
    const p = build('# T\n\n<!-- { "blockType": "response", } -->\n```http\nHTTP/1.1 200 OK\n```\n');
    expect(p.diagnostics).toEqual([expect.objectContaining({ ruleId: 'annotation-invalid', line: 3 })]);
    expect(p.samples[0]!.annotation).toEqual({ blockType: 'response' });
  });
});

describe('the markdown fast path (remark-gfm without autolink literals unless needed)', () => {
  const same = (text: string) => {
    const fast = parseMarkdown(text, 0).tree;
    const full = parseMarkdown(text, 0, { full: true }).tree;
    expect(fast, text).toStrictEqual(full);
    return full;
  };
  const links = (node: { type: string; children?: unknown[] }): number =>
    (node.type === 'link' ? 1 : 0) + (node.children ?? []).reduce<number>((n, c) => n + links(c as { type: string }), 0);

  it('gives remark-gfm’s tree, positions included, on every bundled page and fixture', () => {
    const pages = [docsDir, path.join(repoRoot, 'fixtures')].flatMap((dir) => readdirSync(dir, { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.md')).map((f) => path.join(dir, f)));
    expect(pages.length).toBeGreaterThan(40);
    for (const page of pages) {
      const text = readFileSync(page, 'utf8');
      const { bodyOffset } = parseFrontMatter(text, page);
      expect(parseMarkdown(text, bodyOffset).tree, page).toStrictEqual(parseMarkdown(text, bodyOffset, { full: true }).tree);
    }
  });

  it('parses again with literals where a text node turns out to hold one', () => {
    // A URL in parentheses and an at sign written as a character reference: neither looks like a
    // literal in the source, both are literals to remark-gfm.
    expect(links(same('Namespace (https://schemas.microsoft.com/exchange/services/2006/types).\n'))).toBe(1);
    expect(links(same('Write to admin&#64;contoso.com today.\n'))).toBe(1);
    // Literals in table cells, in emphasis and in link text; an `@odata.type` that is none.
    expect(links(same('| Namespace |\n| --- |\n| https://schemas.microsoft.com/exchange/services/2006/messages |\n'))).toBe(1);
    expect(links(same('_https://contoso.com/a_b_ and www.contoso.com\n'))).toBe(2);
    expect(links(same('[see https://contoso.com](https://learn.microsoft.com)\n'))).toBe(1);
    expect(links(same('The `@odata.type` and @odata.nextLink properties.\n'))).toBe(0);
    // URLs only in links, autolinks and code: the fast path's tree.
    expect(links(same('[Graph](https://graph.microsoft.com/v1.0) <https://contoso.com>\n\n```http\nGET https://graph.microsoft.com/v1.0/me\n```\n'))).toBe(2);
  });
});
