import { compareDiagnostics, type Diagnostic } from '../diagnostics/diagnostic.js';
import type { DiscoveredFile } from '../discover/discover.js';
import { pageGroup } from '../group/group.js';
import { lintGroups, type LintOptions } from '../lint/lint.js';
import { parseFrontMatter } from '../page/frontmatter.js';
import { contentIdentityOf, type ContentIdentity } from '../page/identity.js';
import { buildPage, type PageOptions } from '../page/page.js';
import type { SourceText } from '../page/read.js';
import { readSourceSync } from './source.js';

/**
 * The unit of work of a lint run: parse the pages of some page groups and check each group.
 * The same function runs in the main thread and in the worker pool, so a run gives the same
 * results with and without workers; only diagnostics and counts cross the thread boundary.
 */
export interface CheckTask {
  groups: { pageId: string; members: DiscoveredFile[] }[];
  /** Page options (maxFileBytes, defaultLocale) and lint options (sourceLocale, locales, rules): plain data. */
  options: PageOptions & LintOptions;
}

export interface GroupOutcome {
  diagnostics: Diagnostic[];
  samples: number;
  /** Content hash of each member as read here (null: not read), in member order: a cache entry is written only when they match the plan's. */
  hashes: (string | null)[];
}

export function checkGroup(pageId: string, members: readonly DiscoveredFile[], options: PageOptions & LintOptions): GroupOutcome {
  const hashes: (string | null)[] = [];
  const pageOptions: PageOptions = { ...options, keepTree: false };
  const pages = members.map((file) => {
    const { source, hash } = readSourceSync(file.absPath, file.displayPath, options.maxFileBytes);
    hashes.push(hash);
    return buildPage(file, source.text, source.diagnostics, source.bytes, pageOptions);
  });
  for (const page of pages) page.diagnostics.sort(compareDiagnostics);
  const samples = pages.reduce((n, p) => n + p.samples.length, 0);
  return { diagnostics: lintGroups([pageGroup(pageId, pages)], options), samples, hashes };
}

export function checkBatch(task: CheckTask): GroupOutcome[] {
  return task.groups.map((g) => checkGroup(g.pageId, g.members, task.options));
}

/** The first step of a run, for files the cache does not know: read, hash, and identify from front matter. */
export interface IdentifyTask {
  files: DiscoveredFile[];
  maxFileBytes?: number;
}

export interface IdentifyOutcome {
  hash: string | null;
  content: ContentIdentity;
}

/** The front matter's part of a page's identity, cacheable by content hash. */
export function contentIdentity(source: SourceText, displayPath: string): ContentIdentity {
  return contentIdentityOf(source.text === null ? {} : parseFrontMatter(source.text, displayPath).frontMatter?.data ?? {});
}

export function identifyBatch(task: IdentifyTask): IdentifyOutcome[] {
  return task.files.map((file) => {
    const { source, hash } = readSourceSync(file.absPath, file.displayPath, task.maxFileBytes);
    return { hash, content: contentIdentity(source, file.displayPath) };
  });
}
