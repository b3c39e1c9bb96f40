/**
 * The HTML dashboard in a real headless Chromium (Debian's, installed by scripts/ensure-chromium.mjs):
 * built from the real docs lint and a real loopback conformance run, written to
 * test-results/dashboard.html, loaded with every network request recorded and refused, and
 * photographed to test-results/dashboard.png for a person to look at. Then a large generated doc
 * set (200 copies of the bundled pages, linted for real, half its findings baselined): under
 * 10 MB, interactive within 2 s, filters that recount, baselined findings shown on request.
 */
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import type { Server } from 'node:http';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { lint, type LintResult } from '../src/index.js';
import { collectExcerpts } from '../src/report/excerpts.js';
import { applyBaseline, createBaseline } from '../src/run/baseline.js';
import { renderHtml } from '../src/report/html.js';
import type { RunReport } from '../src/report/model.js';
import { repoRoot } from './helpers/paths.js';
import { close, conformanceWithDeleteFault } from './helpers/servers.js';

type Ensure = () => Promise<{ path: string } | { reason: string }>;
// A plain .mjs script (also run by hand): imported through a variable so tsc does not look for its types.
const ensureScript = path.join(repoRoot, 'scripts/ensure-chromium.mjs');
const { ensureChromium } = (await import(pathToFileURL(ensureScript).href)) as { ensureChromium: Ensure };
const browserPath = await ensureChromium();
if ('reason' in browserPath)
  console.warn(`[lockstep tests] skipping the HTML dashboard browser tests: ${browserPath.reason}`);

const outDir = path.join(repoRoot, 'test-results');
const htmlFile = path.join(outDir, 'dashboard.html');
const screenshot = path.join(outDir, 'dashboard.png');
const fileUrl = pathToFileURL(htmlFile).href;

describe.skipIf('reason' in browserPath)('the HTML dashboard in headless Chromium', () => {
  let lintResult: LintResult;
  let browser: Browser;
  let page: Page;
  const requests: string[] = [];
  const servers: Server[] = [];

  beforeAll(async () => {
    lintResult = await lint(['docs'], { cwd: repoRoot });
    const run = await conformanceWithDeleteFault();
    servers.push(...run.servers);
    const conformance = run.report;
    const report: RunReport = {
      tool: { name: 'lockstep', version: 'test' },
      cwd: repoRoot,
      lint: lintResult,
      conformance,
    };
    report.excerpts = await collectExcerpts(report);
    await mkdir(outDir, { recursive: true });
    await writeFile(htmlFile, renderHtml(report));

    browser = await chromium.launch({
      executablePath: (browserPath as { path: string }).path,
      args: [
        '--headless=new',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-dev-shm-usage',
        '--disable-background-networking',
      ],
    });
    page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    // Everything the page asks for is recorded; anything but the file itself is refused.
    page.on('request', (r) => {
      requests.push(r.url());
    });
    await page.route('**/*', (route) => (route.request().url() === fileUrl ? route.continue() : route.abort()));
    // The page's own Content-Security-Policy refuses loads before they become requests: record those too.
    await page.addInitScript(() => {
      const seen: string[] = [];
      (window as unknown as { blockedLoads: string[] }).blockedLoads = seen;
      document.addEventListener('securitypolicyviolation', (e) => seen.push(`${e.violatedDirective} ${e.blockedURI}`));
    });
    await page.goto(fileUrl, { waitUntil: 'load' });
    await page.waitForFunction(() => document.documentElement.dataset['ready'] !== undefined);
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    for (const s of servers) await close(s);
  });

  it('renders the page, and asks the network for nothing', async () => {
    expect(await page.title()).toBe('lockstep report');
    await expect(page.locator('#matrix').isVisible()).resolves.toBe(true);
    expect(await page.locator('#matrix tbody tr').count()).toBe(lintResult.pageGroups.length);
    expect(await page.locator('#cases tbody.case').count()).toBeGreaterThan(0);
    expect(requests).toEqual([fileUrl]);
    expect(await page.evaluate(() => (window as unknown as { blockedLoads: string[] }).blockedLoads)).toEqual([]);
  });

  it('has the matrix cell the diagnostics imply for every page group and locale', async () => {
    const cells = await page.locator('#matrix td.cell').evaluateAll((tds) =>
      tds.map((td) => {
        const e = td as HTMLElement;
        return {
          key: `${e.dataset['pageId']}|${e.dataset['locale']}`,
          state: e.dataset['state'],
          text: e.innerText,
          background: getComputedStyle(e).backgroundColor,
        };
      }),
    );
    const seen = new Map(cells.map((c) => [c.key, c]));
    const { locales } = lintResult.summary;
    expect(cells.length).toBe(lintResult.pageGroups.length * locales.length);
    for (const group of lintResult.pageGroups) {
      for (const locale of locales) {
        const mine = lintResult.diagnostics.filter((d) => d.pageId === group.pageId && d.locale === locale);
        const errors = mine.filter((d) => d.severity === 'error').length;
        const warnings = mine.filter((d) => d.severity === 'warning').length;
        const hasPage = group.pages.some((p) => p.locale === locale);
        const state = errors > 0 ? 'red' : warnings > 0 ? 'amber' : hasPage ? 'green' : 'missing';
        const cell = seen.get(`${group.pageId}|${locale}`);
        expect(cell?.state, `${group.pageId} ${locale}`).toBe(state);
        if (errors > 0) expect(cell?.text).toContain(`${errors} error`);
        if (warnings > 0) expect(cell?.text).toContain(`${warnings} warning`);
        if (state === 'missing') expect(cell?.text.trim()).toBe('—');
      }
    }
    // Each state is drawn in its own colour.
    const colour = new Map(cells.map((c) => [c.state, c.background]));
    expect(colour.size).toBe(4);
    expect(new Set(colour.values()).size).toBe(4);
  });

  it('filters by locale: choosing ru-RU leaves only ru-RU findings, columns and cases visible', async () => {
    await page.selectOption('#locale-filter', 'ru-RU');
    const visibility = () =>
      page.locator('#matrix [data-locale], #findings .finding, #cases tbody.case').evaluateAll((els) =>
        els.map((e) => ({
          locale: (e as HTMLElement).dataset['locale'],
          visible: (e as HTMLElement).checkVisibility(),
        })),
      );
    const filtered = await visibility();
    expect(filtered.filter((v) => v.visible && v.locale === 'ru-RU').length).toBeGreaterThan(0);
    expect(filtered.filter((v) => v.locale !== 'ru-RU').length).toBeGreaterThan(0);
    for (const v of filtered) expect(v.visible, `${v.locale}`).toBe(v.locale === 'ru-RU');
    // Sections whose findings are all hidden go too; the ru-RU findings are really on screen.
    const ruFinding = page.locator('#findings .finding[data-locale="ru-RU"]').first();
    await ruFinding.scrollIntoViewIfNeeded();
    expect(await ruFinding.boundingBox()).not.toBeNull();
    expect(await page.locator('.finding-group:visible').count()).toBe(
      new Set(lintResult.diagnostics.filter((d) => d.locale === 'ru-RU').map((d) => d.pageId)).size,
    );

    await page.selectOption('#locale-filter', '');
    const all = await visibility();
    expect(all.every((v) => v.visible)).toBe(true);
  });

  it('renders Cyrillic and CJK excerpts with real glyphs', async () => {
    const finding = page
      .locator('#findings .finding[data-locale="ru-RU"]')
      .filter({ hasText: 'identifier `Disconnect`' });
    const ru = await finding.locator('[data-excerpt-locale="ru-RU"]').innerText();
    const zh = await finding.locator('[data-excerpt-locale="zh-CN"]').innerText();
    expect(ru).toContain('Отключение (веб-служба единой системы обмена сообщениями)');
    expect(zh).toContain('断开连接（UM web 服务）');
    expect(await finding.locator('[data-excerpt-locale="ru-RU"] mark').innerText()).toBe(
      'Отключение (веб-служба единой системы обмена сообщениями)',
    );
    expect(await finding.locator('[data-excerpt-locale="pt-BR"] mark').innerText()).toBe('Disconnect');
    // A string drawn in the page's font differs from the same count of characters no font has
    // (private use area: the missing-glyph box). Without a CJK font, 断开连接 would draw as boxes.
    const drawnLikeMissing = await page.evaluate(
      (samples) => {
        const canvas = document.createElement('canvas');
        canvas.width = 400;
        canvas.height = 60;
        const g = canvas.getContext('2d')!;
        const draw = (text: string) => {
          g.clearRect(0, 0, canvas.width, canvas.height);
          g.font = `32px ${getComputedStyle(document.body).fontFamily}`;
          g.fillText(text, 4, 44);
          return {
            width: g.measureText(text).width,
            pixels: Array.from(g.getImageData(0, 0, canvas.width, canvas.height).data).join(),
          };
        };
        return samples.map((text) => {
          const shown = draw(text);
          const missing = draw('\uE000'.repeat([...text].length));
          return shown.width === missing.width && shown.pixels === missing.pixels;
        });
      },
      ['断开连接', 'Отключение', '\uE001\uE002'],
    );
    // The last is a control: two missing glyphs do draw like two missing glyphs.
    expect(drawnLikeMissing).toEqual([false, false, true]);
  });

  it('shows the failed case with expected vs actual', async () => {
    const failed = page.locator('#cases tbody.status-failed');
    expect(await failed.count()).toBe(1);
    const checks = await failed.locator('table.checks tbody tr').first().locator('td').allInnerTexts();
    expect(checks).toEqual(['status', 'status', '204', '200']);
  });

  it('recounts the header and the matrix for the filters', async () => {
    const count = (severity: string, locale?: string, rule?: string) =>
      lintResult.diagnostics.filter(
        (d) =>
          d.severity === severity &&
          (locale === undefined || d.locale === locale) &&
          (rule === undefined || d.ruleId === rule),
      ).length;
    const header = async () => [
      await page.locator('#count-errors').innerText(),
      await page.locator('#count-warnings').innerText(),
    ];
    const said = (errors: number, warnings: number) => [
      `${errors} error${errors === 1 ? '' : 's'}`,
      `${warnings} warning${warnings === 1 ? '' : 's'}`,
    ];
    expect(await header()).toEqual(said(count('error'), count('warning')));
    await page.selectOption('#locale-filter', 'ru-RU');
    expect(count('error', 'ru-RU')).toBeLessThan(count('error'));
    expect(await header()).toEqual(said(count('error', 'ru-RU'), count('warning', 'ru-RU')));
    await page.selectOption('#locale-filter', '');
    await page.selectOption('#rule-filter', 'identifier-translated');
    expect(await header()).toEqual(said(count('error', undefined, 'identifier-translated'), 0));
    // The matrix counts only what the filters select: warnings are gone from every cell.
    const warned = await page
      .locator('#matrix td.cell')
      .evaluateAll((tds) => tds.map((td) => Number((td as HTMLElement).dataset['warnings'])));
    expect(warned.every((n) => n === 0)).toBe(true);
    expect(await page.locator('#finding-list details.finding').count()).toBe(
      count('error', undefined, 'identifier-translated'),
    );
    await page.selectOption('#rule-filter', '');
    // A page group's name shows its findings only, until the chip is cleared.
    await page.locator('#matrix a[data-group]', { hasText: 'tapi/drop-ovr' }).click();
    expect(await page.locator('#finding-list details.finding').count()).toBe(
      lintResult.diagnostics.filter((d) => d.pageId === 'tapi/drop-ovr').length,
    );
    await page.locator('#group-clear').click();
    expect(await page.locator('#finding-list details.finding').count()).toBe(lintResult.diagnostics.length);
  });

  it('writes a full-page screenshot for a person to look at', async () => {
    await page.selectOption('#locale-filter', '');
    await page.screenshot({ path: screenshot, fullPage: true });
    const { size } = await import('node:fs/promises').then((fs) => fs.stat(screenshot));
    expect(size).toBeGreaterThan(10_000);
  });
});

describe.skipIf('reason' in browserPath)('the dashboard of a large generated doc set in headless Chromium', () => {
  const COPIES = 200;
  const largeFile = path.join(outDir, 'dashboard-large.html');
  let dir = '';
  let result: LintResult;
  let bytes = 0;
  let browser: Browser;
  let page: Page;

  beforeAll(async () => {
    // 200 copies of every bundled page under its own folder per copy: 2,200 pages, 800 page
    // groups in three locales, findings as the real pages have them, linted for real.
    dir = await mkdtemp(path.join(os.tmpdir(), 'lockstep-large-'));
    const pages = (await readdir(path.join(repoRoot, 'docs'), { recursive: true })).filter((f) => f.endsWith('.md'));
    for (const rel of pages) {
      const [locale, ...rest] = rel.split(path.sep);
      const text = await readFile(path.join(repoRoot, 'docs', rel), 'utf8');
      for (let k = 0; k < COPIES; k++) {
        const file = path.join(dir, 'docs', locale!, `set-${k}`, ...rest);
        await mkdir(path.dirname(file), { recursive: true });
        await writeFile(file, text);
      }
    }
    const linted = await lint(['docs'], { cwd: dir });
    // Every other finding is known to a baseline: counted and viewable, not among the new ones.
    const baseline = createBaseline(linted);
    baseline.findings = baseline.findings.filter((_, i) => i % 2 === 0);
    result = applyBaseline(linted, baseline);
    const report: RunReport = { tool: { name: 'lockstep', version: 'test' }, cwd: dir, lint: result };
    report.excerpts = await collectExcerpts(report);
    const html = renderHtml(report);
    bytes = Buffer.byteLength(html);
    await writeFile(largeFile, html);
    browser = await chromium.launch({
      executablePath: (browserPath as { path: string }).path,
      args: [
        '--headless=new',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-dev-shm-usage',
        '--disable-background-networking',
      ],
    });
    page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    await page.route('**/*', (route) =>
      route.request().url() === pathToFileURL(largeFile).href ? route.continue() : route.abort(),
    );
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it("is a generated set as large as the Exchange corpus's report", () => {
    expect(result.summary.pageGroups).toBe(4 * COPIES);
    expect(result.diagnostics.length + result.baselined!.length).toBeGreaterThan(6000);
    expect(result.summary.baselined).toBe(result.baselined!.length);
  });

  it('is one file under 10 MB, interactive within 2 s', async () => {
    expect(bytes).toBeLessThan(10 * 1024 * 1024);
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(String(e)));
    await page.goto(pathToFileURL(largeFile).href, { waitUntil: 'load' });
    await page.waitForFunction(() => document.documentElement.dataset['ready'] !== undefined, null, {
      timeout: 20_000,
    });
    // Milliseconds from navigation to the end of the first render (the script's last statement).
    const ready = await page.evaluate(() => Number(document.documentElement.dataset['ready']));
    console.log(
      `[lockstep tests] large dashboard: ${(bytes / 1024 / 1024).toFixed(2)} MB, interactive after ${ready} ms`,
    );
    expect(ready).toBeLessThan(2000);
    expect(errors).toEqual([]);
    // A page of findings, and the matrix cut to its first 500 groups with a button for the rest.
    expect(await page.locator('#finding-list details.finding').count()).toBe(100);
    expect(await page.locator('#matrix tbody tr').count()).toBe(500);
    await page.locator('#matrix-all').click();
    expect(await page.locator('#matrix tbody tr').count()).toBe(4 * COPIES);
  });

  it('counts the baselined findings and shows them on request', async () => {
    const known = result.baselined!.length;
    expect(await page.locator('#count-known').innerText()).toBe(`${known} baselined`);
    const errors = result.diagnostics.filter((d) => d.severity === 'error').length;
    expect(await page.locator('#count-errors').innerText()).toBe(`${errors} errors`);
    // A cell whose findings are all baselined says so instead of "clean".
    const knownInCells = await page
      .locator('#matrix td.cell')
      .evaluateAll((tds) => tds.reduce((n, td) => n + Number((td as HTMLElement).dataset['known']), 0));
    expect(knownInCells).toBe(result.baselined!.filter((d) => d.pageId !== undefined).length);
    await page.selectOption('#known-filter', 'known');
    expect(await page.locator('#showing').innerText()).toBe(`findings 1–100 of ${known}`);
    expect(await page.locator('#finding-list details.finding.baselined').count()).toBe(100);
    expect(await page.locator('#finding-list .known').first().innerText()).toBe('baselined');
    await page.selectOption('#known-filter', 'all');
    expect(await page.locator('#showing').innerText()).toBe(`findings 1–100 of ${known + result.diagnostics.length}`);
    await page.selectOption('#known-filter', 'new');
  });

  it("builds a finding's excerpts when it is opened, and pages through the rest", async () => {
    const first = page.locator('#finding-list details.finding').first();
    expect(await first.locator('.excerpt').count()).toBe(0);
    await first.locator('summary').click();
    expect(await first.locator('.excerpt').count()).toBeGreaterThan(0);
    expect(await first.locator('mark').count()).toBeGreaterThan(0);
    const started = Date.now();
    await page.locator('#next').click();
    expect(await page.locator('#showing').innerText()).toBe(`findings 101–200 of ${result.diagnostics.length}`);
    await page.selectOption('#locale-filter', 'ru-RU');
    const ru = result.diagnostics.filter((d) => d.locale === 'ru-RU');
    expect(await page.locator('#showing').innerText()).toBe(`findings 1–100 of ${ru.length}`);
    expect(await page.locator('#count-errors').innerText()).toBe(
      `${ru.filter((d) => d.severity === 'error').length} errors`,
    );
    expect(Date.now() - started).toBeLessThan(3000);
    await page.screenshot({ path: path.join(outDir, 'dashboard-large.png') });
  });
});
