/**
 * lockstep's library API. Data flows one way:
 * files → Page (front matter, structure, annotations) → Sample (typed XML/HTTP/JSON)
 * → groups across locales → diagnostics → reporters. The CLI is a thin layer over this.
 */
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { compareDiagnostics, countBySeverity, type Diagnostic } from './diagnostics/diagnostic.js';
import { lintGroups, type LintOptions } from './lint/lint.js';
import { discoverFiles, type DiscoverOptions } from './discover/discover.js';
import { groupIdentities, groupPages, pageGroup, type PageGroup } from './group/group.js';
import { identifyPage, loadPage, type Page, type PageOptions } from './page/page.js';

export interface LoadOptions extends PageOptions, Partial<DiscoverOptions> {}

export interface LoadResult {
  pages: Page[];
  groups: PageGroup[];
  /** Problems with the inputs themselves (missing paths, empty folders) that belong to no page. */
  diagnostics: Diagnostic[];
}

/** Discover, read and parse pages, and group them across locales. */
export async function loadPages(inputs: readonly string[], options: LoadOptions = {}): Promise<LoadResult> {
  const cwd = options.cwd ?? process.cwd();
  const { files, diagnostics } = await discoverFiles(inputs, { ...options, cwd });
  const pages: Page[] = [];
  for (const file of files) pages.push(await loadPage(file, options));
  for (const page of pages) page.diagnostics.sort(compareDiagnostics);
  const groups = groupPages(pages);
  return { pages, groups, diagnostics: diagnostics.sort(compareDiagnostics) };
}

/**
 * The shard (0-based) a page group belongs to: a hash of its id, so that adding pages does not
 * move the others, and a CI matrix of n jobs covers every group exactly once.
 */
export function shardOf(pageId: string, count: number): number {
  let h = 2166136261;
  for (let i = 0; i < pageId.length; i++) h = Math.imul(h ^ pageId.charCodeAt(i), 16777619) >>> 0;
  return h % count;
}

export class GitError extends Error {}

/** Files changed since a git ref (committed, staged, unstaged, and untracked ones), as absolute paths. */
export function changedFiles(ref: string, cwd: string): Set<string> {
  const git = (args: string[]) => {
    try {
      return execFileSync('git', args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
    } catch (error) {
      const stderr = String((error as { stderr?: unknown }).stderr ?? '').trim().split('\n')[0];
      throw new GitError(`--changed-since ${ref}: git ${args[0]} failed: ${stderr || (error as Error).message}`);
    }
  };
  const top = git(['rev-parse', '--show-toplevel']).trim();
  const names = [...git(['diff', '--name-only', ref, '--']).split('\n'), ...git(['ls-files', '--others', '--exclude-standard']).split('\n')].filter(Boolean);
  return new Set(names.map((n) => path.resolve(top, n)));
}

export interface LintResult {
  diagnostics: Diagnostic[];
  /** Every page group checked, with its pages per locale (reporters draw the locale × group matrix from it). */
  pageGroups: { pageId: string; pages: { locale: string | null; file: string }[] }[];
  summary: { pages: number; pageGroups: number; locales: string[]; samples: number; errors: number; warnings: number; infos: number };
}

/**
 * Load pages and run the cross-locale checks, one page group at a time: groups are formed from
 * paths and front matter first, then each group is parsed, checked and let go, so memory holds
 * one group's syntax at a time instead of the whole doc set.
 */
export async function lint(inputs: readonly string[], options: LoadOptions & LintOptions & { shard?: { index: number; count: number }; changedSince?: string } = {}): Promise<LintResult> {
  const cwd = options.cwd ?? process.cwd();
  const { files, diagnostics: inputDiagnostics } = await discoverFiles(inputs, { ...options, cwd });
  // Reading overlaps: a few files in flight at once while front matter is parsed.
  const identities: Awaited<ReturnType<typeof identifyPage>>[] = new Array(files.length);
  let next = 0;
  await Promise.all(Array.from({ length: Math.min(16, files.length) }, async () => {
    while (next < files.length) { const i = next++; identities[i] = await identifyPage(files[i]!, options); }
  }));
  const changed = options.changedSince ? changedFiles(options.changedSince, cwd) : null;
  const planned = groupIdentities(identities)
    .filter((g) => !options.shard || shardOf(g.pageId, options.shard.count) === options.shard.index)
    // A changed page is checked with every locale of its group.
    .filter((g) => !changed || g.members.some((m) => changed.has(path.resolve(m.source.absPath))));
  const locales = [...new Set(identities.map((i) => i.locale).filter((l): l is string => l !== null))].sort();
  const lintOptions = { ...options, locales: options.locales ?? locales };
  // Problems with the inputs themselves belong to the first shard only: each finding once across a matrix.
  const diagnostics: Diagnostic[] = !options.shard || options.shard.index === 0 ? [...inputDiagnostics] : [];
  let samples = 0;
  for (const { pageId, members } of planned) {
    const pages = await Promise.all(members.map((m) => loadPage(m.source, options)));
    for (const page of pages) page.diagnostics.sort(compareDiagnostics);
    samples += pages.reduce((n, p) => n + p.samples.length, 0);
    diagnostics.push(...lintGroups([pageGroup(pageId, pages)], lintOptions));
  }
  diagnostics.sort(compareDiagnostics);
  const counts = countBySeverity(diagnostics);
  return {
    diagnostics,
    pageGroups: planned.map((g) => ({ pageId: g.pageId, pages: g.members.map((m) => ({ locale: m.locale, file: m.file })) })),
    summary: { pages: planned.reduce((n, g) => n + g.members.length, 0), pageGroups: planned.length, locales, samples, errors: counts.error, warnings: counts.warning, infos: counts.info },
  };
}

export { groupPages, loadPage, discoverFiles, lintGroups };
export { RULES } from './lint/rules/index.js';
export type { LintOptions };
export { buildPage } from './page/page.js';
export { parseXmlSample } from './sample/xml.js';
export { parseHttpSample } from './sample/http.js';
export { parseJsonSample } from './sample/json.js';
export { extractSamples } from './sample/extract.js';
export type { Page, PageGroup, PageOptions };
export type { Diagnostic, Severity } from './diagnostics/diagnostic.js';
export type { Sample, SampleKind, SampleRole } from './sample/sample.js';
