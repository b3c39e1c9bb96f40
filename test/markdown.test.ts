import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import v8 from 'node:v8';
import { runInNewContext } from 'node:vm';
import { describe, expect, it } from 'vitest';
import { parseFrontMatter } from '../src/page/frontmatter.js';
import { literalLinks, MAX_LINE_LENGTH, pageStructure, parseMarkdown } from '../src/markdown/markdown.js';
import { parseFastOutline } from '../src/markdown/fast-outline.js';
import { buildPage } from '../src/page/page.js';
import { docsDir, repoRoot } from './helpers/paths.js';

const file = { absPath: '/virtual/docs/pt-BR/page.md', displayPath: 'docs/pt-BR/page.md', root: '/virtual/docs' };
const build = (text: string) => buildPage(file, text, [], text.length);

describe('DocFX structure', () => {
  it('applies an ApiDoctor annotation across blank lines, keeping every key', () => {
    const p = build(
      '# T\n\n<!-- {\n  "blockType": "request",\n  "name": "get-x",\n  "sampleKeys": ["a"]\n}-->\n\n```http\n' +
        'GET /x\n```\n',
    );
    expect(p.samples[0]).toMatchObject({
      id: 'get-x/request',
      role: 'request',
      annotation: { blockType: 'request', name: 'get-x', sampleKeys: ['a'] },
    });
    expect(p.annotations[0]!.codeLine).toBe(9);
  });

  it('parses a sample written alike on two pages once, each page keeping its own places', () => {
    // The docs/ disconnect pages show the same SOAP envelopes in every locale.
    const read = (locale: string) => {
      const name = `${locale}/exchange/web-service-reference/disconnect-operation-um-web-service.md`;
      const text = readFileSync(path.join(docsDir, name), 'utf8');
      return buildPage({ ...file, displayPath: `docs/${name}` }, text, [], text.length);
    };
    const [pt, ru] = [read('pt-BR'), read('ru-RU')];
    const xml = (p: typeof pt) => p.samples.filter((s) => s.kind === 'xml');
    expect(xml(pt).length).toBeGreaterThan(0);
    xml(pt).forEach((sample, k) => {
      const theirs = xml(ru)[k]!;
      expect(sample.text).toBe(theirs.text);
      expect(sample.kind === 'xml' && theirs.kind === 'xml' && sample.xml === theirs.xml).toBe(true);
    });
    // A broken sample shared by two pages is reported on each page at its own line and column.
    const broken = '```xml\n<a>\n  <b></c>\n</a>\n```\n';
    const first = build(`# T\n\n${broken}`);
    const second = build(`# T\n\nIntro.\n\n- Item:\n\n  ${broken.replace(/\n(?!$)/g, '\n  ')}`);
    const place = (p: typeof first) => p.diagnostics.map((d) => [d.ruleId, d.line, d.column]);
    expect(place(first)).toEqual([['xml-malformed', 5, 6]]);
    expect(place(second)).toEqual([['xml-malformed', 9, 8]]);
    const [a, b] = [first.samples[0]!, second.samples[0]!];
    expect(a.kind === 'xml' && b.kind === 'xml' && a.xml === b.xml).toBe(true);
  });

  it('keeps no page alive through a sample it parsed once (a one-line block is a slice of its page)', () => {
    v8.setFlagsFromString('--expose-gc');
    const gc = runInNewContext('gc') as () => void;
    gc();
    const before = process.memoryUsage().heapUsed;
    // 500 pages of 42 kB, each with its own one-line request: 21 MB of pages, were the samples to hold them.
    for (let k = 0; k < 500; k++)
      build(`# T\n\n${'Prose. '.repeat(6000)}\n\n\`\`\`http\nGET /v1.0/users/${k}/messages\n\`\`\`\n`);
    gc();
    expect(process.memoryUsage().heapUsed - before).toBeLessThan(8e6);
  });

  it('reports an unterminated fence at its opening line and keeps the page', () => {
    const p = build('# T\n\n## <a name="a"></a>A\n\n```xml\n<a/>\n\nmore text\n');
    expect(p.diagnostics).toEqual([
      expect.objectContaining({ ruleId: 'fence-unterminated', severity: 'error', line: 5, column: 1 }),
    ]);
    expect(p.samples).toHaveLength(1);
  });

  it('reads a marker indented four columns or more as the content of an unterminated fence, not its close', () => {
    // The last line of the page, with no line break after it: nothing follows to show the fence runs on.
    for (const end of ['', '\n']) {
      const p = build(`# T\n\n\`\`\`xml\n<a/>\n    \`\`\`${end}`);
      expect(p.diagnostics, JSON.stringify(end)).toEqual([
        expect.objectContaining({ ruleId: 'fence-unterminated', line: 3, column: 1 }),
      ]);
      expect(p.samples[0]!.text).toBe('<a/>\n    ```');
    }
    // In a list item the close may stand up to three columns past the item's content.
    expect(build('# T\n\n- item\n\n  ```xml\n  <a/>\n     ```').diagnostics).toEqual([]);
    expect(build('# T\n\n- item\n\n  ```xml\n  <a/>\n      ```').diagnostics).toEqual([
      expect.objectContaining({ ruleId: 'fence-unterminated', line: 5, column: 3 }),
    ]);
  });

  it('locates the cells of a table whose header shares its line with a list item marker', () => {
    const p = build('# T\n\n- | Name | Type |\n  | --- | --- |\n  | id | String |\n');
    expect(p.tables[0]!.header.map((c) => [c.text, c.line, c.column])).toEqual([
      ['Name', 3, 5],
      ['Type', 3, 12],
    ]);
    expect(p.tables[0]!.rows[0]!.map((c) => [c.text, c.column])).toEqual([
      ['id', 5],
      ['String', 10],
    ]);
  });

  it('maps XML errors inside an indented fence to the page line and column', () => {
    const p = build('# T\n\n- item\n\n  ```xml\n  <a>\n    <b></c>\n  </a>\n  ```\n');
    const d = p.diagnostics.find((x) => x.ruleId === 'xml-malformed')!;
    expect(d.line).toBe(7);
    expect(d.column).toBeGreaterThan(2);
  });

  it('does not let a bilingual span alone on its line swallow the markdown after it', () => {
    const p = build(
      '# T\n\n<span data-ttu-id="x-1">请求</span><span class="sxs-lookup"><span data-stu-id="x-1">Request</span>' +
        '</span>\n## <a name="req"></a>B\n\n```http\nGET /x\n```\n',
    );
    expect(p.headings.map((h) => h.anchor)).toEqual(['t', 'req']);
    expect(p.bilingual).toEqual([expect.objectContaining({ translation: '请求', source: 'Request', line: 3 })]);
    expect(p.samples[0]!.section).toEqual(['req']);
  });

  it('keeps tabs out of the section path and closes them at ---', () => {
    const p = build(
      '# T\n\n## <a name="ex"></a>Ex\n\n# [HTTP](#tab/http)\n```http\nGET /x\n```\n# [C#](#tab/csharp)\n' +
        '[!INCLUDE [sample-code](../x.md)]\n\n---\n\n```json\n{}\n```\n',
    );
    expect(p.samples.map((s) => [s.section, s.tab])).toEqual([
      [['ex'], 'http'],
      [['ex'], null],
    ]);
    expect(p.includes).toEqual([{ name: 'sample-code', path: '../x.md', line: 10, column: 1 }]);
    expect(p.links.filter((l) => l.kind === 'tab').map((l) => l.url)).toEqual(['#tab/http', '#tab/csharp']);
  });

  it('slugs headings without an <a name> as DocFX does', () => {
    const p = build('# Disconnect operation\n\n## Disconnect request example\n\n```xml\n<a/>\n```\n');
    expect(p.headings.map((h) => [h.anchor, h.anchorSource])).toEqual([
      ['disconnect-operation', 'slug'],
      ['disconnect-request-example', 'slug'],
    ]);
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
    (node.type === 'link' ? 1 : 0) +
    (node.children ?? []).reduce<number>((n, c) => n + links(c as { type: string }), 0);

  it('gives remark-gfm’s tree, positions included, on every bundled page and fixture', () => {
    const pages = [docsDir, path.join(repoRoot, 'fixtures')].flatMap((dir) =>
      readdirSync(dir, { recursive: true, encoding: 'utf8' })
        .filter((f) => f.endsWith('.md'))
        .map((f) => path.join(dir, f)),
    );
    expect(pages.length).toBeGreaterThan(40);
    for (const page of pages) {
      const text = readFileSync(page, 'utf8');
      const { bodyOffset } = parseFrontMatter(text, page);
      expect(parseMarkdown(text, bodyOffset).tree, page).toStrictEqual(
        parseMarkdown(text, bodyOffset, { full: true }).tree,
      );
    }
  });

  it('parses again with literals where a text node turns out to hold one', () => {
    // A URL in parentheses and an at sign written as a character reference: neither looks like a
    // literal in the source, both are literals to remark-gfm.
    expect(links(same('Namespace (https://schemas.microsoft.com/exchange/services/2006/types).\n'))).toBe(1);
    expect(links(same('Write to admin&#64;contoso.com today.\n'))).toBe(1);
    // Literals in table cells, in emphasis and in link text; an `@odata.type` that is none.
    expect(
      links(same('| Namespace |\n| --- |\n| https://schemas.microsoft.com/exchange/services/2006/messages |\n')),
    ).toBe(1);
    expect(links(same('_https://contoso.com/a_b_ and www.contoso.com\n'))).toBe(2);
    expect(links(same('[see https://contoso.com](https://learn.microsoft.com)\n'))).toBe(1);
    expect(links(same('The `@odata.type` and @odata.nextLink properties.\n'))).toBe(0);
    // URLs only in links, autolinks and code: the fast path's tree.
    expect(
      links(
        same(
          '[Graph](https://graph.microsoft.com/v1.0) <https://contoso.com>\n\n```http\n' +
            'GET https://graph.microsoft.com/v1.0/me\n```\n',
        ),
      ),
    ).toBe(2);
  });
});

describe('the outline: the structure of remark-gfm’s tree for less', () => {
  const structureBothWays = (text: string, bodyOffset = 0) => {
    const outline = parseMarkdown(text, bodyOffset, { outline: true }).tree;
    const full = parseMarkdown(text, bodyOffset, { full: true }).tree;
    return { outline: pageStructure(outline, text, 'p.md'), full: pageStructure(full, text, 'p.md'), tree: outline };
  };
  const types = (node: { type: string; children?: unknown[] }): string[] => [
    node.type,
    ...(node.children ?? []).flatMap((c) => types(c as { type: string })),
  ];

  it('gives the same pages as the full tree on every bundled page and fixture', () => {
    const pages = [docsDir, path.join(repoRoot, 'fixtures')].flatMap((dir) =>
      readdirSync(dir, { recursive: true, encoding: 'utf8' })
        .filter((f) => f.endsWith('.md'))
        .map((f) => path.join(dir, f)),
    );
    expect(pages.length).toBeGreaterThan(40);
    let outlined = 0;
    for (const page of pages) {
      const text = readFileSync(page, 'utf8');
      const entry = { absPath: page, displayPath: path.relative(repoRoot, page), root: path.dirname(page) };
      const { tree, ...lean } = buildPage(entry, text, [], text.length);
      const { tree: full, ...kept } = buildPage(entry, text, [], text.length, { keepTree: true });
      expect(lean, page).toStrictEqual(kept);
      expect(tree).toBeNull();
      expect(full).not.toBeNull();
      const { bodyOffset } = parseFrontMatter(text, page);
      if (!types(parseMarkdown(text, bodyOffset, { outline: true }).tree as never).includes('listItem')) outlined++;
    }
    // Most pages take the outline (no list items in it), not the full tree.
    expect(outlined).toBeGreaterThan(pages.length / 2);
  });

  it('follows mdast-util-from-markdown on the constructs it compiles', () => {
    const cases = [
      // Headings: setext, escapes, character references, emphasis, code, breaks, anchors, tabs.
      'Title ~~struck\nthrough~~\n=====\n\nSub *title* with `code`\nand more\n---\n',
      '## <a name="x"></a>Caf&eacute; &#x41;&#65; \\*not emphasis\\* ~~gone~~\n\n# [HTTP](#tab/http)\n\n' +
        '# [C&#35;](#tab/csharp)\n',
      '### Line one\\\nline two  \nthree\n',
      // Links: inline, reference (full, collapsed, shortcut), autolinks, images, nested code, titles.
      '[a `b` c](https://x.test/a_(b) "t") [ref][r] [r][] [r] ![alt *em*](i.png) ' +
        "![r] <https://auto.test> <me@mail.test>\n\n[r]: https://ref.test/&amp; 'title'\n",
      '[multi\nline](u) [esc\\]aped](v) [&copy;](w)\n',
      // Tables with escaped pipes in code, footnotes, strikethrough, task lists.
      '| a | `b\\|c` |\n| --- | --- |\n| [l](u) | `x\\\\|` |\n\nNote[^1].\n\n[^1]: A *foot* [note](f).\n\n' +
        '- [x] done `c`\n- [ ] todo\n',
      // Callouts, html in quotes and lists, fences in lists, indented code that looks like a fence.
      '> **Note:** text\n\n> [!NOTE]\n> alert\n\n> <!-- { "blockType": "ignored" } -->\n> ```json\n> {}\n> ```\n',
      '1. Step\n\n   ```http\n   GET /x\n   ```\n\n   - nested `c`\n\n     <!-- comment -->\n\n        ```json\n' +
        '        {"indented": true}\n        ```\n',
      // Autolink literals: from micromark's events and from the transform over text.
      'See https://contoso.com/a_(b), www.contoso.com, (https://schemas.test/types), admin&#64;contoso.com, ' +
        'mailto:a@b.test and xmpp:c@d.test/e.\n\n| Namespace |\n| --- |\n| _https://schemas.test/m_ |\n\n' +
        '[see https://x.test](https://y.test) `@odata.type`\n',
      // zh-CN bilingual spans, inline html, a fence never closed.
      '## <span data-ttu-id="1">标题</span><span class="sxs-lookup"><span data-stu-id="1">Title</span></span>\n\n' +
        '<span data-ttu-id="2">见 [链接](a)</span><span class="sxs-lookup"><span data-stu-id="2">See [link](a) ' +
        'and `code`</span></span>\n\n```xml\n<a/>\n',
    ];
    for (const text of cases) {
      const { outline, full } = structureBothWays(text);
      expect(outline, text).toStrictEqual(full);
    }
    // Not vacuous: the cases above hold what each part of the structure is made of.
    const all = cases.map((c) => structureBothWays(c).full);
    for (const key of ['headings', 'fences', 'annotations', 'callouts', 'links', 'inlineCode', 'bilingual'] as const)
      expect(
        all.some((s) => s[key].length > 0),
        key,
      ).toBe(true);
  });

  it('takes the full tree where an outline would not do', () => {
    const list = '- item\n- item\n';
    expect(types(structureBothWays(list).tree as never)).not.toContain('listItem');
    const literal = structureBothWays(`${list}\nSee https://contoso.com now.\n`);
    expect(types(literal.tree as never)).not.toContain('listItem');
    expect(literal.outline.links).toEqual([expect.objectContaining({ url: 'https://contoso.com' })]);
    // Suppressions read the extent of list items.
    expect(types(structureBothWays(`<!-- lockstep-disable sample-missing -->\n${list}`).tree as never)).toContain(
      'listItem',
    );
    const { outline, full } = structureBothWays(
      `- a\n  <!-- lockstep-disable sample-missing -->\n- b\n\n\`\`\`json\n{}\n\`\`\`\n`,
    );
    expect(outline).toStrictEqual(full);
    expect(outline.suppressions).toHaveLength(1);
  });
});

describe('the markdown-it outline (markdown/fast-outline.ts): the same structure, located in the page', () => {
  const structureBothWays = (text: string) => ({
    outline: pageStructure(parseMarkdown(text, 0, { outline: true }).tree, text, 'p.md'),
    full: pageStructure(parseMarkdown(text, 0, { full: true }).tree, text, 'p.md'),
  });
  const taken = (text: string) => parseFastOutline(text, literalLinks) !== null;

  it('outlines a body placed after its front matter, and gives the tree one that does not start a line', () => {
    const page = '---\ntitle: T\n---\n# H\n\nSee [a](b).\n';
    const bodyOffset = page.indexOf('# H');
    expect(parseMarkdown(page, bodyOffset, { outline: true }).outlined).toBe(true);
    const placed = pageStructure(parseMarkdown(page, bodyOffset, { outline: true }).tree, page, 'p.md');
    expect(placed).toStrictEqual(pageStructure(parseMarkdown(page, bodyOffset, { full: true }).tree, page, 'p.md'));
    expect(placed.links[0]).toMatchObject({ url: 'b', line: 6, column: 5 });
    const midLine = '--- [a](b)\n[c](d)\n';
    expect(parseMarkdown(midLine, 4, { outline: true }).outlined).toBe(false);
  });

  it('outlines a CR LF page holding a line over the limit: the line is blanked, its line ending kept', () => {
    // As Exchange's largest page (740 KB): a table row of 47,935 characters among CR LF lines.
    const row = `| [r](u) |${' x |'.repeat(MAX_LINE_LENGTH / 4)}`;
    for (const ending of ['\r\n', '\n']) {
      const page = ['# Title', '', '| a | b |', '| --- | --- |', row, '| [c](d) | e |', '', 'After [f](g).', ''];
      const text = page.join(ending);
      const parsed = parseMarkdown(text, 0, { outline: true });
      expect(parsed.longLines).toEqual([{ line: 5, length: row.length }]);
      expect(parsed.outlined, JSON.stringify(ending)).toBe(true);
      const outline = pageStructure(parsed.tree, text, 'p.md');
      expect(outline).toStrictEqual(pageStructure(parseMarkdown(text, 0, { full: true }).tree, text, 'p.md'));
      expect(outline.links.map((l) => [l.url, l.line])).toEqual([
        ['d', 6],
        ['g', 8],
      ]);
      // A line of the limit's length is kept, whatever its line ending: its CR is no character of it.
      const atLimit = `[a](b)${'x'.repeat(MAX_LINE_LENGTH - 6)}`;
      expect(parseMarkdown(`# T${ending}${atLimit}${ending}`, 0, { outline: true }).longLines).toEqual([]);
    }
  });

  it("outlines most bundled pages and fixtures itself, with the full tree's structure", () => {
    const pages = [docsDir, path.join(repoRoot, 'fixtures')].flatMap((dir) =>
      readdirSync(dir, { recursive: true, encoding: 'utf8' })
        .filter((f) => f.endsWith('.md'))
        .map((f) => path.join(dir, f)),
    );
    let byMarkdownIt = 0;
    for (const page of pages) {
      const text = readFileSync(page, 'utf8');
      const { bodyOffset } = parseFrontMatter(text, page);
      const body = text.slice(0, bodyOffset).replace(/[^\n]/g, ' ') + text.slice(bodyOffset);
      if (taken(body)) byMarkdownIt++;
      expect(pageStructure(parseMarkdown(text, bodyOffset, { outline: true }).tree, text, page), page).toStrictEqual(
        pageStructure(parseMarkdown(text, bodyOffset, { full: true }).tree, text, page),
      );
    }
    expect(byMarkdownIt).toBeGreaterThan(pages.length * 0.9);
  });

  it('locates headings, fences, annotations, quotes, links and code spans as micromark does', () => {
    const cases = [
      // ATX headings with closing sequences and anchors; setext headings over two lines.
      '# Title\n\n## <a name="x"></a>Head with [link](u) and `code` ##\n\n  ### Indented [h](i)\n\n' +
        'Sub *title* with `code`\nand [more](m)\n---\n',
      // Paragraph continuation lines with indentation, hard breaks, entities and escapes in urls.
      'Para [a](1)\n   cont `c` [b](2)  \nbreak\\\nmore `code` lines ' +
        '[e](a&amp;b\\_c) [j](javascript:void(0)) [s](<a b>)\n',
      // Quotes (callouts, lazy lines), lists with fences and annotations, nested lists.
      '> **Note:** see [a](b)\n> and `c`\nlazy [d](e)\n\n> [!TIP]\n> tip\n\n1. Step [one](1)\n\n' +
        '   <!-- { "blockType": "request", "name": "x" } -->\n   ```http\n   GET /x\n   ```\n\n   - nested `c`\n' +
        '     more [n](n)\n',
      // Tables: links and code in cells, a short row, an outer-pipe-less row.
      '| a | [l](u) `x` |\n|---|:--|\n| `y` | [m](v) |\n| [short](s) |\nz | `w`\n',
      // Fences: info and meta (trailing spaces kept), tildes, longer closing fences, html block indented.
      '```json\u00a0x  meta here  \n{}\n```  \n\n  ```http\n  GET /\n  ```\n\n~~~~xml\n<a/>\n~~~~~\n\n' +
        '  <!-- {"blockType":"response"} -->\n```\nplain\n```\n',
      // Autolink literals (in emphasis, after a link, in a cell, decoded only by the transform) and autolinks.
      'See https://contoso.com/a_(b) and <https://auto.test> <me@mail.test>.\n\n*www.a.test* [plain](x) ' +
        'admin@contoso.com, `c` x@y.test_ a&#64;b.test http://a.test/b.\n\n' +
        '| Namespace | [t](u) |\n| --- | --- |\n|http://schemas.test/types  <br/> | _x_ |\n| www.contoso.com | x |\n',
      // Reference definitions and the links they make (a definition node; linkReference, imageReference).
      '[a] and [b][A] and ![i][a]\n\n- [*em*][a]\n\n[a]: https://ref.test "t"\n[b c]: <x y>\n\n> [q]: q.md\n',
      // zh-CN bilingual spans.
      '## <span data-ttu-id="1">标题</span><span class="sxs-lookup"><span data-stu-id="1">Title</span></span>\n\n' +
        '<span data-ttu-id="2">见 [链接](a)</span><span class="sxs-lookup"><span data-stu-id="2">See [link](a) ' +
        'and `code`</span></span>\n',
    ];
    // A page saved with CR LF line endings: a fence and a paragraph over two lines hold them in their values.
    cases.push('# Title\r\n\r\n```json\r\n{\r\n}\r\n```\r\n\r\nSee [a](b)\r\nand `c`.\r\n');
    for (const text of cases) {
      expect(taken(text), text).toBe(true);
      const { outline, full } = structureBothWays(text);
      expect(outline, text).toStrictEqual(full);
    }
    const all = cases.map((c) => structureBothWays(c).full);
    for (const key of ['headings', 'fences', 'annotations', 'callouts', 'links', 'inlineCode', 'bilingual'] as const)
      expect(
        all.some((s) => s[key].length > 0),
        key,
      ).toBe(true);
  });

  it('leaves to remark-gfm what it cannot be sure of, with the same structure', () => {
    const cases = {
      'a definition with text right after it': '[a] and [b][a]\n\n[a]: https://ref.test\nbar\n===\n',
      'a definition over two lines': '[a]\n\n[a]:\nhttps://ref.test\n',
      footnotes: 'Note[^1].\n\n[^1]: A [foot](f) note.\n',
      'mixed line endings (CR LF and LF)': '# Title\r\n\n[a](b)\r\n',
      'a character reference to a line feed in a CR LF page': '# Title\r\n\r\n[a](b) &#10;\r\n',
      'a footnote definition without calls': '[^1]: A [foot](f) note.\n\n        indented\n',
      'an unterminated fence': '> ```json\n> {}\n\n[a](b)\n',
      'an escaped pipe in a table': '| a | `b\\|c` |\n| --- | --- |\n| [l](u) | x |\n',
      'a Unicode space that trim() cuts': '# \u3000Title [a](b)\n\n\u3000Para `c`\u3000\n',
      'indented code that starts like a fence': '    ```json\n    {}\n    ```\n',
      'nesting deeper than markdown-it keeps': `${'>'.repeat(120)} deep [a](b)\n`,
      'a code span over lines': 'more `code\nspanning` lines [e](a)\n',
      'single-tilde strikethrough': '[plain](x) a ~struck~ b `c`\n',
      'a tab before a line break': 'Tabbed [l](u)\t\nnext `c`\n',
      'an autolink literal running into emphasis': 'See http://a.test/*x* [l](u)\n',
      'an autolink literal in a label left open': 'See [the www.a.test site [l](u)\n',
      // Where markdown-it's and micromark's grammars differ: each is the tree's, with its own structure.
      'an e-mail autolink with a ! (markdown-it only)': 'x <a!b@c.d> [l](u)\n',
      'a DEL in an autolink (micromark refuses it)': '<http://a\u007f> [l](u)\n',
      'a control character in an attribute value (HTML to micromark only)': '<a b=www.x.com\u0001> [l](u)\n',
      'an unquoted attribute value holding a slash (text to micromark)': 'See <a href=https://x.test/y>t</a>.\n',
      'a delimiter row under a line without a pipe (a table to GFM)': 'a [l](u)\n---|\n',
      'a link whose label holds an image holding a link (no link to micromark)': '[![[a](u)](v)](w) `c`\n',
      'a tab after spaces after a list marker in two quotes': '> > -  \thttp://x.y *a*\n> > 1.  \thttp://x.y\n',
      'an empty list item right after indented code (text of a setext heading to micromark)':
        '\tcode `c`\n- \nMailbox\n===\n',
    };
    for (const [why, text] of Object.entries(cases)) {
      expect(taken(text), why).toBe(false);
      const { outline, full } = structureBothWays(text);
      expect(outline, why).toStrictEqual(full);
    }
  });
});
