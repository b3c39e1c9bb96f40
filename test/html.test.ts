/**
 * The HTML dashboard on real inputs: the bundled docs linted across their locales, and a real
 * conformance run over loopback against a server with two faults. Cells are checked against what
 * the diagnostics imply, never against hard-coded counts.
 */
import { readFile } from 'node:fs/promises';
import type { Server } from 'node:http';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ConformanceReport } from '../src/conformance/run.js';
import type { Diagnostic } from '../src/diagnostics/diagnostic.js';
import { lint, type LintResult } from '../src/index.js';
import { collectExcerpts, excerptWindow, fencesOf } from '../src/report/excerpts.js';
import { renderHtml } from '../src/report/html.js';
import { cellHtml, findingHtml, matrixCells, spotHtml } from '../src/report/dashboard-client.js';
import { dashboardData, tokenHints, type DashData } from '../src/report/dashboard.js';
import { excerptKey, type RunReport } from '../src/report/model.js';
import { repoRoot } from './helpers/paths.js';
import { close, conformanceWithDeleteFault } from './helpers/servers.js';

const EXCHANGE = 'exchange/web-service-reference/disconnect-operation-um-web-service';
const RU_EXCHANGE = `docs/ru-RU/${EXCHANGE}.md`;
const DELETE_CASE = 'graph/api-reference/beta/api/call-delete#delete-call-1/request';
const SECRET = 'Bearer html-s3cr3t-T0KEN';
const tool = { name: 'lockstep', version: '0.0.0-test' } as const;

let lintResult: LintResult;
let conformance: ConformanceReport;
let report: RunReport;
let html: string;
let data: DashData;
const servers: Server[] = [];

beforeAll(async () => {
  lintResult = await lint(['docs'], { cwd: repoRoot });
  const run = await conformanceWithDeleteFault({ headers: [['Authorization', SECRET]] });
  servers.push(...run.servers);
  conformance = run.report;
  report = { tool, cwd: repoRoot, lint: lintResult, conformance };
  report.excerpts = await collectExcerpts(report);
  html = renderHtml(report);
  data = dashboardData(lintResult, report.excerpts);
}, 60_000);
afterAll(async () => {
  for (const s of servers) await close(s);
});

/** Every matrix cell as the page's script computes it for all findings, keyed `pageId|locale`. */
function cellsOf(d: DashData): Map<string, Record<string, string>> {
  const out = new Map<string, Record<string, string>>();
  const cells = matrixCells(
    d,
    d.findings.map((_, i) => i),
  );
  d.groups.forEach((g, row) =>
    d.locales.slice(0, d.cols).forEach((locale, col) => {
      const c = cells[row]![col]!;
      out.set(`${g.id}|${locale}`, {
        'data-state': c.state,
        'data-errors': String(c.e),
        'data-warnings': String(c.w),
        'data-infos': String(c.i),
        label: cellHtml(c),
      });
    }),
  );
  return out;
}

/** What the diagnostics say a cell must be. */
function expectedCell(diagnostics: readonly Diagnostic[], pageId: string, locale: string, hasPage: boolean) {
  const mine = diagnostics.filter((d) => d.pageId === pageId && d.locale === locale);
  const errors = mine.filter((d) => d.severity === 'error').length;
  const warnings = mine.filter((d) => d.severity === 'warning').length;
  const state = errors > 0 ? 'red' : warnings > 0 ? 'amber' : hasPage ? 'green' : 'missing';
  return { 'data-state': state, 'data-errors': String(errors), 'data-warnings': String(warnings) };
}

describe('the locale × page-group matrix', () => {
  it('has one cell per group and locale, coloured by what the diagnostics say', () => {
    const cells = cellsOf(data);
    const { locales } = lintResult.summary;
    expect(locales).toEqual(['pt-BR', 'ru-RU', 'zh-CN']);
    expect(cells.size).toBe(lintResult.pageGroups.length * locales.length);
    for (const group of lintResult.pageGroups) {
      for (const locale of locales) {
        const hasPage = group.pages.some((p) => p.locale === locale);
        expect(cells.get(`${group.pageId}|${locale}`), `${group.pageId} ${locale}`).toMatchObject(
          expectedCell(lintResult.diagnostics, group.pageId, locale, hasPage),
        );
      }
    }
    // The bundled docs exercise every state, so the loop above compared something of each.
    expect(new Set([...cells.values()].map((c) => c['data-state']))).toEqual(
      new Set(['red', 'amber', 'green', 'missing']),
    );
  });

  it('marks the zh-CN TAPI page missing and the ru-RU Exchange page red with its error count', () => {
    const cells = cellsOf(data);
    expect(cells.get('tapi/drop-ovr|zh-CN')?.['data-state']).toBe('missing');
    const ruErrors = lintResult.diagnostics.filter((d) => d.file === RU_EXCHANGE && d.severity === 'error').length;
    expect(ruErrors).toBeGreaterThan(0);
    expect(cells.get(`${EXCHANGE}|ru-RU`)).toMatchObject({ 'data-state': 'red', 'data-errors': String(ruErrors) });
    expect(cells.get(`${EXCHANGE}|ru-RU`)?.['label']).toMatch(
      new RegExp(`^<span class="n n-err">${ruErrors} errors?</span>`),
    );
  });

  it('offers every locale in the filter', () => {
    const select = /<select id="locale-filter">([\s\S]*?)<\/select>/.exec(html)![1]!;
    const options = [...select.matchAll(/<option value="([^"]*)">/g)].map((m) => m[1]);
    expect(options).toEqual(['', 'pt-BR', 'ru-RU', 'zh-CN']);
    expect(html).toContain('<select id="locale-filter">');
  });
});

/** The markup of one finding, opened, as the page's script builds it. */
function articleOf(d: Diagnostic): string {
  const i = lintResult.diagnostics.indexOf(d);
  return findingHtml(data.findings[i]!, i, data, true);
}

describe('findings side by side across locales', () => {
  const translated = () =>
    lintResult.diagnostics.find(
      (d) => d.file === RU_EXCHANGE && d.ruleId === 'identifier-translated' && d.line === 63,
    )!;

  it('reads the Cyrillic line of the identifier-translated finding and its related locales', () => {
    const d = translated();
    const window = report.excerpts![excerptKey(d.file, d.line)]!;
    expect(window.lines[d.line - window.startLine]).toContain(
      '[Отключение (веб-служба единой системы обмена сообщениями)]',
    );
    const zh = d.related!.find((r) => r.locale === 'zh-CN')!;
    const zhWindow = report.excerpts![excerptKey(zh.file, zh.line)]!;
    expect(zhWindow.lines[zh.line - zhWindow.startLine]).toContain('断开连接（UM web 服务）');
  });

  it("shows one column per locale with the finding's token marked", () => {
    const d = translated();
    const article = articleOf(d);
    expect(article).toContain('data-locale="ru-RU"');
    expect(article).toContain(d.message.slice(0, 40));
    const columns = [...article.matchAll(/data-excerpt-locale="([^"]*)"/g)].map((m) => m[1]);
    expect(columns).toEqual(['ru-RU', ...d.related!.map((r) => r.locale)]);
    // The translated link text is marked on the highlighted line, whole (the message shortens it),
    // and the identifier in the locales that have it.
    expect(article).toContain(
      '<tr class="hl"><td class="ln">63</td><td class="src">- [<mark>Отключение ' +
        '(веб-служба единой системы обмена сообщениями)</mark>](',
    );
    expect(article).toContain('断开连接（UM web 服务）');
    expect(article).toMatch(
      /<tr class="hl hl-related"><td class="ln">63<\/td><td class="src">[^<]*<mark>Disconnect<\/mark>/,
    );
  });

  it('shows the fence of a sample finding: whole, or the 100 lines around the finding', async () => {
    const d = lintResult.diagnostics.find((x) => x.ruleId === 'sample-malformed')!;
    const lines = (await readFile(path.join(repoRoot, d.file), 'utf8')).split('\n');
    // The fence's delimiters: the nearest fence lines above and below the finding.
    let open = d.line - 1;
    while (!/^\s*```/.test(lines[open]!)) open--;
    let close = d.line - 1;
    while (!/^\s*```\s*$/.test(lines[close]!)) close++;
    const w = report.excerpts![excerptKey(d.file, d.line)]!;
    const first = w.startLine - 1;
    const last = first + w.lines.length - 1;
    expect(w.lines).toEqual(lines.slice(first, last + 1));
    if (close - open + 1 <= 100) expect([first, last]).toEqual([open, close]);
    else {
      expect(w.lines.length).toBe(100);
      expect(first).toBeGreaterThanOrEqual(open);
      expect(last).toBeLessThanOrEqual(close);
      expect(d.line - 1 - first >= 40 || first === open).toBe(true);
      expect(last - (d.line - 1) >= 40 || last === close).toBe(true);
    }
    // The related locales name their sample by its opening fence; their fences are whole, and
    // the line at the finding's offset in the sample is highlighted as its counterpart.
    const article = articleOf(d);
    for (const r of d.related!) {
      const rw = report.excerpts![excerptKey(r.file, r.line)]!;
      expect(rw.lines[0]).toMatch(/^\s*```/);
      expect(rw.startLine).toBe(r.line);
      const counterpart = r.line + (d.line - 1 - open);
      const relatedLines = (await readFile(path.join(repoRoot, r.file), 'utf8')).split('\n');
      expect(relatedLines[counterpart - 1]).toBe(lines[d.line - 1]);
      expect(article).toMatch(
        new RegExp(
          `<tr class="hl hl-related counterpart"><td class="ln">${counterpart}</td><td class="src">[^<]*<mark>`,
        ),
      );
    }
  });

  it('lists every finding once, with its locale for the filter', () => {
    const all = data.findings.map((f, i) => findingHtml(f, i, data, false)).join('');
    const articles = [...all.matchAll(/<details class="finding sev-(\w+)"[^>]*data-locale="([^"]*)"/g)];
    expect(articles.map((m) => m[1])).toEqual(expect.arrayContaining(['error', 'warning']));
    expect(articles.length).toBe(lintResult.diagnostics.length);
    expect(articles.map((m) => m[2]).sort()).toEqual(lintResult.diagnostics.map((d) => d.locale).sort());
  });
});

describe('the differing token, marked for the rules that name it', () => {
  /** The marked text of each place of a finding: its own line's, then its related places'. */
  const marked = (d: DashData, i: number) =>
    d.findings[i]!.p.map((spot) => {
      const html = spotHtml(spot, d);
      return /<mark>([^<]*)<\/mark>/.exec(html)?.[1] ?? null;
    });

  it('sample-mismatch: the word where the locales part, here and in the others (not column 1)', async () => {
    const result = await lint(['fixtures/lint/sample-mismatch-http'], { cwd: repoRoot });
    const r: RunReport = { tool, cwd: repoRoot, lint: result };
    const d = dashboardData(result, await collectExcerpts(r));
    const i = result.diagnostics.findIndex((x) => x.ruleId === 'sample-mismatch');
    expect(i).toBeGreaterThanOrEqual(0);
    expect(result.diagnostics[i]!.column).toBe(1); // the rule gives no column: the message names the values
    expect(marked(d, i)).toEqual(['comunicacoes', 'communications', 'communications']);
  });

  it('metadata-mismatch and identifier-translated: the values their messages quote', async () => {
    const result = await lint(['fixtures/lint/metadata-mismatch'], { cwd: repoRoot });
    const d = dashboardData(result, await collectExcerpts({ tool, cwd: repoRoot, lint: result }));
    const meta = result.diagnostics.findIndex((x) => x.ruleId === 'metadata-mismatch');
    expect(marked(d, meta)[0]).toBe('ms.topic');
    const id = result.diagnostics.findIndex((x) => x.ruleId === 'identifier-translated');
    expect(marked(d, id)).toEqual([
      'Отключение (веб-служба единой системы обмена сообщениями)',
      'Disconnect',
      'Disconnect',
    ]);
  });

  it('reads the values out of the messages', () => {
    expect(
      tokenHints({
        ruleId: 'sample-mismatch',
        message: 'sample x differs from ru-RU at /a/b (text): `abc` here, `abd` in ru-RU (f.md:3)',
      }),
    ).toEqual({ own: ['abc'], related: ['abd'], versus: ['abc', 'abd'] });
    const inconsistent = tokenHints({
      ruleId: 'example-inconsistent',
      message: 'documented response contradicts its request at $.mediaConfig.preFetchMedia: 2 items here',
    });
    expect(inconsistent.own).toEqual(['"preFetchMedia"']);
  });
});

describe('collectExcerpts', () => {
  it('skips pages it cannot read instead of throwing', async () => {
    const d: Diagnostic = {
      ruleId: 'x',
      severity: 'error',
      message: 'm',
      file: 'docs/no-such-page.md',
      line: 3,
      column: 1,
      related: [
        { file: 'docs', line: 1 },
        { file: RU_EXCHANGE, line: 63 },
      ],
    };
    const excerpts = await collectExcerpts({ tool, cwd: repoRoot, lint: { ...lintResult, diagnostics: [d] } });
    expect(Object.keys(excerpts)).toEqual([excerptKey(RU_EXCHANGE, 63)]);
  });

  it('keeps lines of context around prose, and the fence around code', () => {
    const lines = ['intro', '', '  ~~~xml', '  <a>', '  ```', '  </a>', '  ~~~', 'after', 'more', 'end'];
    expect(fencesOf(lines)).toEqual([{ start: 2, end: 6 }]);
    expect(excerptWindow(lines, 4)).toEqual({ startLine: 3, lines: lines.slice(2, 7) });
    expect(excerptWindow(lines, 9)).toEqual({ startLine: 7, lines: lines.slice(6, 10) });
    expect(excerptWindow(lines, 9, 0)).toEqual({ startLine: 9, lines: ['more'] });
    expect(excerptWindow(lines, 11)).toBeNull();
  });

  it('does not take inline code for a fence, runs an unterminated fence to the end, and caps long fences', () => {
    expect(fencesOf(['a ```b``` c', '```js', 'x', '````', 'y'])).toEqual([{ start: 1, end: 3 }]);
    expect(fencesOf(['```b` c', 'x'])).toEqual([]);
    expect(fencesOf(['text', '```json', '{', '}'])).toEqual([{ start: 1, end: 3 }]);
    const long = ['```json', ...Array.from({ length: 300 }, (_, i) => `"k${i}": ${i},`), '```'];
    const w = excerptWindow(long, 151)!;
    expect(w.lines.length).toBe(100);
    expect(w.startLine).toBe(151 - 50);
    expect(excerptWindow(long, 295)).toEqual({ startLine: 203, lines: long.slice(202) });
    expect(excerptWindow(long, 2)).toEqual({ startLine: 1, lines: long.slice(0, 100) });
    expect(w.startLine + w.lines.length - 1).toBeGreaterThanOrEqual(101);
  });
});

describe('conformance results', () => {
  it('shows each case with status, and expected vs actual for the failed one', () => {
    const rows = [
      ...html.matchAll(
        new RegExp(
          [
            String.raw`<tbody class="case status-(\w+)" data-locale="[^"]*">`,
            String.raw`<tr><td class="status">[^<]*<\/td><td><code>([^<]*)<\/code>`,
          ].join(''),
          'g',
        ),
      ),
    ];
    expect(rows.length).toBe(conformance.results.length);
    const failed = conformance.results.filter((r) => r.status === 'failed').map((r) => r.caseId);
    expect(failed).toEqual([DELETE_CASE]);
    expect(rows.filter((m) => m[1] === 'failed').map((m) => m[2])).toEqual(failed);
    const detail = html.split('<tbody class="case ').find((chunk) => chunk.includes(`<code>${DELETE_CASE}</code>`))!;
    expect(detail).toMatch(
      /<tr><td>status<\/td><td><code>status<\/code><\/td><td><pre>204<\/pre><\/td><td><pre>200<\/pre><\/td><\/tr>/,
    );
    expect(detail).toMatch(/<pre>DELETE http:\/\/127\.0\.0\.1:\d+\/beta\/communications\/calls\//);
    // The documented request, read from the page, is shown beside it.
    expect(detail).toContain('data-excerpt-locale="pt-BR"');
  });

  it('never prints the credential header value', () => {
    expect(conformance.results.find((r) => r.caseId === DELETE_CASE)?.request?.headers).toContainEqual([
      'Authorization',
      '[REDACTED]',
    ]);
    expect(html).toContain('Authorization: [REDACTED]');
    expect(html).not.toContain('s3cr3t');
  });
});

describe('one self-contained, escaped document', () => {
  it('references nothing outside itself', () => {
    expect(html.startsWith('<!doctype html>')).toBe(true);
    expect(html).toContain('<meta charset="utf-8">');
    expect(html).not.toMatch(/\ssrc\s*=/i);
    expect(html).not.toMatch(/<link\b|@import|url\(/i);
    const hrefs = [...html.matchAll(/\shref\s*=\s*"([^"]*)"/gi)].map((m) => m[1]!);
    expect(hrefs.length).toBeGreaterThan(0);
    for (const href of hrefs) expect(href).toMatch(/^#[\w-]+$/);
    // Every in-page link lands somewhere.
    for (const href of hrefs) expect(html).toContain(`id="${href.slice(1)}"`);
  });

  it('escapes what findings and cases contain', () => {
    const hostile = '<script>alert("x")</script> & \'q\'';
    const d: Diagnostic = {
      ruleId: 'rule"><i class=x>',
      severity: 'error',
      message: hostile,
      file: 'docs/a<b>.md',
      line: 2,
      column: 5,
      endColumn: 10,
      locale: 'ru-RU',
      pageId: 'p"q',
    };
    const lintOnly: RunReport = {
      tool,
      cwd: repoRoot,
      lint: {
        diagnostics: [d],
        pageGroups: [{ pageId: 'p"q', pages: [{ locale: 'ru-RU', file: 'docs/a<b>.md' }] }],
        summary: { pages: 1, pageGroups: 1, locales: ['ru-RU'], samples: 0, errors: 1, warnings: 0, infos: 0 },
      },
      excerpts: { [excerptKey('docs/a<b>.md', 2)]: { startLine: 1, lines: ['x', 'abc <def> ghi', 'y'] } },
    };
    const page = renderHtml(lintOnly);
    // The data element and the script: nothing a finding holds opens another element.
    expect(page.match(/<script/g)?.length).toBe(2);
    expect(page.match(/<\/script>/g)?.length).toBe(2);
    expect(page).not.toContain('<i class=x>');
    expect(page).not.toContain(hostile);
    expect(page).toContain('rule&quot;&gt;&lt;i class=x&gt;'); // the rule filter's option
    const d2 = dashboardData(lintOnly.lint!, lintOnly.excerpts!);
    const finding = findingHtml(d2.findings[0]!, 0, d2, true);
    expect(finding).toContain('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &#39;q&#39;');
    expect(finding).toContain('data-rule="rule&quot;&gt;&lt;i class=x&gt;"');
    expect(finding).not.toContain('<i class=x>');
    // Columns 5 to 10 (UTF-16, end exclusive) are `<def>`.
    expect(finding).toContain('abc <mark>&lt;def&gt;</mark> ghi');
    expect(page).not.toContain('id="conformance"');
  });

  it('keeps info out of the colours, lists input problems apart, and marks a span over lines', () => {
    const base = {
      severity: 'info',
      message: 'note',
      file: 'docs/ru-RU/a.md',
      line: 2,
      column: 3,
      locale: 'ru-RU',
      pageId: 'a',
    } as const;
    const diagnostics: Diagnostic[] = [
      { ...base, ruleId: 'hint', endLine: 3, endColumn: 2 },
      { ruleId: 'path-missing', severity: 'error', message: 'no such path: nope', file: 'nope', line: 1, column: 1 },
    ];
    const page = renderHtml({
      tool,
      cwd: repoRoot,
      lint: {
        diagnostics,
        pageGroups: [{ pageId: 'a', pages: [{ locale: 'ru-RU', file: 'docs/ru-RU/a.md' }] }],
        summary: { pages: 1, pageGroups: 1, locales: ['ru-RU', 'zh-CN'], samples: 0, errors: 1, warnings: 0, infos: 1 },
      },
      excerpts: { [excerptKey('docs/ru-RU/a.md', 2)]: { startLine: 1, lines: ['one', 'два три', 'четыре', 'five'] } },
    });
    const lint = {
      diagnostics,
      pageGroups: [{ pageId: 'a', pages: [{ locale: 'ru-RU', file: 'docs/ru-RU/a.md' }] }],
      summary: { pages: 1, pageGroups: 1, locales: ['ru-RU', 'zh-CN'], samples: 0, errors: 1, warnings: 0, infos: 1 },
    };
    const d = dashboardData(lint, {
      [excerptKey('docs/ru-RU/a.md', 2)]: { startLine: 1, lines: ['one', 'два три', 'четыре', 'five'] },
    });
    expect(page).toContain('id="lockstep-data"');
    expect(cellsOf(d).get('a|ru-RU')).toMatchObject({ 'data-state': 'green', 'data-infos': '1', 'data-errors': '0' });
    expect(cellsOf(d).get('a|zh-CN')).toMatchObject({ 'data-state': 'missing' });
    expect(spotHtml(d.findings[0]!.p[0]!, d)).toContain(
      '<tr class="hl"><td class="ln">2</td><td class="src">дв<mark>а три</mark></td></tr><tr class="hl">' +
        '<td class="ln">3</td><td class="src"><mark>ч</mark>етыре</td></tr>',
    );
    // The input problem belongs to no page group (the script lists it last, under "Input problems").
    expect(d.findings[1]).toMatchObject({ g: -1, o: d.locales.indexOf('(none)') });
    expect(d.cols).toBe(2);
    expect(findingHtml(d.findings[1]!, 1, d, false)).toContain('data-locale="(none)" data-rule="path-missing"');
  });

  it('renders conformance alone, without a matrix', () => {
    const page = renderHtml({ tool, cwd: repoRoot, conformance });
    expect(page).toContain('id="conformance"');
    expect(page).not.toContain('id="matrix"');
    expect(page).toContain(`${conformance.summary.passed} passed`);
  });
});
