/**
 * Issue 6: a lint run gives the same result with and without worker threads and with and without
 * the cache (empty or filled), and the same as checking one group at a time the simple way
 * (identifyPage, loadPage, lintGroups). On docs/, on fixtures/lint (groups with several pages per
 * locale), and on a slice of the real Exchange corpus when ../shared is present.
 */
import { execFile } from 'node:child_process';
import { cp, mkdir, mkdtemp, readdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { compareDiagnostics, countBySeverity, type Diagnostic } from '../src/diagnostics/diagnostic.js';
import { discoverFiles } from '../src/discover/discover.js';
import { groupIdentities, pageGroup } from '../src/group/group.js';
import { lint, type LintProgress, type LintResult, type LintRunOptions } from '../src/index.js';
import { fixFiles, resolvePlans } from '../src/fix/index.js';
import { lintGroups } from '../src/lint/lint.js';
import { identifyPage, loadPage } from '../src/page/page.js';
import { corporaDir, repoRoot, sharedAvailable } from './helpers/paths.js';

/**
 * lint() as it was before issue 6: read front matter, plan groups, then load and check one group at a
 * time; then each finding's repair resolved against the files as read from disk.
 */
async function referenceLint(inputs: string[], options: LintRunOptions & { cwd: string }): Promise<LintResult> {
  const { files, diagnostics: inputDiagnostics } = await discoverFiles(inputs, options);
  const identities = [];
  for (const file of files) identities.push(await identifyPage(file, options));
  const planned = groupIdentities(identities);
  const locales = [...new Set(identities.map((i) => i.locale).filter((l): l is string => l !== null))].sort();
  const diagnostics: Diagnostic[] = [...inputDiagnostics];
  let samples = 0;
  for (const { pageId, members } of planned) {
    const pages = await Promise.all(members.map((m) => loadPage(m.source, options)));
    for (const page of pages) page.diagnostics.sort(compareDiagnostics);
    samples += pages.reduce((n, p) => n + p.samples.length, 0);
    diagnostics.push(...lintGroups([pageGroup(pageId, pages)], { ...options, locales: options.locales ?? locales }));
  }
  // Repairs resolved afterwards against the files on disk, as the CLI once did after the run.
  diagnostics.splice(0, diagnostics.length, ...resolvePlans(diagnostics, fixFiles(options.cwd).read));
  diagnostics.sort(compareDiagnostics);
  const counts = countBySeverity(diagnostics);
  return {
    diagnostics,
    pageGroups: planned.map((g) => ({
      pageId: g.pageId,
      pages: g.members.map((m) => ({ locale: m.locale, file: m.file })),
    })),
    summary: {
      pages: planned.reduce((n, g) => n + g.members.length, 0),
      pageGroups: planned.length,
      locales,
      samples,
      errors: counts.error,
      warnings: counts.warning,
      infos: counts.info,
    },
  };
}

const tmpDirs: string[] = [];
afterAll(async () => {
  for (const d of tmpDirs) await rm(d, { recursive: true, force: true });
});
const tmp = async (name: string) => {
  const d = await mkdtemp(path.join(os.tmpdir(), `lockstep-${name}-`));
  tmpDirs.push(d);
  return d;
};

/** Every way of running lint on `inputs`, each compared with the reference: strictly equal results. */
async function expectSameEverywhere(inputs: string[], options: LintRunOptions & { cwd: string }) {
  const reference = await referenceLint(inputs, options);
  const cacheDir = await tmp('cache');
  const filledByWorkers = await tmp('cache');
  const variants: [string, LintRunOptions][] = [
    ['main thread, no cache', { workers: 0 }],
    ['2 workers, no cache', { workers: 2 }],
    ['main thread, empty cache', { workers: 0, cache: { location: cacheDir } }],
    ['2 workers, filled cache', { workers: 2, cache: { location: cacheDir } }],
    ['main thread, filled cache', { workers: 0, cache: { location: cacheDir } }],
    // The workers read and identified the files: the cache learned their stats and identities from them.
    ['2 workers, empty cache', { workers: 2, cache: { location: filledByWorkers } }],
    ['main thread, cache filled by workers', { workers: 0, cache: { location: filledByWorkers } }],
  ];
  const seen: Record<string, LintProgress> = {};
  for (const [name, extra] of variants) {
    let last: LintProgress | undefined;
    const result = await lint(inputs, {
      ...options,
      ...extra,
      onProgress: (p) => {
        last = p;
      },
    });
    expect(result, name).toStrictEqual(reference);
    seen[name] = last!;
  }
  // The variants ran as named: workers really checked groups, the filled cache answered every group.
  expect(seen['2 workers, no cache']!.workers).toBe(2);
  expect(seen['main thread, empty cache']!.groups.cached).toBe(0);
  expect(seen['2 workers, filled cache']!.groups.cached).toBe(reference.summary.pageGroups);
  expect(seen['2 workers, filled cache']!.pages.done).toBe(0);
  const warm = seen['main thread, cache filled by workers']!;
  expect(warm.groups.cached).toBe(reference.summary.pageGroups);
  expect(warm.files.cached).toBe(warm.files.total);
  return reference;
}

describe('lint gives identical results with and without workers and cache', () => {
  it('on docs/', async () => {
    const reference = await expectSameEverywhere(['docs'], { cwd: repoRoot });
    expect(reference.diagnostics.length).toBeGreaterThan(10);
  }, 120_000);

  it('on docs/ with a source locale and a rule setting', async () => {
    await expectSameEverywhere(['docs'], {
      cwd: repoRoot,
      sourceLocale: 'en-US',
      rules: { 'identifier-translated': 'warning', 'page-missing-locale': 'off' },
    });
  }, 120_000);

  it('on fixtures/lint (groups with several pages per locale)', async () => {
    const reference = await expectSameEverywhere(['fixtures/lint'], { cwd: repoRoot });
    expect(reference.summary.pages).toBeGreaterThan(50);
  }, 120_000);
});

describe('a run checks the groups its paths plan while it reads each file once', () => {
  /** docs/ copied to a temporary folder, with `edit` applied to it. */
  async function editedDocs(name: string, edit: (dir: string) => Promise<void>): Promise<string> {
    const dir = await tmp(name);
    await cp(path.join(repoRoot, 'docs'), dir, { recursive: true });
    await edit(dir);
    return dir;
  }
  const setFrontMatter = async (file: string, key: string, value: string) => {
    const text = await readFile(file, 'utf8');
    const edited = text.replace(new RegExp(`^${key.replace('.', '\\.')}: .*$`, 'm'), `${key}: ${value}`);
    expect(edited).not.toBe(text);
    await writeFile(file, edited);
  };
  /** docs/ with zh-CN's call-delete page declaring `locale` in its front matter. */
  const zhCallDeleteDeclaring = (locale: string) =>
    editedDocs(`declares-${locale}`, (d) =>
      setFrontMatter(path.join(d, 'zh-CN/graph/api-reference/beta/api/call-delete.md'), 'ms.contentlocale', locale),
    );
  const firstChecking = (events: LintProgress[]) => events.find((e) => e.phase === 'checking')!;

  it('starts checking before every file is identified (docs/)', async () => {
    const events: LintProgress[] = [];
    await lint(['docs'], { cwd: repoRoot, onProgress: (p) => events.push(p) });
    expect(firstChecking(events).files.done).toBe(0);
    // A run that plans from identities first (a shard) checks nothing before all are read.
    const sharded: LintProgress[] = [];
    await lint(['docs'], { cwd: repoRoot, shard: { index: 0, count: 1 }, onProgress: (p) => sharded.push(p) });
    expect(firstChecking(sharded).files.done).toBe(11);
  });

  it('finds what planning first finds when an asset id joins pages the paths keep apart', async () => {
    const dir = await editedDocs('asset-join', async (d) => {
      await rename(path.join(d, 'ru-RU/tapi/drop-ovr.md'), path.join(d, 'ru-RU/tapi/drop-renamed.md'));
    });
    const reference = await expectSameEverywhere(['.'], { cwd: dir });
    const joined = reference.pageGroups.find((g) => g.pages.some((p) => p.file.endsWith('drop-renamed.md')))!;
    expect(joined.pages.map((p) => p.locale)).toEqual(['pt-BR', 'ru-RU']);
  }, 120_000);

  it('finds what planning first finds when front matter names another locale of the doc set', async () => {
    // Found wrong part-way: the groups after it are not begun, and the locales stay those the folders name.
    const dir = await zhCallDeleteDeclaring('ru-RU');
    const reference = await expectSameEverywhere(['.'], { cwd: dir });
    const group = reference.pageGroups.find((g) =>
      g.pages.some((p) => p.file.includes('zh-CN/graph/api-reference/beta/api/call-delete')),
    )!;
    expect(group.pages.map((p) => p.locale)).toEqual(['pt-BR', 'ru-RU', 'ru-RU']);
  }, 120_000);

  it('finds what planning first finds when front matter names a locale no folder names', async () => {
    const dir = await zhCallDeleteDeclaring('de-DE');
    const reference = await expectSameEverywhere(['.'], { cwd: dir });
    expect(reference.summary.locales).toContain('de-DE');
    // The plan from paths was wrong: the run stopped following it and checked groups again.
    const events: LintProgress[] = [];
    await lint(['.'], { cwd: dir, onProgress: (p) => events.push(p) });
    const last = events.at(-1)!;
    expect(last.pages.done).toBe(last.pages.total);
    expect(last.pages.total).toBeGreaterThan(last.files.total);
  }, 120_000);
});

describe.runIf(sharedAvailable('the Exchange corpus slice of the scale identity test'))(
  'on a slice of the Exchange corpus',
  () => {
    it('gives identical results with and without workers and cache', async () => {
      const unpacked = await tmp('exchange');
      await promisify(execFile)('tar', ['-xJf', path.join(corporaDir, 'exchange-docs.tar.xz'), '-C', unpacked]);
      const root = path.join(unpacked, 'exchange');
      // Every 25th page id of the source locale, with its translations: ~90 groups, ~360 pages.
      const ids = (await readdir(path.join(root, 'en-US'), { recursive: true }))
        .filter((f) => f.endsWith('.md'))
        .sort()
        .filter((_, i) => i % 25 === 0);
      const slice = await tmp('exchange-slice');
      for (const locale of await readdir(root)) {
        for (const id of ids) {
          const from = path.join(root, locale, id);
          const to = path.join(slice, locale, id);
          await mkdir(path.dirname(to), { recursive: true });
          await cp(from, to).catch(() => {}); // a page missing in a locale stays missing
        }
      }
      const reference = await expectSameEverywhere([slice], { cwd: slice, sourceLocale: 'en-US' });
      console.log(
        `[scale] Exchange slice: ${reference.summary.pages} pages, ${reference.summary.pageGroups} groups, ` +
          `${reference.diagnostics.length} diagnostics, identical in every mode`,
      );
      expect(reference.summary.pageGroups).toBeGreaterThan(50);
    }, 600_000);
  },
);
