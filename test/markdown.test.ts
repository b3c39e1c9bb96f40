import { describe, expect, it } from 'vitest';
import { buildPage } from '../src/page/page.js';

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
