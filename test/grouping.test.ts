import { cp, mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadPages } from '../src/index.js';
import { localeFromPath, normalizeLocale } from '../src/discover/locale.js';
import { declaredLocaleMoves, pageIdentity } from '../src/page/identity.js';
import { discoverFiles } from '../src/discover/discover.js';
import { repoRoot, seedsDir, sharedAvailable } from './helpers/paths.js';

describe('locales', () => {
  it('normalizes BCP-47 tags and refuses folder names that only look like them', () => {
    expect(normalizeLocale('pt-br')).toBe('pt-BR');
    expect(normalizeLocale('zh-Hans-CN')).toBe('zh-Hans-CN');
    expect(normalizeLocale('ms-dos')).toBeNull();
    expect(normalizeLocale('v1-0')).toBeNull();
    expect(normalizeLocale('api-reference')).toBeNull();
  });

  it('reads a locale from a path segment or a repo-folder suffix', () => {
    expect(localeFromPath(['docs', 'pt-BR', 'x', 'a.md'])).toEqual({ locale: 'pt-BR', source: 'path', segment: 1 });
    expect(localeFromPath(['win32-pr.ru-ru', 'desktop-src', 'a.md'])).toEqual({
      locale: 'ru-RU',
      source: 'repo-suffix',
      segment: 0,
    });
    expect(localeFromPath(['docs', 'tapi', 'a.md'])).toBeNull();
  });

  it('gives a page its id from the path below its root, the locale folder above it, or none', () => {
    const id = (absPath: string, root: string, declared: string | null = null) =>
      pageIdentity({ absPath, root, displayPath: absPath }, declared);
    expect(id('/d/pt-BR/api/a.md', '/d')).toEqual({ locale: 'pt-BR', localeSource: 'path', pageId: 'api/a' });
    expect(id('/d/pt-BR/api/a.md', '/d/pt-BR/api')).toEqual({ locale: 'pt-BR', localeSource: 'path', pageId: 'api/a' });
    expect(id('/d/api/a.md', '/d', 'ru-RU')).toEqual({
      locale: 'ru-RU',
      localeSource: 'front-matter',
      pageId: 'api/a',
    });
    expect(id('/d/a.md', '/d')).toEqual({ locale: null, localeSource: null, pageId: 'a' });
    // A root that is the page itself (repairTexts names pages so): nothing below it, the locale folder above it.
    expect(id('/d/en.md', '/d/en.md')).toEqual({ locale: null, localeSource: null, pageId: '' });
    expect(id('/d/pt-BR/x/a.md', '/d/pt-BR/x/a.md')).toEqual({ locale: 'pt-BR', localeSource: 'path', pageId: 'x/a' });
    // Asked twice for one folder (the second answer comes from what the first worked out), and for another root.
    expect(id('/d/pt-BR/api/b.md', '/d').pageId).toBe('api/b');
    expect(id('/d/pt-BR/api/b.md', '/e').pageId).toBe('api/b');
  });
});

describe('grouping pages across locales', () => {
  const dirs: string[] = [];
  afterAll(async () => {
    for (const d of dirs) await rm(d, { recursive: true, force: true });
  });

  it.runIf(sharedAvailable('the flat-seeds grouping test'))('groups the flat seeds folder by ms.assetid', async () => {
    // The seeds are .txt files: name the extension, or pass a glob.
    const result = await loadPages([seedsDir], { cwd: repoRoot, extensions: ['txt'] });
    const viaGlob = await loadPages([`${path.relative(repoRoot, seedsDir)}/*`], { cwd: repoRoot });
    expect(viaGlob.groups.map((g) => g.pages.length).sort()).toEqual([1, 1, 3]);
    const groups = result.groups.map((g) => g.pages.map((p) => path.basename(p.file).slice(0, 3)).sort());
    expect(groups.sort()).toEqual([['000', '001', '002'], ['003'], ['004']]);
    const disconnect = result.groups.find((g) => g.pages.length === 3)!;
    expect(disconnect.locales).toEqual(['pt-BR', 'ru-RU', 'zh-CN']);
    expect(new Set(disconnect.pages.map((p) => p.pageId)).size).toBe(1);
  });

  it('keeps two pages of one locale apart even when they share an asset id', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'lockstep-group-'));
    dirs.push(dir);
    const src = path.join(repoRoot, 'docs/pt-BR/exchange/web-service-reference/disconnect-operation-um-web-service.md');
    await cp(src, path.join(dir, 'pt-BR/a.md'));
    await cp(src, path.join(dir, 'pt-BR/b.md'));
    await cp(
      path.join(repoRoot, 'docs/ru-RU/exchange/web-service-reference/disconnect-operation-um-web-service.md'),
      path.join(dir, 'ru-RU/c.md'),
    );
    const result = await loadPages([dir], { cwd: dir });
    expect(result.groups.map((g) => [g.pageId, g.pages.map((p) => p.file)])).toEqual([
      ['a', ['pt-BR/a.md', 'ru-RU/c.md']],
      ['b', ['pt-BR/b.md']],
    ]);
  });

  it('takes the locale from the path when front matter has none, and from config last', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'lockstep-locale-'));
    dirs.push(dir);
    const { writeFile, mkdir } = await import('node:fs/promises');
    await mkdir(path.join(dir, 'office-docs-pr.pt-br/api'), { recursive: true });
    await writeFile(path.join(dir, 'office-docs-pr.pt-br/api/x.md'), '# X\n');
    await writeFile(path.join(dir, 'y.md'), '# Y\n');
    const result = await loadPages([dir], { cwd: dir, defaultLocale: 'en-us' });
    expect(result.pages.map((p) => [p.file, p.locale, p.localeSource, p.pageId])).toEqual([
      ['office-docs-pr.pt-br/api/x.md', 'pt-BR', 'repo-suffix', 'api/x'],
      ['y.md', 'en-US', 'config', 'y'],
    ]);
  });
});

describe('a declared locale that moves a page', () => {
  it('is told as pageIdentity tells it, for every bundled page and fixture, declared locale and default', async () => {
    const { files } = await discoverFiles(['docs', 'fixtures'], { cwd: repoRoot });
    // A page named alone (its own root) takes the other way through the function.
    const alone = { ...files[0]!, root: files[0]!.absPath };
    let moved = 0;
    for (const file of [...files, alone])
      for (const declared of ['pt-BR', 'ru-RU', 'zh-CN', 'de-DE', 'en-US'])
        for (const defaultLocale of [undefined, 'en-US', 'ru-ru']) {
          const withIt = pageIdentity(file, declared, defaultLocale);
          const byPath = pageIdentity(file, null, defaultLocale);
          const expected = withIt.pageId !== byPath.pageId || withIt.locale !== byPath.locale;
          expect(declaredLocaleMoves(file, declared, defaultLocale), `${file.displayPath} ${declared}`).toBe(expected);
          if (expected) moved++;
        }
    expect(moved).toBeGreaterThan(files.length); // both answers occur
  });
});
